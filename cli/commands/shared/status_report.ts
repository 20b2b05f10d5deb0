/**
 * What `leger status` gathers and shows (see cli/commands/status.ts, which
 * loads this module only once `podman ps` is under way, so that Podman runs
 * while these modules load and leger reads its state).
 *
 * @module
 */
import type { PodmanContainer } from "../../../lib/adapters/podman_ps.ts";
import {
  readTailscaleStatus,
  type TailscaleStatusReading,
} from "../../../lib/adapters/tailscale.ts";
import { DEFAULT_TAILSCALED_SOCKET } from "../../../lib/adapters/tailscale_local_api.ts";
import { authFilePath } from "../../../lib/auth/auth_file_path.ts";
import { isAuthExpired } from "../../../lib/auth/is_auth_expired.ts";
import { legerdSocketPath } from "../../../lib/auth/legerd_socket_path.ts";
import { loadAuthState } from "../../../lib/auth/load_auth_state.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import { isServiceOk } from "../../../lib/health/is_service_ok.ts";
import {
  readServiceStatus,
  type ServiceStatus,
} from "../../../lib/health/read_service_status.ts";
import type { LegerdHealthAnswer } from "../../../lib/secrets/legerd_client.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import { deploymentNotFound } from "../../../lib/state/deployment_not_found.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdOf, legerdStartCommand } from "../../legerd.ts";
import { formatTable } from "../../table.ts";
import { versionOf } from "../../version_label.ts";
import type { ErrorJson } from "../auth/shared/gather_auth_status.ts";
import {
  gatherTailscale,
  type TailscaleReport,
} from "../auth/shared/gather_tailscale.ts";
import { pathEnvOf } from "../auth/shared/auth_deps.ts";
import type { StatusOptions } from "./status_options.ts";
import {
  type InstalledDeploymentServices,
  readInstalledServices,
} from "./installed_services.ts";
import { podmanShows } from "./podman_shows.ts";

/** How often `--watch` redraws, in milliseconds. */
const WATCH_INTERVAL_MS = 2000;

/** A deployment in `leger status --json`. */
export interface StatusDeployment {
  deployment: string;
  scope: Scope;
  source: SourceInfo;
  /** The leger.run version, the Git commit (12 digits), or `null`. */
  version: string | null;
  installed_at: string;
  services: ServiceStatus[];
  /**
   * Why leger's copy of it (`active/<name>/`) cannot be read, or `null`:
   * its services are then shown without their unit's image, ports and
   * check, and the status is not ok (`leger doctor` says how to fix it).
   */
  problem: ErrorJson | null;
}

/** What `leger status --json` prints. */
export interface StatusDocument {
  /** The scope shown. */
  scope: Scope;
  /**
   * Whether every service shown is fine (`isServiceOk`) and every
   * deployment shown could be read: the exit code is 0 when it is, 1
   * otherwise.
   */
  ok: boolean;
  /** Tailscale's state and identity, as `leger auth status` shows it. */
  tailscale: TailscaleReport;
  /** The scope's legerd: whether it answers, and its health. */
  legerd: {
    running: boolean;
    socket: string;
    health: LegerdHealthAnswer | null;
    error: ErrorJson | null;
  };
  /**
   * The leger.run login as `auth.json` holds it, not asked of leger.run
   * (`leger auth status` asks): `logged_in`, `expired`, `missing` or
   * `unreadable`.
   */
  leger_run: {
    state: "logged_in" | "expired" | "missing" | "unreadable";
    login_name: string | null;
    user_uuid: string | null;
    expires_at: string | null;
    error: ErrorJson | null;
  };
  deployments: StatusDeployment[];
}

/**
 * Shows the status once (or, with `--watch`, until Ctrl-C) and returns the
 * exit code: 0 when every service shown is fine (`isServiceOk`), 1 otherwise.
 *
 * @param options The command line.
 * @param deps The command's dependencies.
 * @param started The first `podman ps`, already under way, or `undefined`
 * when Podman does not show the scope's containers.
 * @returns The exit code.
 * @throws {LegerError} `ERR_DEPLOYMENT_NOT_FOUND` for a deployment that is
 * not installed, naming those that are.
 */
export async function runStatus(
  options: StatusOptions,
  deps: CommandDeps,
  started: Promise<PodmanContainer[]> | undefined,
): Promise<number> {
  const { context } = deps;
  if (!options.watch) {
    const document = await gatherStatus(options, deps, { started });
    if (options.json) {
      context.out(JSON.stringify(document, null, 2) + "\n");
    } else {
      const text = renderStatusParts(document, {
        terminal: context.stdoutIsTerminal,
        now: deps.now(),
      });
      // Without a terminal, the rows alone go to stdout, as deploy list's.
      if (text.stderr !== "") context.err(text.stderr);
      context.out(text.stdout);
    }
    return document.ok ? 0 : 1;
  }
  return await watch(options, deps, started);
}

/**
 * Redraws the status every 2 seconds until SIGINT (or SIGTERM), then exits
 * 130, as every interrupted leger command does.
 */
async function watch(
  options: StatusOptions,
  deps: CommandDeps,
  started: Promise<PodmanContainer[]> | undefined,
): Promise<number> {
  const { context } = deps;
  const stop = new AbortController();
  const removers = (["SIGINT", "SIGTERM"] as const).map((signal) =>
    deps.onSignal(signal, () => stop.abort())
  );
  try {
    while (!stop.signal.aborted) {
      const document = await gatherStatus(options, deps, {
        signal: stop.signal,
        started,
      }).catch((error) => {
        if (stop.signal.aborted) return null;
        throw error;
      });
      // Later frames run their own podman ps.
      started = undefined;
      if (document === null) break;
      const now = deps.now();
      context.out(
        // Home, clear the screen: as watch(1) does.
        "\x1b[H\x1b[2J" +
          `Every ${WATCH_INTERVAL_MS / 1000} s: leger status${
            options.deployment ? ` ${options.deployment}` : ""
          }   ${
            now.toISOString().replace(/\.\d+Z$/, "Z")
          }   (Ctrl-C to stop)\n\n` +
          renderStatus(document, { terminal: true, now }),
      );
      await pause(WATCH_INTERVAL_MS, stop.signal);
    }
  } finally {
    removers.forEach((remove) => remove());
  }
  return 130;
}

/**
 * Gathers the whole status at once: Tailscale, legerd, the login and the
 * services of the scope's deployments (one `readServiceStatus`).
 */
async function gatherStatus(
  options: StatusOptions,
  deps: CommandDeps,
  running: {
    signal?: AbortSignal;
    started?: Promise<PodmanContainer[]>;
  },
): Promise<StatusDocument> {
  const { signal } = running;
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const paths = legerPaths(scope, context);
  const [tailscale, legerd, leger_run, installed] = await Promise.all([
    gatherTailscale({
      readTailscale: (action) => readTailscale(action, deps),
    }),
    gatherLegerd(scope, deps),
    gatherLogin(deps),
    readInstalledServices(paths),
  ]);
  let shown = installed;
  if (options.deployment !== undefined) {
    const known = installed.map((d) => d.deployment.name);
    if (!known.includes(options.deployment)) {
      throw await notInstalled(options.deployment, known, installed, {
        scope,
        deps,
      });
    }
    shown = installed.filter((d) => d.deployment.name === options.deployment);
  }
  const statuses = await readServiceStatus(
    scope,
    shown.flatMap((d) => d.services.map((s) => s.toRead)),
    {
      runner: deps.runner,
      fetch: deps.fetch,
      podman: podmanShows(scope, context),
      // readServiceStatus starts its own podman ps when none is under way.
      containers: running.started,
      signal,
    },
  );
  let next = 0;
  const deployments = shown.map(({ deployment: d, services, problem }) => ({
    deployment: d.name,
    scope,
    source: d.source,
    version: versionOf(d.source),
    installed_at: d.installed_at,
    services: services.map(() => statuses[next++]),
    problem: problem?.toJSON() ?? null,
  }));
  return {
    scope,
    ok: statuses.every(isServiceOk) &&
      deployments.every((d) => d.problem === null),
    tailscale,
    legerd,
    leger_run,
    deployments,
  };
}

/**
 * The Tailscale status from tailscaled's socket when there is one (no
 * process: `tailscale status --json` is a Go program that costs more than
 * the rest of `leger status`), else from the `tailscale` CLI.
 */
async function readTailscale(
  action: string,
  deps: CommandDeps,
): Promise<TailscaleStatusReading> {
  const socketPath = deps.context.env("LEGER_TAILSCALE_SOCKET") ||
    DEFAULT_TAILSCALED_SOCKET;
  try {
    return await readTailscaleStatus({ action, socketPath, cli: false });
  } catch (error) {
    if (
      !(error instanceof LegerError) ||
      error.code !== "ERR_TAILSCALE_NOT_INSTALLED"
    ) throw error;
    return await readTailscaleStatus({
      action,
      socketPath,
      runner: deps.runner,
    });
  }
}

async function gatherLegerd(
  scope: Scope,
  deps: CommandDeps,
): Promise<StatusDocument["legerd"]> {
  const socket = legerdSocketPath(scope, {
    env: deps.context.env,
    uid: deps.context.uid,
  });
  try {
    const health = await legerdOf(deps, scope).health();
    return { running: true, socket, health, error: null };
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return {
      running: error.code !== "ERR_LEGERD_NOT_RUNNING" &&
        error.code !== "ERR_NETWORK_NOT_ALLOWED",
      socket,
      health: null,
      error: error.toJSON(),
    };
  }
}

/** The login as auth.json holds it: no request to leger.run. */
async function gatherLogin(
  deps: CommandDeps,
): Promise<StatusDocument["leger_run"]> {
  const login: StatusDocument["leger_run"] = {
    state: "missing",
    login_name: null,
    user_uuid: null,
    expires_at: null,
    error: null,
  };
  try {
    const state = await loadAuthState(
      authFilePath(pathEnvOf(deps.context)),
    );
    if (state === null) return login;
    return {
      state: isAuthExpired(state, deps.now()) ? "expired" : "logged_in",
      login_name: state.login_name,
      user_uuid: state.user_uuid,
      expires_at: state.expires_at,
      error: null,
    };
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return { ...login, state: "unreadable", error: error.toJSON() };
  }
}

/** Options for {@linkcode renderStatus}. */
export interface RenderStatusOptions {
  /** Whether stdout is a terminal: marks, a header, uptimes. */
  terminal: boolean;
  /** The clock, for uptimes. */
  now: Date;
}

/**
 * Renders the status for a person: one line each for Tailscale, legerd and
 * leger.run, then each deployment with a table of its services, and under
 * it why a service is unhealthy, its check refused or its health unknown
 * (Podman's error). Without a terminal, the service rows are tab-separated,
 * led by the deployment's name, with RFC 3339 times (see
 * {@linkcode renderStatusParts} to split rows from notes).
 *
 * @param document What `gatherStatus` found.
 * @param options Terminal or not, and the clock.
 * @returns The text.
 *
 * @example Usage
 * ```ts ignore
 * context.out(renderStatus(document, { terminal: true, now: new Date() }));
 * ```
 */
export function renderStatus(
  document: StatusDocument,
  options: RenderStatusOptions,
): string {
  const { stdout, stderr } = renderStatusParts(document, options);
  return stderr + stdout;
}

/**
 * Renders the status as {@linkcode renderStatus} does, split for a script:
 * on a terminal everything is `stdout`; otherwise `stdout` holds the service
 * rows alone (tab-separated, as `deploy list`'s) and `stderr` the rest:
 * Tailscale, legerd and leger.run, each deployment's line, and the notes
 * about its services.
 *
 * @param document What `gatherStatus` found.
 * @param options Terminal or not, and the clock.
 * @returns The text for stdout and the text for stderr (either may be "").
 *
 * @example Usage
 * ```ts ignore
 * const { stdout, stderr } = renderStatusParts(document, { terminal: false, now: new Date() });
 * ```
 */
export function renderStatusParts(
  document: StatusDocument,
  options: RenderStatusOptions,
): { stdout: string; stderr: string } {
  const { terminal, now } = options;
  const ok = terminal ? "✓ " : "";
  const bad = terminal ? "✗ " : "";
  const shown: string[] = [];
  const notes: string[] = [];
  const lines = {
    push: (...l: string[]) => (terminal ? shown : notes).push(...l),
  };
  const { tailscale, leger_run } = document;
  const id = tailscale.identity;
  lines.push(
    `Tailscale   ${
      id !== null
        ? `${
          tailscale.backend_state === "Running" ? ok : bad
        }${tailscale.backend_state}, ${id.login_name} on ${id.tailnet} (${id.device_hostname})`
        : `${bad}${short(tailscale.error)}`
    }`,
  );
  lines.push(`legerd      ${legerdLine(document, { ok, bad, now, terminal })}`);
  lines.push(
    `leger.run   ${
      leger_run.state === "logged_in"
        ? `${ok}logged in as ${leger_run.login_name} until ${leger_run.expires_at} (not checked; \`leger auth status\` checks it)`
        : leger_run.state === "expired"
        ? `${bad}the login of ${leger_run.login_name} expired at ${leger_run.expires_at}: run \`leger auth login\``
        : leger_run.state === "missing"
        ? `${bad}not logged in: run \`leger auth login\``
        : `${bad}${short(leger_run.error)}`
    }`,
  );
  if (document.deployments.length === 0) {
    lines.push(
      "",
      `No deployments installed in the ${document.scope} scope. Install one with \`leger deploy install --source <folder>\`.`,
    );
  }
  for (const d of document.deployments) {
    lines.push(
      "",
      `${d.deployment}: ${d.source.type} ${d.source.location}${
        d.version === null ? "" : `, version ${d.version}`
      }, installed ${d.installed_at}`,
    );
    if (d.problem !== null) {
      lines.push(
        `  ${bad}leger's copy of ${d.deployment} cannot be read: ${d.problem.message}`,
        "    `leger doctor` says how to fix it",
      );
    }
    if (d.services.length === 0) {
      lines.push(`  ${d.deployment} has no services (only volumes/networks)`);
      continue;
    }
    const rows = d.services.map((s) => [
      ...(terminal ? [] : [d.deployment]),
      s.service,
      `${s.active_state}/${s.sub_state}`,
      s.since === null ? "-" : terminal ? uptime(s.since, now) : s.since,
      s.image ?? "-",
      s.ports.join(", ") || "-",
      healthCell(s, terminal),
    ]);
    const table = formatTable(rows, {
      header: ["SERVICE", "STATE", "SINCE", "IMAGE", "PORTS", "HEALTH"],
      terminal,
      indent: 2,
    });
    shown.push(...table.trimEnd().split("\n").filter((l) => l !== ""));
    for (const s of d.services) {
      const { health } = s;
      if (s.active_state !== "active") {
        lines.push(
          `  ${bad}${s.service} is ${s.active_state} (${s.sub_state}): see why with \`leger service logs ${
            s.service.replace(/\.service$/, "")
          }\``,
        );
      } else if (health.state === "unhealthy" || health.state === "refused") {
        lines.push(
          `  ${bad}${s.service} is ${health.state}${
            health.url === null ? "" : ` (${health.url})`
          }: ${health.detail}`,
          `    ${
            health.remedy ??
              `See why with \`leger service logs ${
                s.service.replace(/\.service$/, "")
              }\``
          }`,
        );
      } else if (health.state === "unknown" && health.detail !== null) {
        // Podman could not tell (podman ps failed): say why.
        lines.push(
          `  ${bad}${s.service}'s health is unknown: ${health.detail}`,
        );
      }
    }
  }
  const text = (list: string[]) =>
    list.length === 0 ? "" : list.join("\n") + "\n";
  return { stdout: text(shown), stderr: text(notes) };
}

function legerdLine(
  document: StatusDocument,
  marks: { ok: string; bad: string; now: Date; terminal: boolean },
): string {
  const { legerd, scope } = document;
  const { ok, bad, now, terminal } = marks;
  const health = legerd.health;
  if (health === null) {
    if (!legerd.running) {
      return `${bad}not running: start it with \`${
        legerdStartCommand(scope)
      }\``;
    }
    return `${bad}${short(legerd.error)}`;
  }
  const synced = health.last_successful_sync_at;
  const last = synced === null
    ? "no sync has succeeded yet"
    : `last sync ${synced}${terminal ? ` (${uptime(synced, now)} ago)` : ""}`;
  const state = health.status === "ok"
    ? `${ok}running`
    : health.status === "starting"
    ? `${ok}starting`
    : `${bad}degraded`;
  return `${state}, ${last}`;
}

function healthCell(status: ServiceStatus, terminal: boolean): string {
  const { health } = status;
  if (health.state === "none") return "-";
  const how = health.check === "http" ? "http" : "podman";
  return terminal ? `${health.state} (${how})` : health.state;
}

/** An error's message without its "Cannot …:" head. */
function short(error: ErrorJson | null): string {
  return (error?.message ?? "").replace(/^Cannot [^:]+: /, "");
}

/**
 * How long ago a time was, in the two largest units: `45s`, `5m10s`,
 * `3h12m`, `2d3h`.
 */
function uptime(since: string, now: Date): string {
  let seconds = Math.max(
    0,
    Math.floor((now.getTime() - new Date(since).getTime()) / 1000),
  );
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  if (days > 0) return `${days}d${hours}h`;
  if (hours > 0) return `${hours}h${minutes}m`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * The error for `leger status NAME` when no deployment of the scope is
 * NAME: when NAME is one of their services (`web`, `web.service`), or a
 * deployment of the other scope (whose record leger can read), it says so
 * and how to see it; otherwise it lists the deployments there are (and the
 * closest name).
 */
async function notInstalled(
  name: string,
  known: readonly string[],
  installed: readonly InstalledDeploymentServices[],
  options: { scope: Scope; deps: CommandDeps },
): Promise<LegerError> {
  const { scope, deps } = options;
  const error = deploymentNotFound(name, { known, scope });
  const service = name.replace(/\.(service|container|kube|pod)$/, "");
  const owner = installed.find((d) =>
    d.deployment.services.some((s) => s.replace(/\.service$/, "") === service)
  );
  if (owner !== undefined) {
    return new LegerError(error.code, error.message, {
      remedy:
        `\`${name}\` is a service of the deployment \`${owner.deployment.name}\`: run \`leger status ${owner.deployment.name}\``,
    });
  }
  const other: Scope = scope === "system" ? "user" : "system";
  const elsewhere = await readDeployments(
    legerPaths(other, deps.context).stateDir,
  ).catch(() => []);
  if (elsewhere.some((d) => d.name === name)) {
    const command = other === "system"
      ? `sudo leger status ${name}`
      : `leger status ${name} --scope user`;
    return new LegerError(error.code, error.message, {
      remedy:
        `\`${name}\` is installed in the ${other} scope: run \`${command}\``,
    });
  }
  return error;
}
