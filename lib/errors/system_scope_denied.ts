import { LegerError } from "./leger_error.ts";

/**
 * What to do when the system scope's files or services are refused: the
 * remedy of every `ERR_PERMISSION_DENIED` about the system scope
 * (`leger status`, `leger service …`, a system scope's file).
 */
export const SYSTEM_SCOPE_SUDO_REMEDY =
  "Run the command with sudo (`sudo leger …`), or leave out --scope system to work on your own deployments";

/**
 * The error for an action on the system scope that the system refused to
 * a user other than root (systemd's "Access denied", a journal only root
 * and its groups read): `ERR_PERMISSION_DENIED`, worded as `leger status`
 * says it for the system scope's files.
 *
 * @param action What could not be done, such as `stop "web.service"`.
 * @param reason Who refused it, such as `systemd refused it`.
 * @returns The error to throw.
 *
 * @example Usage
 * ```ts
 * import { systemScopeDenied } from "./system_scope_denied.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = systemScopeDenied('stop "web.service"', "systemd refused it");
 * strictEqual(error.code, "ERR_PERMISSION_DENIED");
 * strictEqual(
 *   error.message,
 *   `Cannot stop "web.service" in the system scope: permission denied (systemd refused it; the system scope is root's)`,
 * );
 * ```
 */
export function systemScopeDenied(action: string, reason: string): LegerError {
  return new LegerError(
    "ERR_PERMISSION_DENIED",
    `Cannot ${action} in the system scope: permission denied (${reason}; the system scope is root's)`,
    { remedy: SYSTEM_SCOPE_SUDO_REMEDY },
  );
}
