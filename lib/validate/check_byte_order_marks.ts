import type { Finding } from "../errors/finding.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import type { DeploymentFileBytes } from "../quadlet/load_units.ts";

/**
 * Finds unit files and drop-ins (`*.conf` in a `*.d` folder) that start
 * with a UTF-8 byte order mark (EF BB BF). Podman's quadlet parser keeps the
 * mark as part of the first line and rejects the file ("file contains line
 * 1 … which is not a key-value pair"), while a text decoder drops it without
 * a word: this check reads the bytes, so that leger refuses what Podman
 * would refuse, with or without Podman's generator on the host.
 *
 * @param files The deployment's files.
 * @returns One `ERR_UNIT_SYNTAX` error at line 1 per such file, in the order
 * given.
 *
 * @example Usage
 * ```ts
 * import { checkByteOrderMarks } from "./check_byte_order_marks.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("[Container]\n")]);
 * const findings = checkByteOrderMarks([
 *   { path: "web.container", bytes: bom },
 *   { path: "notes.txt", bytes: bom },
 * ]);
 * deepStrictEqual(findings.map((f) => [f.code, f.file, f.line]), [["ERR_UNIT_SYNTAX", "web.container", 1]]);
 * ```
 */
export function checkByteOrderMarks(
  files: readonly DeploymentFileBytes[],
): Finding[] {
  return files.flatMap(({ path, bytes }) => {
    if (!(isUnitText(path) && startsWithBom(bytes))) return [];
    return [{
      code: "ERR_UNIT_SYNTAX",
      message:
        `Cannot parse "${path}": it starts with a byte order mark (BOM), which Podman's quadlet parser rejects`,
      file: path,
      line: 1,
      remedy: `Save ${path} as UTF-8 without a byte order mark`,
    }];
  });
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb &&
    bytes[2] === 0xbf;
}

/** A unit file, or a drop-in: a `.conf` file directly in a `*.d` folder. */
function isUnitText(path: string): boolean {
  const slash = path.lastIndexOf("/");
  if (quadletKindOf(path.slice(slash + 1)) !== null) return true;
  const folder = path.slice(path.lastIndexOf("/", slash - 1) + 1, slash);
  return slash > 0 && path.endsWith(".conf") && folder.endsWith(".d");
}
