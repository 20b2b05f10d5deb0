import { LegerError } from "../errors/leger_error.ts";
import type { TailscaleStatus } from "./parse_tailscale_status.ts";

/** Options for {@linkcode backendStateError}. */
export interface BackendStateErrorOptions {
  /**
   * What leger was doing, for the error's first line ("Cannot log in to leger.run: …").
   *
   * @default {"read the Tailscale identity"}
   */
  action?: string;
}

/** Where a tailnet admin approves a machine. */
const ADMIN_MACHINES_URL = "https://login.tailscale.com/admin/machines";

/**
 * The error that a Tailscale backend state stands for, worded as Tailscale's
 * own `tailscale status` words it, with the command that fixes it; `null` when
 * the state is `Running`.
 *
 * | state | code | fix |
 * | --- | --- | --- |
 * | `NeedsLogin` | `ERR_TAILSCALE_NOT_AUTHENTICATED` | `sudo tailscale up` |
 * | `NeedsMachineAuth` | `ERR_TAILSCALE_NOT_AUTHENTICATED` | approval in the admin console |
 * | `Stopped` | `ERR_TAILSCALE_NOT_RUNNING` | `sudo tailscale up` |
 * | `Starting` | `ERR_TAILSCALE_NOT_RUNNING` | wait, then `tailscale status` |
 * | `NoState`, other | `ERR_TAILSCALE_NOT_RUNNING` | `sudo systemctl start tailscaled` |
 *
 * @param status The parsed status.
 * @param options What leger was doing.
 * @returns The error, or `null` when Tailscale is running.
 *
 * @example Usage
 * ```ts
 * import { backendStateError } from "./backend_state_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const status = {
 *   version: "1.78.1", backendState: "NeedsLogin", authUrl: "", health: [],
 *   self: null, users: {}, tailnet: null, magicDnsSuffix: null,
 * };
 * const error = backendStateError(status, { action: "log in to leger.run" });
 * strictEqual(error?.code, "ERR_TAILSCALE_NOT_AUTHENTICATED");
 * strictEqual(
 *   error?.message,
 *   'Cannot log in to leger.run: Tailscale is logged out on this machine (state "NeedsLogin")',
 * );
 * strictEqual(backendStateError({ ...status, backendState: "Running" }), null);
 * ```
 */
export function backendStateError(
  status: TailscaleStatus,
  options: BackendStateErrorOptions = {},
): LegerError | null {
  const { action = "read the Tailscale identity" } = options;
  const state = status.backendState;
  const prefix = `Cannot ${action}:`;
  switch (state) {
    case "Running":
      return null;
    case "NeedsLogin":
      return new LegerError(
        "ERR_TAILSCALE_NOT_AUTHENTICATED",
        `${prefix} Tailscale is logged out on this machine (state "${state}")`,
        {
          details: status.authUrl === ""
            ? []
            : [`Log in at: ${status.authUrl}`],
          remedy: `Run \`sudo tailscale up\`, then \`leger ${
            retry(action)
          }\` again`,
        },
      );
    case "NeedsMachineAuth":
      return new LegerError(
        "ERR_TAILSCALE_NOT_AUTHENTICATED",
        `${prefix} this machine is not yet authorized by the tailnet admin (state "${state}")`,
        {
          remedy:
            `Ask an admin of the tailnet to approve it at ${ADMIN_MACHINES_URL}, then run \`leger ${
              retry(action)
            }\` again`,
        },
      );
    case "Stopped":
      return new LegerError(
        "ERR_TAILSCALE_NOT_RUNNING",
        `${prefix} Tailscale is stopped (state "${state}")`,
        {
          remedy: `Run \`sudo tailscale up\`, then \`leger ${
            retry(action)
          }\` again`,
        },
      );
    case "Starting":
      return new LegerError(
        "ERR_TAILSCALE_NOT_RUNNING",
        `${prefix} Tailscale is still starting (state "${state}")`,
        {
          details: status.health,
          remedy:
            `Wait until \`tailscale status\` lists this machine, then run \`leger ${
              retry(action)
            }\` again`,
        },
      );
    default:
      return new LegerError(
        "ERR_TAILSCALE_NOT_RUNNING",
        `${prefix} tailscaled is not ready (state "${state}")`,
        {
          remedy:
            "Run `sudo systemctl start tailscaled`, then `sudo tailscale up`",
        },
      );
  }
}

/** The leger command to run again after the fix. */
function retry(action: string): string {
  return action.startsWith("log in") ? "auth login" : "auth status";
}
