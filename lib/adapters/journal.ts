import type { Scope } from "./scope.ts";
import { run, type Runner } from "./run.ts";

/** Options for {@linkcode streamJournal}. */
export interface StreamJournalOptions {
  /** How many of the last lines to show. */
  lines: number;
  /** Only lines since then, in journalctl's forms (`1h ago`, `2026-11-27 10:00`). */
  since?: string;
  /** Keep printing new lines until interrupted. */
  follow: boolean;
  /**
   * Print each entry as one JSON object per line, with all its fields
   * (journalctl's `--output json`) instead of text.
   *
   * @default {false}
   */
  json?: boolean;
}

/**
 * Prints a unit's journal of a scope straight to this process's stdout and
 * stderr (streaming, so `--follow` runs until Ctrl-C): text, or with `json`
 * one JSON object per entry and line.
 *
 * Requires `--allow-run=journalctl`.
 *
 * @returns 0 when journalctl succeeded, else 1.
 *
 * @example Usage
 * ```ts ignore
 * import { streamJournal } from "./journal.ts";
 * await streamJournal("user", "web.service", { lines: 100, follow: false });
 * ```
 */
export async function streamJournal(
  scope: Scope,
  unit: string,
  options: StreamJournalOptions,
): Promise<number> {
  const { lines, since, follow, json = false } = options;
  const args = [
    ...journalArgs(scope, unit, lines),
    ...(since === undefined ? [] : ["--since", since]),
    ...(follow ? ["--follow"] : []),
    ...(json ? ["--output", "json"] : []),
  ];
  // Not through run(): the output is the user's to read as it comes, not ours to capture.
  const { code } = await new Deno.Command("journalctl", {
    args,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return code === 0 ? 0 : 1;
}

/**
 * The last lines a unit wrote to the journal of its scope, for error messages.
 *
 * Requires `--allow-run=journalctl`.
 *
 * @example Usage
 * ```ts ignore
 * import { journalTail } from "./journal.ts";
 * const lines = await journalTail("user", "web.service", 10);
 * ```
 */
export async function journalTail(
  scope: Scope,
  unit: string,
  lines: number,
  options: { runner?: Runner } = {},
): Promise<string[]> {
  const { runner = run } = options;
  const { stdout } = await runner(
    "journalctl",
    [...journalArgs(scope, unit, lines), "--output", "cat"],
    { allowedExitCodes: [1] },
  );
  return stdout.split("\n").filter((line) => line !== "");
}

function journalArgs(scope: Scope, unit: string, lines: number): string[] {
  return [
    ...(scope === "user" ? ["--user"] : []),
    "--unit",
    unit,
    "--lines",
    String(lines),
    "--no-pager",
  ];
}
