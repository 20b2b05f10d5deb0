import { LegerError } from "../lib/errors/mod.ts";

/**
 * An error of legerd's configuration at start: legerd.yaml, leger's
 * config.yaml, the `LEGER_*_URL` variables, the session's
 * `XDG_RUNTIME_DIR`. It is the original error (same code, message, file,
 * details, remedy and cause), marked so that `main()` exits 78
 * (`EX_CONFIG`): systemd does not start again, every 5 seconds, a legerd
 * that cannot run until its configuration is corrected.
 *
 * @example Usage
 * ```ts
 * import { LegerdConfigError } from "./legerd_config_error.ts";
 * import { LegerError } from "../lib/errors/mod.ts";
 * import { ok, strictEqual } from "node:assert/strict";
 *
 * const error = new LegerdConfigError(
 *   new LegerError("ERR_NETWORK_NOT_ALLOWED", 'Cannot use LEGER_API_URL "http://evil.test"'),
 * );
 * ok(error instanceof LegerError);
 * strictEqual(error.code, "ERR_NETWORK_NOT_ALLOWED");
 * strictEqual(error.message, 'Cannot use LEGER_API_URL "http://evil.test"');
 * ```
 */
export class LegerdConfigError extends LegerError {
  /** Always `"LegerdConfigError"`. */
  override name = "LegerdConfigError";

  /**
   * Marks an error as one of legerd's configuration.
   *
   * @param error The error, as it is reported.
   */
  constructor(error: LegerError) {
    super(error.code, error.message, {
      cause: error.cause,
      remedy: error.remedy,
      file: error.file,
      line: error.line,
      details: error.details,
    });
    this.stack = error.stack;
  }
}
