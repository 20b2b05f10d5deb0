import { LegerError } from "../errors/leger_error.ts";
import { backendStateError } from "./backend_state_error.ts";
import type { TailscaleStatus } from "./parse_tailscale_status.ts";

/** The identity leger sends to leger.run, field by field as the contract names it. */
export interface TailscaleIdentity {
  /** `Self.UserID` in decimal (`user_id`). */
  userId: string;
  /** `User[Self.UserID].LoginName` (`login_name`). */
  loginName: string;
  /** The first of `Self.TailscaleIPs` (`device_id`). */
  deviceId: string;
  /** `Self.HostName` (`device_hostname`). */
  deviceHostname: string;
  /** `CurrentTailnet.Name` (`tailnet`). */
  tailnet: string;
}

/** Options for {@linkcode tailscaleIdentity}. */
export interface TailscaleIdentityOptions {
  /**
   * What leger was doing, for the error's first line.
   *
   * @default {"read the Tailscale identity"}
   */
  action?: string;
}

/**
 * Takes the local node's identity from a Tailscale status: the fields of the
 * leger.run contract's "The Tailscale identity that leger sends".
 *
 * @param status The parsed status.
 * @param options What leger was doing.
 * @returns The identity.
 * @throws {LegerError} `ERR_TAILSCALE_NOT_AUTHENTICATED` or
 * `ERR_TAILSCALE_NOT_RUNNING` when the backend is not `Running` (see
 * `backendStateError`), and `ERR_TAILSCALE_NOT_AUTHENTICATED` when a running
 * node has no user, login name, address or tailnet.
 *
 * @example Usage
 * ```ts
 * import { tailscaleIdentity } from "./tailscale_identity.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const identity = tailscaleIdentity({
 *   version: "1.78.1", backendState: "Running", authUrl: "", health: [],
 *   self: {
 *     id: "n1", hostName: "box", dnsName: "box.example.ts.net.", userId: "42",
 *     tailscaleIps: ["100.64.0.1", "fd7a:115c:a1e0::1"], online: true,
 *   },
 *   users: { "42": { id: "42", loginName: "alice@github", displayName: "Alice" } },
 *   tailnet: "alice@github", magicDnsSuffix: "example.ts.net",
 * });
 * deepStrictEqual(identity, {
 *   userId: "42", loginName: "alice@github", deviceId: "100.64.0.1",
 *   deviceHostname: "box", tailnet: "alice@github",
 * });
 * ```
 */
export function tailscaleIdentity(
  status: TailscaleStatus,
  options: TailscaleIdentityOptions = {},
): TailscaleIdentity {
  const { action = "read the Tailscale identity" } = options;
  const stateError = backendStateError(status, { action });
  if (stateError !== null) throw stateError;
  const self = status.self;
  const missing = (what: string) =>
    new LegerError(
      "ERR_TAILSCALE_NOT_AUTHENTICATED",
      `Cannot ${action}: Tailscale is running but reports no ${what} for this machine`,
      {
        remedy:
          "Run `tailscale status` to check this machine, and `sudo tailscale up` to log it in",
      },
    );
  if (self === null || self.userId === "0" || self.userId === "") {
    throw missing("user");
  }
  const loginName = status.users[self.userId]?.loginName ?? "";
  if (loginName === "") throw missing(`login name (user ${self.userId})`);
  if (status.tailnet === null) throw missing("tailnet");
  if (self.tailscaleIps.length === 0) throw missing("Tailscale address");
  return {
    userId: self.userId,
    loginName,
    deviceId: self.tailscaleIps[0],
    deviceHostname: self.hostName,
    tailnet: status.tailnet,
  };
}
