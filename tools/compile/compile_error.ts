/**
 * The error that stops `deno task compile`, with the exit code it ends with.
 *
 * @module
 */

/** The exit code of a build skipped for want of a denort (automake's "skipped"). */
export const EXIT_SKIPPED = 77;

/** The exit code of a command line `deno task compile` cannot use. */
export const EXIT_USAGE = 2;

/**
 * Why the build stopped: the message to print (its first line, then lines
 * of facts and the fix), and the exit code.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { CompileError, EXIT_USAGE } from "./compile_error.ts";
 *
 * const error = new CompileError("Cannot parse the command line", EXIT_USAGE);
 * strictEqual(error.exitCode, 2);
 * strictEqual(error.name, "CompileError");
 * ```
 */
export class CompileError extends Error {
  /** `CompileError`. */
  override name = "CompileError";
  /** 1 failure, {@linkcode EXIT_USAGE} usage, {@linkcode EXIT_SKIPPED} no denort. */
  readonly exitCode: number;

  /**
   * Makes the error of a stopped build.
   *
   * @param message The first line, then lines of facts and the fix.
   * @param exitCode The exit code the task ends with.
   * @param options The error that caused it, if any (`cause`).
   */
  constructor(message: string, exitCode: number, options?: ErrorOptions) {
    super(message, options);
    this.exitCode = exitCode;
  }
}
