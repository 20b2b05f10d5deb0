import { CommandError } from "../adapters/command_error.ts";
import {
  formatContainerPort,
  listPodmanContainers,
  type PodmanContainer,
} from "../adapters/podman_ps.ts";
import type { Runner } from "../adapters/run.ts";
import type { Scope } from "../adapters/scope.ts";
import { listUnits, showUnits, type UnitState } from "../adapters/systemctl.ts";
import { checkHttpHealth } from "./check_http_health.ts";
import type { HealthCheck } from "./health_check_of.ts";
import { resolveHealthUrl, shownHealthUrl } from "../quadlet/health_url.ts";

/** A service to read, with its health check (see `healthCheckOf`). */
export interface ServiceToRead {
  /** The systemd service, such as `web.service` or `worker@a.service`. */
  service: string;
  /** Its health check; `null` when it has none. */
  check: HealthCheck | null;
  /** The image its unit names, shown when no container runs. */
  image?: string | null;
  /** The ports its unit publishes (`127.0.0.1:8080->80/tcp`), shown when no container runs. */
  ports?: readonly string[];
}

/**
 * A service's health: `healthy`; `unhealthy` (the HTTP check failed, or
 * Podman's health check says so); `starting` (Podman has not finished a
 * check yet); `none` (the service has no check); `refused` (its URL is one
 * leger may not fetch); `unknown` (not checked: the service is not active,
 * or Podman could not tell).
 */
export type HealthState =
  | "healthy"
  | "unhealthy"
  | "starting"
  | "none"
  | "refused"
  | "unknown";

/** A service's health, as `leger status --json` and `deploy list --json` show it. */
export interface ServiceHealth {
  /** How it is (see {@linkcode HealthState}). */
  state: HealthState;
  /** Which check: an HTTP check, Podman's, or none. */
  check: "http" | "podman" | null;
  /**
   * The URL of an HTTP check, its specifiers (`%i`) resolved for the
   * service and its credentials left out; `null` otherwise.
   */
  url: string | null;
  /** Why, for a person: the last answer, or why there was no check. */
  detail: string | null;
  /** What to do, when leger knows (a refused check's fix); `null` otherwise. */
  remedy: string | null;
  /**
   * Whether leger looked and could not read it: `podman ps` failed (`detail`
   * says why), so a Podman check is `unknown` though it may well be failing.
   * `false` for every other `unknown` (a service that is not active, a
   * scope whose containers Podman does not list to this user).
   */
  unreadable: boolean;
}

/** A service as {@linkcode readServiceStatus} found it. */
export interface ServiceStatus {
  /** The systemd service, such as `web.service`. */
  service: string;
  /** systemd's `LoadState`: `loaded`, `not-found`, … */
  load_state: string;
  /** systemd's `ActiveState`: `active`, `inactive`, `failed`, `activating`, … */
  active_state: string;
  /** systemd's `SubState`: `running`, `exited`, `dead`, `failed`, … */
  sub_state: string;
  /**
   * Since when it is in that state, RFC 3339: when it became active, for an
   * active service; `null` when systemd does not say.
   */
  since: string | null;
  /** The image of its container, or else of its unit; `null` when neither says. */
  image: string | null;
  /** The ports its container publishes (`127.0.0.1:8080->80/tcp`), or else its unit's. */
  ports: string[];
  /** Its container's name, `null` when none runs. */
  container: string | null;
  /** Its health, and how it was told. */
  health: ServiceHealth;
}

/** Options for {@linkcode readServiceStatus}. */
export interface ReadServiceStatusOptions {
  /**
   * Runs `systemctl` and `podman`.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * Sends the HTTP checks.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Whether `podman ps` shows the scope's containers: Podman lists the
   * invoking user's, so root's are the system scope's. When `false`,
   * Podman is not run, and a Podman health check is `unknown`.
   *
   * @default {true}
   */
  podman?: boolean;
  /**
   * Whether to read since when each service is in its state (`since`); when
   * `false`, `since` is `null` and `systemctl show` is run only for units
   * `systemctl list-units` does not list.
   *
   * @default {true}
   */
  since?: boolean;
  /**
   * A `podman ps` already under way (`listPodmanContainers`), started
   * before the services were known so that it runs while leger reads its
   * state; its failure is handled as that of the one this would start.
   *
   * @default {undefined}
   */
  containers?: Promise<PodmanContainer[]>;
  /**
   * How long one HTTP attempt may take, in milliseconds.
   *
   * @default {5000}
   */
  timeoutMs?: number;
  /**
   * How many more HTTP attempts after a failed one.
   *
   * @default {2}
   */
  retries?: number;
  /**
   * The pause between two HTTP attempts, in milliseconds.
   *
   * @default {200}
   */
  retryDelayMs?: number;
  /**
   * Aborts the HTTP checks (Ctrl-C).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Reads the state and health of services of one scope with a fixed number
 * of processes, however many services there are, then every HTTP check at
 * once (see `checkHttpHealth`: 5 s per attempt, 2 retries):
 *
 * - one `systemctl list-units` of them all: the state of every loaded unit
 *   (systemd answers it from one call, where `systemctl show` asks once per
 *   unit: 4 ms against 37 ms for 30 units on the e2e host);
 * - one `podman ps --all --format json`: each service's container (label
 *   `PODMAN_SYSTEMD_UNIT`), with its image, ports, start time and Podman's
 *   health check state;
 * - one `systemctl show`, only when it is needed, of the units
 *   `list-units` does not list (not found, or unloaded by systemd once
 *   stopped) and, for `since`, of those whose time Podman does not give: an
 *   active service without a running container (whose start time is when
 *   it became active), and a service that is not active.
 *
 * A service that is not active is not checked (`unknown`). When `podman ps`
 * fails, the services keep systemd's state and their units' image and
 * ports, and a Podman health check is `unknown` with Podman's error and
 * `unreadable`.
 *
 * Requires `--allow-run=systemctl,podman` and `--allow-net` for the URLs.
 *
 * @param scope The scope of the services (`--user` for the user scope).
 * @param services The services and their checks.
 * @param options The runner, `fetch`, whether Podman shows the scope, and
 * the HTTP checks' timeout and retries.
 * @returns One status per service, in the order given.
 * @throws {CommandError} When `systemctl` fails.
 *
 * @example Usage
 * ```ts
 * import { readServiceStatus } from "./read_service_status.ts";
 * import { fakeRunner } from "../adapters/fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "systemctl",
 *   args: ["--user", "list-units", "--all", "--plain", "--no-legend", "--full", "--", "web.service"],
 *   result: { stdout: "web.service loaded active running web\n" },
 * }, {
 *   bin: "podman", args: ["ps", "--all", "--format", "json"],
 *   result: { stdout: '[{"Id":"e119","Names":["systemd-web"],"Image":"localhost/bb:latest","Labels":{"PODMAN_SYSTEMD_UNIT":"web.service"},"State":"running","Status":"Up 5 minutes (healthy)","StartedAt":1796064081}]' },
 * }]);
 * const [web] = await readServiceStatus("user", [{
 *   service: "web.service",
 *   check: { type: "podman", command: "curl -f localhost", file: "web.container", line: null },
 * }], { runner });
 * strictEqual(web.since, "2026-11-30T18:41:21.000Z");
 * strictEqual(web.health.state, "healthy");
 * ```
 */
export async function readServiceStatus(
  scope: Scope,
  services: readonly ServiceToRead[],
  options: ReadServiceStatusOptions = {},
): Promise<ServiceStatus[]> {
  const {
    runner,
    podman = true,
    since = true,
    containers: started,
  } = options;
  if (services.length === 0) {
    // Nothing to wait for, but a podman ps under way may not fail unseen.
    await started?.catch(() => {});
    return [];
  }
  const names = services.map((s) => s.service);
  const [listed, containers] = await Promise.all([
    listUnits(scope, names, { runner }),
    podman ? readContainers(runner, started) : Promise.resolve(null),
  ]);
  const states = new Map<string, UnitState>(
    listed.map((unit) => [unit.id, { ...unit, result: "" }]),
  );
  const running = new Set(
    Array.isArray(containers)
      ? containers.filter((c) => c.state === "running" && c.unit !== null)
        .map((c) => c.unit!)
      : [],
  );
  const shown = names.filter((name) => {
    const state = states.get(name);
    if (state === undefined) return true;
    return since &&
      (state.activeState !== "active" || !running.has(name));
  });
  for (const state of await showUnits(scope, shown, { runner })) {
    states.set(state.id, state);
  }
  return await Promise.all(
    services.map((service) =>
      statusOf(service, states.get(service.service)!, containers, options)
    ),
  );
}

/** The containers, or why Podman could not list them. */
async function readContainers(
  runner: Runner | undefined,
  started: Promise<PodmanContainer[]> | undefined,
): Promise<PodmanContainer[] | { error: string }> {
  try {
    return await (started ?? listPodmanContainers({ runner }));
  } catch (error) {
    if (!(error instanceof CommandError) && !(error instanceof SyntaxError)) {
      throw error;
    }
    const reason = error instanceof CommandError
      ? error.stderrTail.trim().split("\n").pop() || `exit ${error.code}`
      : error.message;
    return { error: `podman ps failed: ${reason}` };
  }
}

async function statusOf(
  service: ServiceToRead,
  state: UnitState,
  containers: PodmanContainer[] | { error: string } | null,
  options: ReadServiceStatusOptions,
): Promise<ServiceStatus> {
  const own = Array.isArray(containers)
    ? containers.filter((c) => c.unit === service.service)
    : [];
  // A pod's service runs its infra container, which holds the pod's ports.
  const main = own.find((c) => !c.isInfra && c.state === "running") ??
    own.find((c) => !c.isInfra) ?? own[0];
  const active = state.activeState === "active";
  const ports = own.flatMap((c) => c.ports.map(formatContainerPort));
  return {
    service: service.service,
    load_state: state.loadState,
    active_state: state.activeState,
    sub_state: state.subState,
    since: options.since === false
      ? null
      : (active
        ? state.activeEnterTimestamp ?? main?.startedAt
        : state.stateChangeTimestamp) ?? null,
    image: main?.image || service.image || null,
    ports: sortPorts(main === undefined ? [...service.ports ?? []] : ports),
    container: main?.names[0] ?? null,
    health: await healthOf(service.service, service.check, {
      state,
      containers,
      own,
      options,
    }),
  };
}

async function healthOf(
  service: string,
  check: HealthCheck | null,
  found: {
    state: UnitState;
    containers: PodmanContainer[] | { error: string } | null;
    own: PodmanContainer[];
    options: ReadServiceStatusOptions;
  },
): Promise<ServiceHealth> {
  const { state, containers, own, options } = found;
  if (check === null) {
    return {
      state: "none",
      check: null,
      url: null,
      detail: null,
      remedy: null,
      unreadable: false,
    };
  }
  const url = check.type === "http"
    ? resolveHealthUrl(check.url, service)
    : null;
  const base = {
    check: check.type,
    url: url === null ? null : shownHealthUrl(url),
    remedy: null,
    unreadable: false,
  };
  if (state.activeState !== "active") {
    return {
      ...base,
      state: "unknown",
      detail:
        `not checked: the service is ${state.activeState} (${state.subState})`,
    };
  }
  if (check.type === "http") {
    const result = await checkHttpHealth(url!, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      signal: options.signal,
    });
    return {
      ...base,
      state: result.state,
      detail: result.detail,
      remedy: result.remedy,
    };
  }
  if (containers === null) {
    return {
      ...base,
      state: "unknown",
      detail:
        "not checked: Podman shows a scope's containers only to the user that runs them",
    };
  }
  if (!Array.isArray(containers)) {
    return {
      ...base,
      state: "unknown",
      detail: containers.error,
      unreadable: true,
    };
  }
  const checked = own.filter((c) => c.health !== null);
  if (checked.length === 0) {
    return {
      ...base,
      state: "unknown",
      detail: own.length === 0
        ? "no container of the service runs"
        : `Podman reports no health for ${own[0].names[0] ?? own[0].id}`,
    };
  }
  // Of several containers (a pod, a kube), the worst one speaks.
  const worst = checked.find((c) => c.health === "unhealthy") ??
    checked.find((c) => c.health !== "healthy") ?? checked[0];
  const podmanState = worst.health === "healthy" ||
      worst.health === "unhealthy" || worst.health === "starting"
    ? worst.health
    : "unknown";
  return {
    ...base,
    state: podmanState,
    detail: `Podman's health check of ${
      worst.names[0] ?? worst.id
    }: ${worst.health}`,
  };
}

/**
 * Ports in the order a person reads them (`8080->80/tcp` before
 * `10000->443/tcp`): by host port, then container port, as numbers, then
 * as text; Podman lists them in no stable order.
 */
function sortPorts(ports: string[]): string[] {
  const numbers = (port: string) =>
    (port.match(/(\d+)->(\d+)/) ?? [, "0", "0"]).slice(1).map(Number);
  return ports.sort((a, b) => {
    const [hostA, containerA] = numbers(a);
    const [hostB, containerB] = numbers(b);
    return hostA - hostB || containerA - containerB || a.localeCompare(b);
  });
}
