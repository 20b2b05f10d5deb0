/**
 * The 1-based line and column of an offset in a text.
 *
 * @param text The whole text.
 * @param offset A 0-based offset into `text` (UTF-16 code units).
 * @returns The 1-based line and column.
 *
 * @example Usage
 * ```ts
 * import { lineColumnAt } from "./_line_column.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(lineColumnAt("ab\ncd", 4), { line: 2, column: 2 });
 * ```
 */
export function lineColumnAt(
  text: string,
  offset: number,
): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
