import { CommandError } from "../lib/adapters/command_error.ts";
import { fromSystemError, LegerError } from "../lib/errors/mod.ts";
import { redactUrl } from "../lib/errors/redact_url.ts";
import type { CliContext } from "./context.ts";

/** How many lines of a failed program's stderr an error shows, besides its last. */
const STDERR_LINES = 5;

/**
 * Prints an error for a person: what could not be done, where, the details,
 * the cause, the fix, and the code. Every error has a fix: a leger error its
 * own or its code's (see `ERROR_CODES`), an error of the system the one
 * {@linkcode toLegerError} gives it; anything else is a bug in leger and
 * says so. With `--debug` the stack follows.
 *
 * @param error What the command threw.
 * @param context Where the text goes, and whether `--debug` was given.
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
  const cause = legerError.cause;
  // Deno's permission message says to run again with a flag, which a user
  // of the binary cannot do: the error's own words say what was refused.
  if (cause !== undefined && !(cause instanceof Deno.errors.NotCapable)) {
    const text = describe(cause);
    if (!legerError.message.includes(text)) lines.push(`  cause: ${text}`);
  }
  lines.push(legerError.remedy);
  lines.push(`[${legerError.code}]`);
  if (context.debug) {
    const stack = error instanceof Error ? error.stack : String(error);
    lines.push("", stack ?? "");
  }
  context.err(lines.join("\n") + "\n");
  return legerError.exitCode;
}

/**
 * The leger error {@linkcode printError} reports for anything a command
 * throws: a `LegerError` as it is; a program that failed (`CommandError`)
 * as `ERR_COMMAND_FAILED` with the end of what it wrote to stderr (URLs
 * without their credentials); an error
 * of the system or of Deno's permissions (`Deno.errors.*`, a full disk) as
 * `fromSystemError()` words it; anything else as `ERR_INTERNAL`, a bug.
 *
 * @param error What the command threw.
 * @returns The error to report, always with a remedy.
 *
 * @example Usage
 * ```ts
 * import { toLegerError } from "./print_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   toLegerError(new Deno.errors.NotADirectory("Not a directory (os error 20)")).code,
 *   "ERR_PATH_TYPE",
 * );
 * strictEqual(toLegerError(new TypeError("x is undefined")).code, "ERR_INTERNAL");
 * ```
 */
export function toLegerError(error: unknown): LegerError {
  if (error instanceof LegerError) return error;
  if (error instanceof CommandError) return commandFailed(error);
  return fromSystemError(error) ?? asInternal(error);
}

function commandFailed(error: CommandError): LegerError {
  const stderr = error.stderrTail === "" ? [] : error.stderrTail.split("\n");
  // The message ends with the last line already.
  const earlier = stderr.slice(0, -1).slice(-STDERR_LINES);
  // Git's arguments may hold a URL with credentials.
  return new LegerError("ERR_COMMAND_FAILED", redactUrl(error.message), {
    cause: error.cause,
    details: earlier.map(redactUrl),
    remedy: /Failed to connect to [\w ]*\bbus\b/i.test(error.stderrTail)
      ? "systemd's user instance cannot be reached: log in as that user (a `su` or `sudo -u` session has none), or run `loginctl enable-linger USER` and set XDG_RUNTIME_DIR=/run/user/$(id -u)"
      : undefined,
  });
}

function asInternal(error: unknown): LegerError {
  return new LegerError(
    "ERR_INTERNAL",
    `leger failed unexpectedly: ${describe(error)}`,
    { cause: error },
  );
}

/** A cause, in one line; its URLs, like leger's own messages', without credentials. */
function describe(value: unknown): string {
  return redactUrl(value instanceof Error ? value.message : String(value));
}
