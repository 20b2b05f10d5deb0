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
import { HelpRequested, parseArgs, UsageError } from "./parse_args.ts";
import { printError } from "./print_error.ts";
import type { CommandModule } from "./spec.ts";
import { printUsage } from "./usage_error.ts";

/**
 * Parses `args`, runs the command they name and returns the exit code. Tests
 * pass `deps` to run a whole command line in-process with fakes.
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
): Promise<number> {
  deps ??= processDeps({ debug: args.includes("--debug") });
  const { context } = deps;
  try {
    const parsed = parseArgs(args);
    const module = await loadCommand(parsed.command.module);
    return await module.run(module.parse(parsed), deps);
  } catch (error) {
    if (error instanceof HelpRequested || error instanceof UsageError) {
      return printUsage(error, context);
    }
    return printError(error, context);
  }
}

/** Imports a command's module by a computed URL (see `CommandSpec.module`). */
async function loadCommand(name: string): Promise<CommandModule> {
  return await import(new URL(`./commands/${name}.ts`, import.meta.url).href);
}
