import type { ServiceStatus } from "./read_service_status.ts";

/**
 * Whether a service counts as fine for `leger status`'s exit code: it is
 * active (running, or a oneshot that exited well), and its health is not
 * `unhealthy`, `refused` (a check leger may not run) nor `unreadable` (an
 * `unknown` because `podman ps` failed: not known to be fine). A check
 * still `starting`, no check at all (`none`), and any other `unknown` count
 * as fine: a scope whose containers Podman does not list to this user (root
 * reading `--scope user`), or Podman reporting no health for the
 * container; a service that is not active already counts against it.
 *
 * @param status The service, as `readServiceStatus` found it.
 * @returns Whether it is fine.
 *
 * @example Usage
 * ```ts
 * import { isServiceOk } from "./is_service_ok.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const health = { state: "unhealthy" as const, check: "http" as const, url: "http://127.0.0.1:8080/", detail: "HTTP 500", remedy: null, unreadable: false };
 * strictEqual(isServiceOk({ active_state: "active", health }), false);
 * strictEqual(isServiceOk({ active_state: "active", health: { ...health, state: "starting" } }), true);
 * strictEqual(isServiceOk({ active_state: "failed", health: { ...health, state: "none" } }), false);
 * strictEqual(isServiceOk({ active_state: "active", health: { ...health, state: "unknown", unreadable: true } }), false);
 * ```
 */
export function isServiceOk(
  status: Pick<ServiceStatus, "active_state" | "health">,
): boolean {
  return status.active_state === "active" &&
    status.health.state !== "unhealthy" &&
    status.health.state !== "refused" && !status.health.unreadable;
}
