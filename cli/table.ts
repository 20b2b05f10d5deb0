/** Options for {@linkcode formatTable}. */
export interface FormatTableOptions {
  /** Column headers, shown on a terminal only. */
  header: readonly string[];
  /** Whether stdout is a terminal: aligned columns with a header, else tab-separated rows. */
  terminal: boolean;
  /**
   * Spaces before each row on a terminal.
   *
   * @default {0}
   */
  indent?: number;
}

/**
 * Formats rows as a table: aligned with a header on a terminal, tab-separated
 * without one for scripts (as gh does).
 *
 * @example Usage
 * ```ts
 * import { formatTable } from "./table.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(formatTable([["a", "b"]], { header: ["X", "Y"], terminal: false }), "a\tb\n");
 * ```
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  options: FormatTableOptions,
): string {
  const { header, terminal, indent = 0 } = options;
  if (!terminal) return rows.map((row) => row.join("\t") + "\n").join("");
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? "").length))
  );
  const pad = " ".repeat(indent);
  return all.map((row) =>
    pad +
    row.map((cell, column) =>
      column === row.length - 1 ? cell : cell.padEnd(widths[column])
    ).join("  ") + "\n"
  ).join("");
}
