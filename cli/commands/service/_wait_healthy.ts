import type { Scope } from "../../../lib/adapters/scope.ts";
import type { UnitState } from "../../../lib/adapters/systemctl.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import type { ServiceToRead } from "../../../lib/health/read_service_status.ts";
import { waitUntilHealthy } from "../../../lib/health/wait_until_healthy.ts";
import {
  healthUrlProblem,
  resolveHealthUrl,
  shownHealthUrl,
} from "../../../lib/quadlet/health_url.ts";
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
  /**
   * Progress lines for a person (stderr on a terminal): which checks are
   * waited for.
   *
   * @default {no lines}
   */
  progress?: (line: string) => void;
  /**
   * Where a check that fails while others are still waited for is said at
   * once (stderr): a refused check is known at once, not after the
   * others' wait.
   *
   * @default {nowhere}
   */
  early?: (line: string) => void;
}

/** What {@linkcode waitHealthy} found. */
export interface HealthWait {
  /** The services whose check passed. */
  healthy: string[];
  /**
   * The services whose check did not pass, each with its error
   * (`ERR_SERVICE_UNHEALTHY`) and whether the check was refused (not run:
   * a URL leger does not check), in the order of the services.
   */
  unhealthy: { service: string; error: LegerError; refused: boolean }[];
  /**
   * The error naming every service of `unhealthy` (the one error itself
   * when there is one); `null` when every check passed.
   */
  error: LegerError | null;
}

/**
 * After a start or restart, waits until the services that are active and
 * have a health check (an `[X-Leger]` `HealthURL=`, `.leger.yaml`'s
 * `health:`, or Podman's `HealthCmd=`) are healthy, all at once, each at
 * most `waitMs`; a service without a check, or not active (its start
 * failed, which the caller explains), is not waited for. Every check is
 * waited for to its end (a refused one ends at once, and is said at once
 * through `early`), then all those that did not pass are reported together.
 *
 * @param scope The scope of the services.
 * @param states The services' states after `waitActive`.
 * @param deps The context (leger's folders), runner, `fetch`, pause and
 * clock.
 * @param options How long to wait, and where to say what.
 * @returns The services found healthy and those not, with one error that
 * names all of those (see `waitUntilHealthy`).
 *
 * @example Usage
 * ```ts ignore
 * const { error } = await waitHealthy("user", states, deps);
 * if (error !== null) throw error;
 * ```
 */
export async function waitHealthy(
  scope: Scope,
  states: readonly UnitState[],
  deps: Pick<
    CommandDeps,
    "context" | "runner" | "fetch" | "settlePause" | "now"
  >,
  options: WaitHealthyOptions = {},
): Promise<HealthWait> {
  const { progress = () => {}, early = () => {} } = options;
  const order = states.map((s) => s.id);
  const active = new Set(
    states.filter((s) => s.activeState === "active").map((s) => s.id),
  );
  const none: HealthWait = { healthy: [], unhealthy: [], error: null };
  if (active.size === 0) return none;
  const installed = await readInstalledServices(
    legerPaths(scope, deps.context),
  );
  const checked = installed.flatMap((d) => d.services)
    .map((s) => s.toRead)
    .filter((s) => s.check !== null && active.has(s.service))
    .sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
  if (checked.length === 0) return none;
  for (const service of checked) progress(`Waiting for ${describe(service)}…`);
  const pause = deps.settlePause;
  let pending = checked.length;
  const results = await Promise.allSettled(
    checked.map(async (service) => {
      try {
        return await waitUntilHealthy(scope, service, {
          runner: deps.runner,
          fetch: deps.fetch,
          podman: podmanShows(scope, deps.context),
          waitMs: options.waitMs,
          now: () => deps.now().getTime(),
          ...(pause === undefined ? {} : { sleep: () => pause() }),
        });
      } catch (error) {
        if (pending > 1 && error instanceof LegerError) {
          early(`${error.message} (still waiting for the other checks)`);
        }
        throw error;
      } finally {
        pending--;
      }
    }),
  );
  const healthy: string[] = [];
  const unhealthy: HealthWait["unhealthy"] = [];
  results.forEach((result, index) => {
    const { service } = checked[index];
    if (result.status === "fulfilled") healthy.push(service);
    else if (result.reason instanceof LegerError) {
      unhealthy.push({
        service,
        error: result.reason,
        refused: isRefused(checked[index]),
      });
    } else throw result.reason;
  });
  return { healthy, unhealthy, error: combined(unhealthy) };
}

/**
 * Whether the service's check is one leger refuses to run (an HTTP check
 * of a URL that is not loopback: `healthUrlProblem`, which the check itself
 * asks).
 */
function isRefused(service: ServiceToRead): boolean {
  const check = service.check!;
  return check.type === "http" &&
    healthUrlProblem(resolveHealthUrl(check.url, service.service)) !== null;
}

/** `web.service's health check (http://127.0.0.1:8080/health)`. */
function describe(service: ServiceToRead): string {
  const check = service.check!;
  return `${service.service}'s health check (${
    check.type === "http"
      // Never a password the URL holds; an instance's own URL.
      ? shownHealthUrl(resolveHealthUrl(check.url, service.service))
      : "Podman's HealthCmd="
  })`;
}

const PREFIX_REGEXP = /^Cannot confirm that \S+ is healthy: /;

/** One error for all the services whose check did not pass. */
function combined(unhealthy: HealthWait["unhealthy"]): LegerError | null {
  if (unhealthy.length === 0) return null;
  if (unhealthy.length === 1) return unhealthy[0].error;
  const remedies = [...new Set(unhealthy.map((u) => u.error.remedy))];
  return new LegerError(
    "ERR_SERVICE_UNHEALTHY",
    `Cannot confirm that ${unhealthy.length} services are healthy: ${
      unhealthy.map((u) => u.service).join(", ")
    }`,
    {
      details: unhealthy.flatMap(({ service, error }) => [
        `${service}: ${error.message.replace(PREFIX_REGEXP, "")}`,
        ...error.details.map((line) => `  ${line}`),
        ...(remedies.length > 1 && error.remedy !== undefined
          ? [`  fix: ${error.remedy}`]
          : []),
      ]),
      remedy: remedies.length === 1 && remedies[0] !== undefined
        ? remedies[0]
        : "Fix each as its line says, then restart them again",
    },
  );
}
