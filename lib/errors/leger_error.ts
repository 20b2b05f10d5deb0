import { ERROR_CODES, type ErrorCode } from "./codes.ts";
import { redactUrl } from "./redact_url.ts";

/** Options for {@linkcode LegerError}. */
export interface LegerErrorOptions {
  /** Why it happened, when known (a second line for the user). */
  cause?: unknown;
  /**
   * What to run or change to fix it.
   *
   * @default {the code's remedy in {@linkcode ERROR_CODES}}
   */
  remedy?: string;
  /** The file the error is about, as the user knows it (`web.container`). */
  file?: string;
  /** The 1-based line in {@linkcode LegerErrorOptions.file}. */
  line?: number;
  /** Extra lines printed between the message and the remedy (expected/actual). */
  details?: string[];
}

/**
 * An error leger reports to the user: a code from the catalogue, a first line
 * that says what could not be done, the cause, and the remedy. Every error
 * has a remedy: without one of its own, it takes its code's from the
 * catalogue. Its message, details and remedy never show credentials: every
 * URL in them goes through `redactUrl()` (`https://user:token@host/…` is
 * shown as `https://host/…`).
 *
 * @example Usage
 * ```ts
 * import { LegerError } from "./leger_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const err = new LegerError("ERR_PORT_CONFLICT", 'Cannot publish port "8080"', {
 *   file: "web.container", line: 4, remedy: "Change PublishPort= in web.container",
 * });
 * strictEqual(err.exitCode, 1);
 * strictEqual(err.where, "web.container:4");
 * strictEqual(
 *   new LegerError("ERR_LEGER_NOT_AUTHENTICATED", "Cannot list releases").remedy,
 *   "Run `leger auth login`",
 * );
 * strictEqual(
 *   new LegerError("ERR_GIT_CLONE_FAILED", "Cannot fetch https://u:tok@host/r.git").message,
 *   "Cannot fetch https://host/r.git",
 * );
 * ```
 */
export class LegerError extends Error {
  /** Always `"LegerError"` (subclasses set their own). */
  override name = "LegerError";
  /** The catalogue code (`ERR_*`, see {@linkcode ERROR_CODES}), which also sets the exit code. */
  readonly code: ErrorCode;
  /** What to run or change to fix it: the error's own, else its code's. */
  readonly remedy: string;
  /** The file the error is about, as the user knows it (`web.container`). */
  readonly file?: string;
  /** The 1-based line in {@linkcode LegerError.file}. */
  readonly line?: number;
  /** Extra lines printed between the message and the remedy (expected/actual); empty when none. */
  readonly details: string[];

  /**
   * Creates the error.
   *
   * @param code The catalogue code.
   * @param message The first line for the user: what could not be done
   * ("Cannot …"), and why.
   * @param options The cause, remedy (the code's by default), file, line
   * and details.
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: LegerErrorOptions = {},
  ) {
    super(
      redactUrl(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.remedy = redactUrl(options.remedy ?? ERROR_CODES[code].remedy);
    this.file = options.file === undefined
      ? undefined
      : redactUrl(options.file);
    this.line = options.line;
    this.details = (options.details ?? []).map(redactUrl);
  }

  /** The exit code a command ends with for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** `file:line`, `file`, or `undefined` when the error is about no file. */
  get where(): string | undefined {
    if (this.file === undefined) return undefined;
    return this.line === undefined ? this.file : `${this.file}:${this.line}`;
  }

  /** The plain-data form used in `--json` documents. */
  toJSON(): {
    code: ErrorCode;
    message: string;
    file?: string;
    line?: number;
    remedy: string;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.file === undefined ? {} : { file: this.file }),
      ...(this.line === undefined ? {} : { line: this.line }),
      remedy: this.remedy,
    };
  }
}
