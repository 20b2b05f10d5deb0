/**
 * Reads comma-separated records the way Go's `encoding/csv` reader does with
 * its defaults (which Podman uses to read `--mount` values): a field that
 * starts with `"` is quoted, `""` inside it is one `"`, and a quoted field
 * may span lines; empty lines are skipped.
 *
 * @param text The text.
 * @returns The records, each a list of fields.
 * @throws {SyntaxError} For a `"` inside an unquoted field, or a quoted field
 * that is not closed or is followed by something other than `,`.
 *
 * @example Usage
 * ```ts
 * import { readCsv } from "./_read_csv.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(readCsv('type=bind,"dst=/a,b"'), [["type=bind", "dst=/a,b"]]);
 * ```
 */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let pos = 0;
  const end = text.length;
  while (pos < end) {
    // Skip empty lines, as Go does.
    if (text[pos] === "\n" || (text[pos] === "\r" && text[pos + 1] === "\n")) {
      pos += text[pos] === "\n" ? 1 : 2;
      continue;
    }
    const record: string[] = [];
    for (;;) {
      if (text[pos] === '"') {
        let field = "";
        pos++;
        for (;;) {
          const quote = text.indexOf('"', pos);
          if (quote === -1) {
            throw new SyntaxError(
              `Cannot read "${text}" as CSV: a quoted field is not closed`,
            );
          }
          field += text.slice(pos, quote).replaceAll("\r\n", "\n");
          pos = quote + 1;
          if (text[pos] === '"') {
            field += '"';
            pos++;
          } else break;
        }
        record.push(field);
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (
          pos >= end || text[pos] === "\n" ||
          (text[pos] === "\r" && text[pos + 1] === "\n")
        ) {
          pos = skipNewline(text, pos);
          break;
        }
        throw new SyntaxError(
          `Cannot read "${text}" as CSV: extraneous or missing " in a quoted field`,
        );
      }
      let stop = pos;
      while (stop < end && text[stop] !== "," && text[stop] !== "\n") stop++;
      let field = text.slice(pos, stop);
      if (text[stop] === "\n" && field.endsWith("\r")) {
        field = field.slice(0, -1);
      }
      if (field.includes('"')) {
        throw new SyntaxError(
          `Cannot read "${text}" as CSV: bare " in an unquoted field "${field}"`,
        );
      }
      record.push(field);
      pos = stop;
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      pos = skipNewline(text, pos);
      break;
    }
    records.push(record);
  }
  return records;
}

function skipNewline(text: string, pos: number): number {
  if (text[pos] === "\n") return pos + 1;
  if (text[pos] === "\r" && text[pos + 1] === "\n") return pos + 2;
  return pos;
}
