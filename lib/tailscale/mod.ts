/**
 * The Tailscale identity leger logs in with: the parser of
 * `tailscale status --json` (and of the LocalAPI's identical
 * `/localapi/v0/status`), the mapping of each backend state to leger's error
 * and its fix, and the identity fields the leger.run contract asks for. These
 * are pure functions; reading the status from the host is
 * `lib/adapters/tailscale.ts`'s job.
 *
 * ```ts
 * import { parseTailscaleStatus, tailscaleIdentity } from "@leger/leger/tailscale";
 * import { strictEqual } from "node:assert/strict";
 *
 * const status = parseTailscaleStatus(JSON.stringify({
 *   BackendState: "Running",
 *   Self: { UserID: 42, HostName: "box", TailscaleIPs: ["100.64.0.1"] },
 *   User: { "42": { ID: 42, LoginName: "alice@github" } },
 *   CurrentTailnet: { Name: "alice@github" },
 * }));
 * strictEqual(tailscaleIdentity(status).loginName, "alice@github");
 * ```
 *
 * @module
 */
export * from "./parse_tailscale_status.ts";
export * from "./backend_state_error.ts";
export * from "./tailscale_identity.ts";
