import { LegerError } from "../errors/leger_error.ts";
import type { Finding } from "../errors/finding.ts";

/**
 * Turns a finding into the error a command reports, keeping its code, file,
 * line and remedy.
 *
 * @param finding The finding, from `validateDeployment` or `findConflicts`.
 * @returns The error, ready to throw.
 *
 * @example Usage
 * ```ts
 * import { findingToError } from "./finding_to_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const err = findingToError({
 *   code: "ERR_UNIT_UNKNOWN_KEY",
 *   message: 'Cannot use key "PublishPorts" in [Container] of "web.container"',
 *   file: "web.container",
 *   line: 4,
 *   remedy: "Did you mean `PublishPort`?",
 * });
 * strictEqual(err.where, "web.container:4");
 * strictEqual(err.exitCode, 1);
 * ```
 */
export function findingToError(finding: Finding): LegerError {
  const { code, message, file, line, remedy } = finding;
  return new LegerError(code, message, { file, line, remedy });
}
