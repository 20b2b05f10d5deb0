/**
 * Builds the commander program from the command table in spec.ts and runs it.
 * Each command's module is imported only when that command runs.
 *
 * @module
 */
import { Command, CommanderError, Option } from "commander";
import { LegerError } from "../lib/errors/mod.ts";
import { type CliContext, processContext } from "./context.ts";
import { findHelpTarget, renderHelp } from "./help.ts";
import { printError } from "./print_error.ts";
import { type CommandSpec, GROUPS, TOP_COMMANDS } from "./spec.ts";
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
  const debug = args.includes("--debug");
  const context = processContext({ debug });
  let exitCode = 0;
  const program = new Command("leger")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.out(text),
      writeErr: () => {},
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .helpCommand(false)
    .allowExcessArguments(false);
  for (const spec of TOP_COMMANDS) {
    addCommand(program, spec, context, (code) => exitCode = code);
  }
  for (const group of GROUPS) {
    const groupCommand = program.command(group.name).helpCommand(false);
    for (const spec of group.commands) {
      addCommand(groupCommand, spec, context, (code) => exitCode = code);
    }
  }
  try {
    await program.parseAsync([...args], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return usageError(error, args, context);
    }
    return printError(error, context);
  }
}

function addCommand(
  parent: Command,
  spec: CommandSpec,
  context: CliContext,
  setExitCode: (code: number) => void,
): void {
  const command = parent.command(spec.name).exitOverride().option("--debug");
  for (const arg of spec.args ?? []) command.argument(arg);
  for (const optionSpec of spec.options ?? []) {
    const option = new Option(optionSpec.flags, optionSpec.description);
    if (optionSpec.choices !== undefined) option.choices(optionSpec.choices);
    command.addOption(option);
  }
  command.action(async (...actionArgs: unknown[]) => {
    // commander passes the positional arguments, then the options object, then the command.
    const positional = actionArgs.slice(0, -2) as (string | undefined)[];
    const options = actionArgs.at(-2) as Record<string, unknown>;
    try {
      const module = await spec.load();
      setExitCode(
        await module.run(
          positional.filter((value): value is string => value !== undefined),
          options,
          context,
        ),
      );
    } catch (error) {
      setExitCode(printError(error, context));
    }
  });
  command.configureOutput({
    writeErr: () => {},
    writeOut: (t) => context.out(t),
  });
}

function usageError(
  error: CommanderError,
  args: readonly string[],
  context: CliContext,
): number {
  const message = error.message.replace(/^error: /, "");
  const words = args.filter((arg) => !arg.startsWith("-"));
  let target = findHelpTarget(words);
  while (target === null && words.length > 0) {
    words.pop();
    target = findHelpTarget(words);
  }
  printError(
    new LegerError("ERR_USAGE", `Cannot run leger: ${message}`, {
      remedy: `Run \`leger ${words.join(" ")}${
        words.length ? " " : ""
      }--help\` for usage`,
    }),
    context,
  );
  if (target !== null) context.err("\n" + renderHelp(target, VERSION));
  return 2;
}
