/**
 * What `leger` prints when the parser stops before a command runs: the help
 * that was asked for, or a short usage error.
 *
 * @module
 */
import { LegerError } from "../lib/errors/mod.ts";
import type { CliContext } from "./context.ts";
import { findHelpTarget, renderHelp, usageLine } from "./help.ts";
import { HelpRequested, type UsageError } from "./parse_args.ts";
import { printError } from "./print_error.ts";
import { VERSION } from "./version.ts";

/**
 * Prints the help a {@linkcode HelpRequested} asks for on stdout, or a
 * {@linkcode UsageError} on stderr in a few lines: the error (with its "did
 * you mean"), the command's one-line usage when the words named a group or
 * command, the help command to run, and `[ERR_USAGE]`. Never the whole help:
 * it would bury the error.
 *
 * @param stop What the parser threw.
 * @param context Where to print, and whether to add the stack (`--debug`).
 * @returns The exit code: 0 for help, 2 for a usage error.
 *
 * @example Usage
 * ```ts
 * import { printUsage } from "./usage_error.ts";
 * import { UsageError } from "./parse_args.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * let err = "";
 * const context = { out: () => {}, err: (t: string) => { err += t; }, debug: false };
 * const error = new UsageError("unknown option '--dryrun'", ["deploy", "install"]);
 * strictEqual(printUsage(error, context), 2);
 * strictEqual(err, [
 *   "Error: Cannot run leger: unknown option '--dryrun'",
 *   "  usage: leger deploy install [name] [flags]",
 *   "Run `leger deploy install --help` for its flags and examples",
 *   "[ERR_USAGE]",
 *   "",
 * ].join("\n"));
 * ```
 */
export function printUsage(
  stop: HelpRequested | UsageError,
  context: Pick<CliContext, "out" | "err" | "debug">,
): number {
  if (stop instanceof HelpRequested) {
    const target = findHelpTarget(stop.words) ?? { type: "program" };
    context.out(renderHelp(target, VERSION));
    return 0;
  }
  return printError(usageLegerError(stop), context);
}

/**
 * The `ERR_USAGE` error {@linkcode printUsage} prints for a
 * {@linkcode UsageError}: the message, the command's one-line usage and the
 * help command to run (also the `--json` error document's content).
 *
 * @param stop What the parser threw.
 * @returns The error to report.
 *
 * @example Usage
 * ```ts
 * import { usageLegerError } from "./usage_error.ts";
 * import { UsageError } from "./parse_args.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = usageLegerError(new UsageError("unknown option '--x'", ["deploy", "list"]));
 * strictEqual(error.remedy, "Run `leger deploy list --help` for its flags and examples");
 * ```
 */
export function usageLegerError(stop: UsageError): LegerError {
  const target = findHelpTarget(stop.words) ?? { type: "program" };
  const help = ["leger", ...stop.words, "--help"].join(" ");
  return new LegerError(
    "ERR_USAGE",
    `Cannot run leger: ${stop.message}`,
    {
      details: target.type === "program" ? [] : [`usage: ${usageLine(target)}`],
      remedy: `Run \`${help}\` ${REMEDY_ENDINGS[target.type]}`,
    },
  );
}

const REMEDY_ENDINGS = {
  program: "for usage",
  group: "for its subcommands",
  command: "for its flags and examples",
} as const;
