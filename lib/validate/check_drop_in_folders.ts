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
 * @param deploymentFiles Every file of the deployment by its `/`-separated
 * path, as a source lists them (a folder is never listed; a file is).
 * @returns One `ERR_UNIT_NAME_INVALID` error per such file, in the order
 * given.
 *
 * @example Usage
 * ```ts
 * import { checkDropInFolders } from "./check_drop_in_folders.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const findings = checkDropInFolders(["web.container", "web.container.d", "db.container.d/10-a.conf"]);
 * deepStrictEqual(findings.map((f) => [f.code, f.file]), [["ERR_UNIT_NAME_INVALID", "web.container.d"]]);
 * ```
 */
export function checkDropInFolders(
  deploymentFiles: readonly string[],
): Finding[] {
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
