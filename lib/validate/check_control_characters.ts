import type { Finding } from "../errors/finding.ts";
import type { UnitFile } from "../unit/types.ts";

/** A control character systemd refuses in a value: C0 but tab, and DEL (`string_has_cc`). */
// deno-lint-ignore no-control-regex
const CONTROL_REGEXP = /[\x00-\x08\x0a-\x1f\x7f]/;

const NAMES: Readonly<Record<number, string>> = {
  0x00: "a NUL byte",
  0x0a: "a line feed",
  0x0d: "a carriage return",
  0x1b: "an escape character",
  0x7f: "a DEL character",
};

/**
 * Finds keys and values that hold a control character: a NUL byte or any
 * other C0 control character but tab, or DEL. Podman's generator accepts
 * them and writes them into the service (a NUL silently ends the value, the
 * others become `\xHH` escapes), and the service then fails when it starts,
 * or runs with a value cut short; systemd refuses such characters in most
 * settings (`string_has_cc`). Written escapes such as `\x1b` in the text
 * are fine: only the raw characters are reported.
 *
 * @param unit The unit, its drop-ins merged (each entry keeps its own file
 * and line).
 * @returns One `ERR_UNIT_INVALID_VALUE` error per entry, at its file and
 * line, naming the character and its place in the value.
 *
 * @example Usage
 * ```ts
 * import { checkControlCharacters } from "./check_control_characters.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=busybox\nEnvironment=A=x\u0000y\n", {
 *   file: "web.container",
 * });
 * const [finding] = checkControlCharacters(unit);
 * strictEqual(finding.code, "ERR_UNIT_INVALID_VALUE");
 * strictEqual(finding.line, 3);
 * ```
 */
export function checkControlCharacters(unit: UnitFile): Finding[] {
  const findings: Finding[] = [];
  for (const section of unit.sections) {
    for (const entry of section.entries) {
      const text = `${entry.key}=${entry.value}`;
      const match = CONTROL_REGEXP.exec(text);
      if (match === null) continue;
      const code = match[0].charCodeAt(0);
      const inKey = match.index < entry.key.length;
      const where = inKey
        ? `the key "${printable(entry.key)}"`
        : `the value of ${entry.key}= at character ${
          match.index - entry.key.length
        }`;
      findings.push({
        code: "ERR_UNIT_INVALID_VALUE",
        message: `Cannot use line ${entry.line} of "${entry.file}": ${
          describe(code)
        } is in ${where}, and systemd and Podman cannot use control characters there`,
        file: entry.file,
        line: entry.line,
        remedy:
          `Remove the character from line ${entry.line} of ${entry.file} (\`cat -A ${entry.file}\` shows it as ${
            caret(code)
          })${
            code === 0
              ? ""
              : `; where the key takes escapes (Exec=, Environment=…), write it as \\x${
                hex(code)
              } instead`
          }`,
      });
    }
  }
  return findings;
}

function describe(code: number): string {
  return `${NAMES[code] ?? "a control character"} (U+${
    hex(code).padStart(4, "0")
  })`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, "0");
}

/** How `cat -A` shows a control character: `^@` for NUL, `^?` for DEL. */
function caret(code: number): string {
  return code === 0x7f ? "^?" : `^${String.fromCharCode(code + 0x40)}`;
}

function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => caret(c.charCodeAt(0)));
}
