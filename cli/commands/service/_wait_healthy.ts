import type { Scope } from "../../../lib/adapters/scope.ts";
import type { UnitState } from "../../../lib/adapters/systemctl.ts";
import { waitUntilHealthy } from "../../../lib/health/wait_until_healthy.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import type { CommandDeps } from "../../deps.ts";
import { readInstalledServices } from "../shared/installed_services.ts";
import { podmanShows } from "../shared/podman_shows.ts";

/** Options for {@linkcode waitHealthy}. */
export interface WaitHealthyOptions {
  /**
   * How long to wait for each service, in milliseconds.
   *
   * @default {60000}
   */
  waitMs?: number;
}

/**
 * After a start or restart, waits until the services that are active and
 * have a health check (an `[X-Leger]` `HealthURL=`, `.leger.yaml`'s
 * `health:`, or Podman's `HealthCmd=`) are healthy, all at once, each at
 * most `waitMs`; a service without a check, or not active (its start
 * failed, which the caller explains), is not waited for.
 *
 * @param scope The scope of the services.
 * @param states The services' states after `waitActive`.
 * @param deps The context (leger's folders), runner, `fetch` and pause.
 * @param options How long to wait.
 * @throws {LegerError} `ERR_SERVICE_UNHEALTHY` for the first service whose
 * check does not pass in time (see `waitUntilHealthy`).
 *
 * @example Usage
 * ```ts ignore
 * await waitHealthy("user", states, deps);
 * ```
 */
export async function waitHealthy(
  scope: Scope,
  states: readonly UnitState[],
  deps: Pick<CommandDeps, "context" | "runner" | "fetch" | "settlePause">,
  options: WaitHealthyOptions = {},
): Promise<void> {
  const active = new Set(
    states.filter((s) => s.activeState === "active").map((s) => s.id),
  );
  if (active.size === 0) return;
  const installed = await readInstalledServices(
    legerPaths(scope, deps.context),
  );
  const checked = installed.flatMap((d) => d.services)
    .map((s) => s.toRead)
    .filter((s) => s.check !== null && active.has(s.service));
  const pause = deps.settlePause;
  const results = await Promise.allSettled(
    checked.map((service) =>
      waitUntilHealthy(scope, service, {
        runner: deps.runner,
        fetch: deps.fetch,
        podman: podmanShows(scope, deps.context),
        waitMs: options.waitMs,
        ...(pause === undefined ? {} : { sleep: () => pause() }),
      })
    ),
  );
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}
