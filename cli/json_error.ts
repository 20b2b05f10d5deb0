/**
 * The `--json` form of an error: with `--json`, stdout holds exactly one JSON
 * document, the command's result or `{"error": {…}}`, while the error for a
 * person still goes to stderr (print_error.ts).
 *
 * @module
 */
import type { ErrorCode, LegerError } from "../lib/errors/mod.ts";
import type { CliContext } from "./context.ts";

/** What `--json` prints on stdout when a command fails. */
export interface JsonErrorDocument {
  /** The error, from `LegerError.toJSON()` plus its details. */
  error: {
    /** The catalogue code (`ERR_*`), which also sets the exit code. */
    code: ErrorCode;
    /** What could not be done, and why. */
    message: string;
    /** The file the error is about, as the user knows it; `null` when none. */
    file: string | null;
    /** The 1-based line in `file`; `null` when none. */
    line: number | null;
    /** What to run or change to fix it; `null` when none is known. */
    remedy: string | null;
    /** Extra lines (expected/actual, what exists); empty when none. */
    details: string[];
  };
}

/**
 * The `{"error": {…}}` document of a leger error. Every key is present
 * (`null` when the error has no file, line or remedy), so that a script
 * reads `.error.file` without checking for it first.
 *
 * @param error The error printError reports (see `toLegerError`).
 * @returns The document.
 *
 * @example Usage
 * ```ts
 * import { jsonErrorDocument } from "./json_error.ts";
 * import { LegerError } from "../lib/errors/mod.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const error = new LegerError("ERR_PORT_CONFLICT", 'Cannot publish port "8080"', {
 *   file: "web.container", line: 4, details: ["taken by: other.container"],
 *   remedy: "Change PublishPort= in web.container",
 * });
 * deepStrictEqual(jsonErrorDocument(error), {
 *   error: {
 *     code: "ERR_PORT_CONFLICT",
 *     message: 'Cannot publish port "8080"',
 *     file: "web.container",
 *     line: 4,
 *     remedy: "Change PublishPort= in web.container",
 *     details: ["taken by: other.container"],
 *   },
 * });
 * const bare = jsonErrorDocument(new LegerError("ERR_USAGE", "Cannot run leger"));
 * deepStrictEqual([bare.error.file, bare.error.line], [null, null]);
 * ```
 */
export function jsonErrorDocument(error: LegerError): JsonErrorDocument {
  const { code, message, file, line, remedy } = error.toJSON();
  return {
    error: {
      code,
      message,
      file: file ?? null,
      line: line ?? null,
      remedy: remedy ?? null,
      details: [...error.details],
    },
  };
}

/** Options for {@linkcode printJsonError}. */
export interface PrintJsonErrorOptions {
  /**
   * Print the document on one line, for a command whose `--json` prints
   * JSON lines (`service logs`), so that every line stays one object.
   *
   * @default {false}
   */
  oneLine?: boolean;
}

/**
 * Prints the `{"error": {…}}` document of `error` on stdout, indented two
 * spaces like every `--json` document of leger (or on one line).
 *
 * @param error The error to print.
 * @param context Where stdout goes.
 * @param options Whether to print it on one line.
 *
 * @example Usage
 * ```ts
 * import { printJsonError } from "./json_error.ts";
 * import { LegerError } from "../lib/errors/mod.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * let out = "";
 * printJsonError(new LegerError("ERR_USAGE", "Cannot run leger"), {
 *   out: (text: string) => { out += text; },
 * });
 * strictEqual(JSON.parse(out).error.code, "ERR_USAGE");
 * ```
 */
export function printJsonError(
  error: LegerError,
  context: Pick<CliContext, "out">,
  options: PrintJsonErrorOptions = {},
): void {
  const { oneLine = false } = options;
  const document = jsonErrorDocument(error);
  context.out(JSON.stringify(document, null, oneLine ? undefined : 2) + "\n");
}
