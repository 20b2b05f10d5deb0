import { LegerError } from "../lib/errors/mod.ts";
import type { CliContext } from "./context.ts";

/**
 * Prints an error for a person: what could not be done, where, the details,
 * the fix, and the code. Any other error is a bug in leger and says so.
 * With `--debug` the stack follows.
 *
 * @returns The exit code to end the process with.
 *
 * @example Usage
 * ```ts
 * import { printError } from "./print_error.ts";
 * import { LegerError } from "../lib/errors/mod.ts";
 * import { strictEqual, match } from "node:assert/strict";
 *
 * let text = "";
 * const context = { err: (t: string) => { text += t; }, debug: false };
 * const code = printError(new LegerError("ERR_USAGE", "Cannot parse flag"), context);
 * strictEqual(code, 2);
 * match(text, /\[ERR_USAGE\]/);
 * ```
 */
export function printError(
  error: unknown,
  context: Pick<CliContext, "err" | "debug">,
): number {
  const legerError = toLegerError(error);
  const lines = [`Error: ${legerError.message}`];
  const where = legerError.where;
  if (where !== undefined && !legerError.message.includes(where)) {
    lines.push(`  at ${where}`);
  }
  lines.push(...legerError.details.map((detail) => `  ${detail}`));
  if (error instanceof LegerError && error.cause !== undefined) {
    lines.push(`  cause: ${describe(error.cause)}`);
  }
  if (legerError.remedy !== undefined) lines.push(legerError.remedy);
  lines.push(`[${legerError.code}]`);
  if (context.debug) {
    const stack = error instanceof Error ? error.stack : String(error);
    lines.push("", stack ?? "");
  }
  context.err(lines.join("\n") + "\n");
  return legerError.exitCode;
}

/**
 * The leger error that {@linkcode printError} reports for `error`: the error
 * itself when it is one, else `ERR_INTERNAL` (a bug) with `error` as its
 * cause. `--json` output renders the same error (cli/json_error.ts).
 *
 * @param error What a command threw.
 * @returns The leger error to report.
 *
 * @example Usage
 * ```ts
 * import { toLegerError } from "./print_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(toLegerError(new TypeError("x is null")).code, "ERR_INTERNAL");
 * ```
 */
export function toLegerError(error: unknown): LegerError {
  return error instanceof LegerError ? error : asInternal(error);
}

function asInternal(error: unknown): LegerError {
  return new LegerError(
    "ERR_INTERNAL",
    `leger failed unexpectedly: ${describe(error)}`,
    {
      cause: error,
      remedy:
        "Run the command again with --debug and report the output as a bug",
    },
  );
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
