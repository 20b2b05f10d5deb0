import {
  type ErrorCode,
  LegerError,
  type LegerErrorOptions,
} from "../errors/mod.ts";

/**
 * An update that failed, or was interrupted, after it began to change the
 * host, and was rolled back: the error that stopped it (its code, message
 * and remedy), with what the rollback left in its details. `complete` says
 * whether the rollback finished; when it did not, the next leger command
 * that changes deployments finishes it.
 *
 * @example Usage
 * ```ts
 * import { UpdateRolledBackError } from "./update_rolled_back_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = new UpdateRolledBackError("ERR_SERVICE_START_FAILED", "Cannot start web.service", {
 *   complete: true,
 *   details: ['Rolled back: the previous version of "web" is installed.'],
 * });
 * strictEqual(error.code, "ERR_SERVICE_START_FAILED");
 * strictEqual(error.complete, true);
 * ```
 */
export class UpdateRolledBackError extends LegerError {
  /** Always `"UpdateRolledBackError"`. */
  override name = "UpdateRolledBackError";
  /** Whether the rollback finished (else the next leger finishes it). */
  readonly complete: boolean;

  /**
   * Creates the error.
   *
   * @param code The code of the error that stopped the update.
   * @param message Its message.
   * @param options Its cause, remedy, file, line and details, and whether
   * the rollback finished.
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: LegerErrorOptions & { complete: boolean },
  ) {
    super(code, message, options);
    this.complete = options.complete;
  }
}
