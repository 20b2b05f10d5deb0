/**
 * Service health: whether the services of installed deployments run, and
 * whether they are healthy.
 *
 * - where a service's check is declared ({@linkcode healthCheckOf}): an
 *   `[X-Leger]` section with `HealthURL=` in its unit or a drop-in
 *   ({@linkcode healthUrlEntry}; systemd ignores `X-` sections and Podman's
 *   generator copies them as they are), else `health:` for the unit in the
 *   deployment's `.leger.yaml`, else Podman's own health check
 *   (`HealthCmd=`), else none;
 * - the HTTP check ({@linkcode checkHttpHealth}): 2xx or 3xx within 5 s,
 *   3 attempts, never a host outside leger's network allow-list;
 * - a scope's services read at once ({@linkcode readServiceStatus}): one
 *   `systemctl show`, one `podman ps`, every HTTP check in parallel, and
 *   what counts as fine ({@linkcode isServiceOk});
 * - waiting for a restarted service to be active and healthy
 *   ({@linkcode waitUntilHealthy}).
 *
 * ```ts
 * import { checkHttpHealth } from "@leger/leger/health";
 * import { strictEqual } from "node:assert/strict";
 *
 * const fetch = () => Promise.resolve(new Response("boom", { status: 500 }));
 * const result = await checkHttpHealth("http://127.0.0.1:8080/health", { fetch, retryDelayMs: 0 });
 * strictEqual(result.state, "unhealthy");
 * strictEqual(result.attempts, 3);
 * ```
 *
 * @module
 */
export * from "./health_url_entry.ts";
export * from "./health_check_of.ts";
export * from "./check_http_health.ts";
export * from "./read_service_status.ts";
export * from "./is_service_ok.ts";
export * from "./wait_until_healthy.ts";
