/**
 * Parses the command line against the command table in spec.ts and runs the
 * command it names. Each command's module is imported only when it runs.
 *
 * The parser is leger's own (parse_args.ts), not commander, which the design
 * named: measured, importing commander costs ~40 ms on every command, for
 * parsing that the command table already describes.
 *
 * @module
 */
import { type CommandDeps, processDeps } from "./deps.ts";
import { printJsonError } from "./json_error.ts";
import type { Prefetched } from "./prefetch.ts";
import { noUserSession } from "./no_user_session.ts";
import { HelpRequested, parseArgs, UsageError } from "./parse_args.ts";
import { printError, toLegerError } from "./print_error.ts";
import type { CommandModule } from "./spec.ts";
import { printUsage, usageLegerError } from "./usage_error.ts";

/**
 * Parses `args`, runs the command they name and returns the exit code. Tests
 * pass `deps` to run a whole command line in-process with fakes.
 *
 * With `--json` (the command's parsed option; for a command line the parser
 * refuses, the word `--json` before `--`), an error also prints one
 * `{"error": {…}}` document on stdout (json_error.ts), so that stdout holds
 * exactly one JSON document whatever happens (for a command whose `--json`
 * prints JSON lines, one more line); the error for a person still goes to
 * stderr, and the exit code is the error's. A command that failed because
 * `systemctl --user` reached no manager reports `ERR_SYSTEMD_NOT_RUNNING`
 * naming `XDG_RUNTIME_DIR` instead (no_user_session.ts).
 *
 * @param args The command-line words after `leger`.
 * @param deps What touches the host; the process's own when absent.
 * @param prefetched Processes main.ts started ahead (prefetch.ts), for the
 * process's own `deps`.
 * @returns The exit code: 0 success, 1 failure, 2 usage, 4 login needed,
 * 130 interrupted.
 *
 * @example Usage
 * ```ts ignore
 * import { runProgram } from "./program.ts";
 * const code = await runProgram(["validate", "./my-app"]);
 * ```
 */
export async function runProgram(
  args: readonly string[],
  deps?: CommandDeps,
  prefetched: readonly Prefetched[] = [],
): Promise<number> {
  deps ??= processDeps({ debug: args.includes("--debug"), prefetched });
  const { context } = deps;
  let json = wordsAskForJson(args);
  let oneLine = false;
  try {
    const parsed = parseArgs(args);
    json = parsed.options.json === true;
    oneLine = parsed.command.jsonOutput === "lines";
    const module = await loadCommand(parsed.command.module);
    return await module.run(module.parse(parsed), deps);
  } catch (error) {
    if (error instanceof HelpRequested) return printUsage(error, context);
    if (error instanceof UsageError) {
      if (json) printJsonError(usageLegerError(error), context, { oneLine });
      return printUsage(error, context);
    }
    // A systemctl --user that reached no manager: say it is no login session.
    const reported = noUserSession(error, context) ?? error;
    if (json) printJsonError(toLegerError(reported), context, { oneLine });
    return printError(reported, context);
  }
}

/** Whether `--json` is among the words before `--` (for a line the parser refuses). */
function wordsAskForJson(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--json");
}

/** Imports a command's module by a computed URL (see `CommandSpec.module`). */
async function loadCommand(name: string): Promise<CommandModule> {
  return await import(new URL(`./commands/${name}.ts`, import.meta.url).href);
}
