import type { LegerError } from "../errors/leger_error.ts";
import type { DoctorCheck } from "./types.ts";

/** One of leger's folders, and whether leger can write to it. */
export interface FolderProbe {
  /** The folder. */
  dir: string;
  /** Why leger cannot write to it (`unwritable()` of lib/state), or `null` when it can. */
  error: LegerError | null;
}

/** What {@linkcode checkFolders} judges. */
export interface FolderFacts {
  /** The quadlet folder, leger's state and its working folder, probed. */
  folders: readonly FolderProbe[];
  /** Who should own them: the rootless user, or `root`. */
  owner: string;
}

/**
 * Checks that leger can write its folders: the quadlet folder, its state
 * (`deployments.yaml`, the lock, the journal) and its working folder
 * (`staged/`, `active/`, `backups/`). Each was probed with a small file,
 * written and removed (a folder not made yet: the folder it will be made in).
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
 *   folders: [{ dir: "/home/alice/.local/share/leger", error: unwritable("/home/alice/.local/share/leger", new Deno.errors.PermissionDenied("denied")) }],
 * });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix, "sudo chown -R alice: /home/alice/.local/share/leger");
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
    fix: bad.map(({ dir, error }) => {
      const message = error!.message;
      if (message.endsWith("the disk is full")) {
        return `df -h ${dir}   # free space on that disk`;
      }
      if (message.endsWith("permission is denied")) {
        return `sudo chown -R ${owner}: ${dir}`;
      }
      return `# ${error!.remedy}`;
    }).join("\n"),
  };
}
