/**
 * Writes one comma-separated record the way Go's `encoding/csv` writer does
 * (Podman writes `--mount` values with it): a field is quoted when it holds
 * `,`, `"`, `\r` or `\n`, starts with a space, or is `\.`; `"` is doubled.
 *
 * @param fields The fields.
 * @returns The record, without a line end.
 *
 * @example Usage
 * ```ts
 * import { writeCsv } from "./_write_csv.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(writeCsv(["type=bind", "dst=/a,b"]), 'type=bind,"dst=/a,b"');
 * ```
 */
export function writeCsv(fields: readonly string[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (i > 0) out += ",";
    out += needsQuotes(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return out;
}

function needsQuotes(field: string): boolean {
  if (field === "") return false;
  if (field === "\\.") return true;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c === 0x2c || c === 0x22 || c === 0x0d || c === 0x0a) return true;
  }
  return isGoSpace(field.codePointAt(0)!);
}

/** Go's `unicode.IsSpace`. */
function isGoSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f || c === 0x3000;
}
