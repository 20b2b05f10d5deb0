/**
 * The one dot-file a manifest may name: the generic Git metadata file.
 */
const LEGER_YAML = ".leger.yaml";

/** Any C0 control character or DEL (NUL is reported on its own). */
// deno-lint-ignore no-control-regex
const CONTROL_CHAR_REGEXP = /[\x01-\x1f\x7f]/;

/** Longest file name Linux file systems accept, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;

/**
 * Checks that a file name from a manifest is a bare name: one path component
 * that cannot leave the deployment folder or hide itself.
 *
 * Rejected: the empty name, a name with `/` or `\`, a name containing `..`
 * (which also covers `..` itself), `.` and every other name starting with `.`
 * except `.leger.yaml`, NUL and other control characters, and names longer than
 * 255 UTF-8 bytes. The check is purely textual: nothing is read from disk.
 *
 * @param name The file name as the manifest gives it.
 * @returns Why the name is unsafe (a phrase that completes "the name …"), or
 * `undefined` when it is a safe bare name.
 *
 * @example Usage
 * ```ts
 * import { checkBareFileName } from "./check_bare_file_name.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(checkBareFileName("openwebui.volume.volume"), undefined);
 * strictEqual(checkBareFileName(".leger.yaml"), undefined);
 * strictEqual(checkBareFileName("../etc/passwd"), 'contains "/"');
 * strictEqual(checkBareFileName(".env"), 'starts with "."');
 * ```
 */
export function checkBareFileName(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name.includes("\0")) return "contains a NUL character";
  if (CONTROL_CHAR_REGEXP.test(name)) return "contains a control character";
  if (name.includes("/")) return 'contains "/"';
  if (name.includes("\\")) return 'contains "\\"';
  if (name.includes("..")) return 'contains ".."';
  if (name.startsWith(".") && name !== LEGER_YAML) return 'starts with "."';
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) {
    return `is longer than ${MAX_NAME_BYTES} bytes`;
  }
  return undefined;
}
