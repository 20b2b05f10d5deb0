import { LegerError, type LegerErrorOptions } from "../errors/leger_error.ts";
import type { ErrorCode } from "../errors/codes.ts";

/** What a leger.run failure envelope said, besides leger's own wording. */
export interface LegerRunApiErrorInfo {
  /** The HTTP status. */
  status: number;
  /** The envelope's `error.code` (`invalid_token`, `account_not_linked`, …). */
  apiCode: string;
  /** The envelope's `error.message`. */
  apiMessage: string;
  /** The envelope's `error.action`, when given. */
  apiAction?: string;
  /** The envelope's `error.docs`, when given. */
  docs?: string;
}

/**
 * A leger error made from a leger.run failure envelope: the envelope's
 * `message` and `action` are shown through leger's own code and wording, and
 * the envelope's fields stay available to callers that act on them (such as
 * `leger auth status`, which tells a rejected token from an outage).
 *
 * @example Usage
 * ```ts
 * import { LegerRunApiError } from "./leger_run_api_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = new LegerRunApiError(
 *   "ERR_API_ERROR",
 *   "Cannot list releases: Database unavailable",
 *   { status: 503, apiCode: "internal_error", apiMessage: "Database unavailable" },
 * );
 * strictEqual(error.status, 503);
 * strictEqual(error.exitCode, 1);
 * ```
 */
export class LegerRunApiError extends LegerError {
  /** Always `"LegerRunApiError"`. */
  override name = "LegerRunApiError";
  /** The HTTP status of the failure (4xx or 5xx). */
  readonly status: number;
  /** The envelope's `error.code`, such as `invalid_token` or `not_found`. */
  readonly apiCode: string;
  /** The envelope's `error.message`, as leger.run wrote it. */
  readonly apiMessage: string;
  /** The envelope's `error.action` (what to do), when given. */
  readonly apiAction?: string;
  /** The envelope's `error.docs` (a URL), when given. */
  readonly docs?: string;

  /**
   * Creates the error.
   *
   * @param code leger's code for it.
   * @param message leger's first line, holding the envelope's message.
   * @param info The envelope's fields.
   * @param options The remedy and details, as for {@linkcode LegerError}.
   */
  constructor(
    code: ErrorCode,
    message: string,
    info: LegerRunApiErrorInfo,
    options: LegerErrorOptions = {},
  ) {
    super(code, message, options);
    this.status = info.status;
    this.apiCode = info.apiCode;
    this.apiMessage = info.apiMessage;
    this.apiAction = info.apiAction;
    this.docs = info.docs;
  }
}
