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
import { LegerError } from "../lib/errors/mod.ts";
import { processContext } from "./context.ts";
import { findHelpTarget, renderHelp } from "./help.ts";
import { parseArgs, UsageError } from "./parse_args.ts";
import { printError } from "./print_error.ts";
import type { CommandModule } from "./spec.ts";
import { VERSION } from "./version.ts";

/**
 * Parses `args`, runs the command they name and returns the exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { runProgram } from "./program.ts";
 * const code = await runProgram(["validate", "./my-app"]);
 * ```
 */
export async function runProgram(args: readonly string[]): Promise<number> {
  const context = processContext({ debug: args.includes("--debug") });
  try {
    const parsed = parseArgs(args);
    const module = await loadCommand(parsed.command.module);
    return await module.run(parsed.args, parsed.options, context);
  } catch (error) {
    if (!(error instanceof UsageError)) return printError(error, context);
    const words = error.words;
    const target = findHelpTarget(words);
    printError(
      new LegerError("ERR_USAGE", `Cannot run leger: ${error.message}`, {
        remedy: `Run \`leger ${[...words, "--help"].join(" ")}\` for usage`,
      }),
      context,
    );
    if (target !== null) context.err("\n" + renderHelp(target, VERSION));
    return 2;
  }
}

/** Imports a command's module by a computed URL (see `CommandSpec.module`). */
async function loadCommand(name: string): Promise<CommandModule> {
  return await import(new URL(`./commands/${name}.ts`, import.meta.url).href);
}
