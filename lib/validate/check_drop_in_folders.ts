import type { Finding } from "../errors/finding.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { QUADLET_KINDS } from "../quadlet/types.ts";

const KINDS: ReadonlySet<string> = new Set(QUADLET_KINDS);

/**
 * Finds files whose names are those of drop-in folders: `web.container.d`,
 * `foo-.container.d`, `app@.container.d` or `container.d` written as a file
 * rather than a folder. Podman's generator looks for a unit's drop-ins in
 * such folders (podman-systemd.unit(5)); finding a file instead it stops with
 * `error reading directory "…": not a directory`, and the settings meant for
 * the unit never apply.
 *
 * Also finds folders named like a unit (`db.container/` holding files):
 * Podman's generator reads every name in the quadlet folder that ends in a
 * unit's extension as a unit, and stops on a folder there.
 *
 * @param deploymentFiles Every file of the deployment by its `/`-separated
 * path, as a source lists them (a folder is never listed; a file is).
 * @returns One `ERR_UNIT_NAME_INVALID` error per such file, in the order
 * given, then one per folder named like a unit.
 *
 * @example Usage
 * ```ts
 * import { checkDropInFolders } from "./check_drop_in_folders.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const findings = checkDropInFolders([
 *   "web.container", "web.container.d", "db.container.d/10-a.conf", "db.container/init.sql",
 * ]);
 * deepStrictEqual(findings.map((f) => [f.code, f.file]), [
 *   ["ERR_UNIT_NAME_INVALID", "web.container.d"],
 *   ["ERR_UNIT_NAME_INVALID", "db.container"],
 * ]);
 * ```
 */
export function checkDropInFolders(
  deploymentFiles: readonly string[],
): Finding[] {
  return [
    ...dropInFiles(deploymentFiles),
    ...unitFolders(deploymentFiles),
  ];
}

function dropInFiles(deploymentFiles: readonly string[]): Finding[] {
  return deploymentFiles.flatMap((path) => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (!name.endsWith(".d")) return [];
    const stem = name.slice(0, -".d".length);
    if (!KINDS.has(stem) && quadletKindOf(stem) === null) return [];
    return [{
      code: "ERR_UNIT_NAME_INVALID",
      message:
        `Cannot use "${path}" as a file: Podman reads ${name} as the folder of drop-ins for ${
          target(stem)
        }, and stops on a file there ("not a directory")`,
      file: path,
      remedy:
        `Make ${path} a folder and move its settings into a file in it whose name ends in .conf, such as ${path}/10-override.conf`,
    }];
  });
}

/** Which units a drop-in folder's name applies to, in words. */
function target(stem: string): string {
  if (KINDS.has(stem)) return `every .${stem} unit`;
  const dot = stem.lastIndexOf(".");
  const unit = stem.slice(0, dot);
  const ext = stem.slice(dot);
  if (unit.endsWith("-@") || unit.endsWith("-")) {
    return `every ${ext} unit whose name starts with "${
      unit.replace(/@$/, "")
    }"`;
  }
  if (unit.endsWith("@")) return `every instance of ${stem}`;
  return stem;
}

/** Folders at the top whose names end in a unit's extension (`db.container/`). */
function unitFolders(deploymentFiles: readonly string[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const path of deploymentFiles) {
    const slash = path.indexOf("/");
    if (slash === -1) continue;
    const folder = path.slice(0, slash);
    if (seen.has(folder) || quadletKindOf(folder) === null) continue;
    seen.add(folder);
    const ext = folder.slice(folder.lastIndexOf("."));
    findings.push({
      code: "ERR_UNIT_NAME_INVALID",
      message:
        `Cannot use "${folder}" as a folder (it holds ${path}): Podman reads every name in the quadlet folder that ends in ${ext} as a unit, and stops on a folder there`,
      file: folder,
      remedy:
        `Rename the folder ${folder} to a name that does not end in ${ext}, such as ${
          folder.slice(0, -ext.length)
        }-files (and the Volume= lines that name it); if it holds drop-ins for ${folder}, name it ${folder}.d and give the files names ending in .conf`,
    });
  }
  return findings;
}
