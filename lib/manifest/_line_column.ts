/** A 1-based line and column. */
export interface LineColumn {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units). */
  column: number;
}

/**
 * The 1-based line and column of an offset in a text.
 *
 * It scans the text up to `offset`: to locate many offsets in one text, use
 * {@linkcode lineIndex}, which scans it once.
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
export function lineColumnAt(text: string, offset: number): LineColumn {
  return lineIndex(text)(offset);
}

/**
 * Indexes where the lines of a text start, once, and returns a function that
 * locates an offset by binary search: locating every field of a manifest of
 * n bytes costs O(n + fields × log n), not O(n × fields).
 *
 * @param text The whole text.
 * @returns A function from a 0-based offset (clamped to the text) to its
 * 1-based line and column.
 *
 * @example Usage
 * ```ts
 * import { lineIndex } from "./_line_column.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const locate = lineIndex("ab\ncd\n");
 * deepStrictEqual(locate(0), { line: 1, column: 1 });
 * deepStrictEqual(locate(4), { line: 2, column: 2 });
 * deepStrictEqual(locate(6), { line: 3, column: 1 });
 * ```
 */
export function lineIndex(text: string): (offset: number) => LineColumn {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    starts.push(i + 1);
  }
  return (offset) => {
    const end = Math.min(Math.max(offset, 0), text.length);
    // The last line start at or before `end`.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= end) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: end - starts[low] + 1 };
  };
}
