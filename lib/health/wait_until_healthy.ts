import type { Scope } from "../adapters/scope.ts";
import { LegerError } from "../errors/leger_error.ts";
import {
  readServiceStatus,
  type ReadServiceStatusOptions,
  type ServiceStatus,
  type ServiceToRead,
} from "./read_service_status.ts";

/** Options for {@linkcode waitUntilHealthy}. */
export interface WaitUntilHealthyOptions extends ReadServiceStatusOptions {
  /**
   * How long to wait in all, in milliseconds.
   *
   * @default {60000}
   */
  waitMs?: number;
  /**
   * The pause between two looks, in milliseconds.
   *
   * @default {1000}
   */
  intervalMs?: number;
  /**
   * The clock, in milliseconds.
   *
   * @default {Date.now}
   */
  now?: () => number;
  /**
   * Waits between two looks (tests pass one that does not wait).
   *
   * @default {a timer of `ms`}
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How to read the service's log, for the error's remedy.
   *
   * @default {"leger service logs NAME"}
   */
  logsCommand?: string;
}

/**
 * Waits until a service is active and, where it has a health check,
 * healthy: it reads the service (see `readServiceStatus`: one
 * `systemctl show`, one `podman ps`, its HTTP check) every `intervalMs`, at
 * most `waitMs` in all and never more than `waitMs / intervalMs + 1` times.
 * A service that fails (`failed`) or whose check is refused is not waited
 * for. For `leger service restart`.
 *
 * @param scope The service's scope.
 * @param service The service and its check.
 * @param options How long, how often, the clock, and what
 * `readServiceStatus` takes.
 * @returns The service's last status, active and healthy.
 * @throws {LegerError} `ERR_SERVICE_UNHEALTHY` naming the service, its
 * check, the last answer and the command that shows its log, when it is not
 * active and healthy in time, fails, or its check is refused.
 * @throws {CommandError} When `systemctl show` fails.
 *
 * @example Usage
 * ```ts ignore
 * import { waitUntilHealthy } from "./wait_until_healthy.ts";
 * await waitUntilHealthy("user", { service: "web.service", check }, { waitMs: 30_000 });
 * ```
 */
export async function waitUntilHealthy(
  scope: Scope,
  service: ServiceToRead,
  options: WaitUntilHealthyOptions = {},
): Promise<ServiceStatus> {
  const {
    waitMs = 60_000,
    intervalMs = 1000,
    now = Date.now,
    sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
    logsCommand = `leger service logs ${
      service.service.replace(/\.service$/, "")
    }`,
  } = options;
  const deadline = now() + waitMs;
  const looks = Math.floor(waitMs / Math.max(intervalMs, 1)) + 1;
  let last: ServiceStatus | undefined;
  for (let look = 1; look <= looks; look++) {
    // Since when does not matter here: spare systemctl show.
    [last] = await readServiceStatus(scope, [service], {
      since: false,
      ...options,
    });
    const { health } = last;
    const active = last.active_state === "active";
    if (active && (health.state === "healthy" || health.state === "none")) {
      return last;
    }
    const hopeless = last.active_state === "failed" ||
      health.state === "refused";
    if (hopeless || look === looks || now() >= deadline) break;
    await sleep(intervalMs);
  }
  throw unhealthy(last!, { waitMs, logsCommand });
}

function unhealthy(
  status: ServiceStatus,
  options: { waitMs: number; logsCommand: string },
): LegerError {
  const { health } = status;
  const check = health.check === "http"
    ? `its HTTP check of ${health.url}`
    : health.check === "podman"
    ? "Podman's health check"
    : "systemd";
  const state = `${status.active_state}/${status.sub_state}`;
  const why = status.active_state === "failed"
    ? `it failed (${state})`
    : health.state === "refused"
    ? `${check} is refused`
    : status.active_state !== "active"
    ? `it is ${state} after ${seconds(options.waitMs)}`
    : `${check} still says ${health.state} after ${seconds(options.waitMs)}`;
  return new LegerError(
    "ERR_SERVICE_UNHEALTHY",
    `Cannot confirm that ${status.service} is healthy: ${why}`,
    {
      details: health.detail === null ? [] : [`last answer: ${health.detail}`],
      remedy: health.remedy ??
        `See why with \`${options.logsCommand}\`, fix it, then restart it again`,
    },
  );
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
