/**
 * `leger __complete <kinds> [--scope …]`, hidden: the values the completion
 * scripts offer (`leger completion`), one a line, such as
 * `leger __complete services,deployments`. Read from leger's state only
 * (cli/completion/complete_values.ts): no network, no process, no lock.
 * Whatever goes wrong, it prints nothing and exits 0: a completion has
 * nowhere to show an error.
 *
 * It runs on every TAB, so main.ts sends it here straight away
 * ({@linkcode completeWords}), without the argument parser and the
 * dependencies of the other commands (measured: ~13 ms of its ~39 ms).
 *
 * @module
 */
import type { Scope } from "../../lib/state/paths.ts";
import { completeValues } from "../completion/complete_values.ts";
import { type CliContext, processContext } from "../context.ts";
import type { CommandDeps } from "../deps.ts";
import type { CommandLine } from "../spec.ts";

/** The options of `leger __complete`. */
export interface CompleteOptions {
  /** The kinds wanted (`deployments`, `services`, …), in order. */
  kinds: string[];
  /** `--scope`; by default the scopes `leger deploy list` shows. */
  scope?: Scope;
}

/** Reads the command line of `leger __complete`. */
export function parse(line: CommandLine): CompleteOptions {
  return {
    kinds: (line.args[0] ?? "").split(",").filter((kind) => kind !== ""),
    scope: scopeOf(line.options.scope),
  };
}

/** Runs `leger __complete`: prints the values, one a line; never an error. */
export async function run(
  options: CompleteOptions,
  deps: CommandDeps,
): Promise<number> {
  await printValues(options, deps.context);
  return 0;
}

/**
 * Runs `leger __complete` from the words after it, as the completion scripts
 * write them (`services,deployments --scope user`), with the process's
 * context; a line of any other shape prints nothing.
 *
 * Requires `--allow-env`, `--allow-sys=uid` and `--allow-read` for leger's
 * state folders.
 *
 * @param words The command-line words after `__complete`.
 * @returns 0, always.
 *
 * @example Usage
 * ```ts ignore
 * import { completeWords } from "./complete.ts";
 * await completeWords(["deployments", "--scope", "user"]);
 * ```
 */
export async function completeWords(words: readonly string[]): Promise<number> {
  const kinds: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === "--scope") options.scope = words[++i] ?? "";
    else if (word.startsWith("--scope=")) options.scope = word.slice(8);
    else if (word.startsWith("-") || kinds.length > 0) return 0;
    else kinds.push(word);
  }
  const line: CommandLine = { args: kinds, options };
  if (options.scope !== undefined && scopeOf(options.scope) === undefined) {
    return 0;
  }
  await printValues(parse(line), processContext({ debug: false }));
  return 0;
}

/** `--scope`'s value when it is one (the parser checks it on its way; main.ts's does not). */
function scopeOf(value: unknown): Scope | undefined {
  return value === "user" || value === "system" ? value : undefined;
}

async function printValues(
  options: CompleteOptions,
  context: CliContext,
): Promise<void> {
  try {
    const scopes: Scope[] = options.scope !== undefined
      ? [options.scope]
      : context.uid === 0
      ? ["system", "user"]
      : ["user"];
    const values = await completeValues(options.kinds, {
      scopes,
      pathEnv: context,
    });
    if (values.length > 0) context.out(values.join("\n") + "\n");
  } catch {
    // completeValues drops what it cannot read; anything else (a closed
    // stdout) still must not print in the middle of the user's line.
  }
}
