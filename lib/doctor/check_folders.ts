import type { LegerError } from "../errors/leger_error.ts";
import { shellWord } from "../adapters/shell_word.ts";
import type { DoctorCheck } from "./types.ts";

/** One of leger's folders, and whether leger can write to it. */
export interface FolderProbe {
  /** The folder. */
  dir: string;
  /** Why leger cannot write to it (`unwritable()` of lib/state), or `null` when it can. */
  error: LegerError | null;
  /**
   * The folder that was probed: `dir`, or while `dir` does not exist yet,
   * the nearest folder above it that does (where leger would make it).
   *
   * @default {dir}
   */
  probed?: string;
  /**
   * The owner's uid and the mode bits of the probed folder (`Deno.stat`),
   * or `null` when they could not be read: they tell a folder of another
   * user (`chown`) from one its owner may not write (`chmod`).
   *
   * @default {null}
   */
  stat?: { uid: number | null; mode: number | null } | null;
}

/** What {@linkcode checkFolders} judges. */
export interface FolderFacts {
  /** The quadlet folder, leger's state and its working folder, probed. */
  folders: readonly FolderProbe[];
  /** Who should own them: the rootless user, or `root`. */
  owner: string;
  /**
   * The id of that user (0 for root, whom modes do not stop).
   *
   * @default {null}: unknown; a refused folder is then handed to `owner`.
   */
  uid?: number | null;
}

/**
 * Checks that leger can write its folders: the quadlet folder, its state
 * (`deployments.yaml`, the lock, the journal) and its working folder
 * (`staged/`, `active/`, `backups/`). Each was probed with a small file,
 * written and removed (a folder not made yet: the folder it will be made in).
 *
 * The fix matches the cause: a folder owned by another user is given back
 * (`chown`), one its owner may not write gets the owner's write bits back
 * (`chmod u+rwx`), and a read-only file system, a full disk or a refusal
 * that neither explains (an immutable attribute, SELinux) are said as such
 * with the command that shows it.
 *
 * @param facts The probes, and the owner for the fix.
 * @returns `pass`, or `fail` naming each folder, why, and its fix.
 *
 * @example Usage
 * ```ts
 * import { checkFolders } from "./check_folders.ts";
 * import { unwritable } from "../state/check_writable.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const check = checkFolders({
 *   owner: "alice",
 *   uid: 1000,
 *   folders: [{
 *     dir: "/home/alice/.local/share/leger",
 *     error: unwritable("/home/alice/.local/share/leger", new Deno.errors.PermissionDenied("denied")),
 *     stat: { uid: 1000, mode: 0o555 },
 *   }],
 * });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix, "chmod u+rwx /home/alice/.local/share/leger   # its owner may not write to it");
 * ```
 */
export function checkFolders(facts: FolderFacts): DoctorCheck {
  const { folders, owner } = facts;
  const base = { id: "folders", group: "leger" } as const;
  const bad = folders.filter((f) => f.error !== null);
  if (bad.length === 0) {
    return {
      ...base,
      title: "leger's folders are writable",
      status: "pass",
      detail: folders.map((f) => f.dir).join("\n"),
      fix: null,
    };
  }
  return {
    ...base,
    title: `leger cannot write to ${
      bad.length === 1 ? bad[0].dir : `${bad.length} of its folders`
    }`,
    status: "fail",
    detail: [
      ...bad.map((f) => f.error!.message.replace(/^Cannot write to /, "")),
      "Installs, updates and removes fail until it can.",
    ].join("\n"),
    fix: bad.map((probe) => folderFix(probe, owner, facts.uid ?? null))
      .join("\n"),
  };
}

/** The fix of one folder leger cannot write, by its cause. */
function folderFix(probe: FolderProbe, owner: string, uid: number | null) {
  const { dir, error } = probe;
  const path = probe.probed ?? dir;
  const word = shellWord(path);
  const message = error!.message;
  if (message.endsWith("the disk is full")) {
    return `df -h ${word}   # free space on that disk`;
  }
  if (message.endsWith("it is on a read-only file system")) {
    return `findmnt -T ${word}   # ${path} is on a read-only file system: remount it read-write, or keep leger's folders on another disk`;
  }
  if (!message.endsWith("permission is denied")) return `# ${error!.remedy}`;
  const stat = probe.stat ?? null;
  const sudo = uid === 0 ? "" : "sudo ";
  // Only leger's own folders are handed over as a whole; a folder above
  // them (where leger would make its own) is the user's, or the system's.
  const recursive = path === dir ? "-R " : "";
  const others = stat === null || stat.uid === null || uid === null ||
    stat.uid !== uid;
  const lines: string[] = [];
  if (others && uid !== 0) {
    lines.push(
      `${sudo}chown ${recursive}${owner}: ${word}   # it belongs to ${
        stat?.uid == null ? "another user" : `uid ${stat.uid}`
      }`,
    );
  }
  const writable = stat?.mode != null && (stat.mode & 0o300) === 0o300;
  if (uid !== 0 && !writable) {
    lines.push(
      `${
        others ? sudo : ""
      }chmod u+rwx ${word}   # its owner may not write to it`,
    );
  }
  if (lines.length === 0) {
    lines.push(
      `lsattr -d ${word}; ls -Zd ${word}   # owner and mode allow it: an immutable attribute (sudo chattr -i ${word}) or SELinux refuses the write`,
    );
  }
  return lines.join("\n");
}
