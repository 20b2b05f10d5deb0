/**
 * legerd's life, from start to stop: read legerd.yaml, open the control
 * socket, poll, watch the quadlet folder, talk to systemd, reload on SIGHUP,
 * stop on SIGTERM or SIGINT.
 *
 * @module
 */
import { dirname } from "node:path";
import type { Scope } from "../lib/adapters/scope.ts";
import { readLegerRunUrls } from "../lib/api/read_leger_run_urls.ts";
import { legerdSocketPath } from "../lib/auth/legerd_socket_path.ts";
import {
  type RuntimeFolder,
  userSessionError,
} from "../lib/auth/user_session_error.ts";
import { deployContext, pathsOf } from "../lib/deploy/context.ts";
import { LegerError } from "../lib/errors/mod.ts";
import type {
  LegerdEngine,
  LegerdError,
  LegerdHealth,
} from "../lib/secrets/control_api.ts";
import type { RestartPolicy } from "../lib/secrets/plan_reconcile.ts";
import { toLegerError } from "../cli/print_error.ts";
import {
  type LegerdConfig,
  legerdConfigPath,
  loadLegerdConfig,
} from "./config.ts";
import { startControlServer } from "./control_server.ts";
import { toLegerdError } from "./leger_run_session.ts";
import { LegerdConfigError } from "./legerd_config_error.ts";
import type { EngineOptions } from "./engine.ts";
import { formatDuration } from "./duration.ts";
import { PollLoop } from "./poll_loop.ts";
import { type FsWatch, QuadletWatcher } from "./quadlet_watcher.ts";
import { resolveLegerdScope } from "./resolve_legerd_scope.ts";
import { SdNotifier } from "./sd_notify.ts";

/** The signals legerd answers. */
export type LegerdSignal = "SIGTERM" | "SIGINT" | "SIGHUP";

/** The engine legerd runs: its local API, plus what a reload of legerd.yaml changes. */
export interface ReloadableEngine extends LegerdEngine {
  /** legerd.yaml's `restart`, reloaded. */
  setRestartPolicy(policy: RestartPolicy): void;
  /** legerd.yaml's `poll_interval`, reloaded (for `health()`). */
  setPollInterval(ms: number): void;
  /** Why the last reload of legerd.yaml failed, or `null` after a good one (for `health()`). */
  setConfigError(error: LegerdError | null): void;
  /** Asks tailscaled for its state (for `health()`); never fails. */
  checkTailscale(): Promise<void>;
}

/**
 * What legerd gives the engine it creates: the engine's options that the
 * scope and legerd.yaml decide, and the log.
 */
export type EngineFactoryOptions = Required<
  Pick<
    EngineOptions,
    | "scope"
    | "context"
    | "restart"
    | "pollIntervalMs"
    | "apiUrl"
    | "webUrl"
    | "log"
    | "configFile"
  >
>;

/** What legerd needs from the process it runs in; tests pass their own. */
export interface LegerdHost {
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** The home folder. */
  home: string;
  /** The user legerd runs as. */
  uid: number;
  /** legerd's process id. */
  pid: number;
  /** Writes one log line (stderr, which journald stamps). */
  log(line: string): void;
  /** Creates the reconcile engine. */
  createEngine(options: EngineFactoryOptions): ReloadableEngine;
  /** Calls `handler` on each `signal`; returns what stops listening. */
  onSignal(signal: LegerdSignal, handler: () => void): () => void;
  /** Whether Deno's permissions allow a network descriptor (`unix:/run/leger/legerd.sock`). */
  netAllowed(descriptor: string): boolean;
  /**
   * A number in [0, 1), for jitter.
   *
   * @default {Math.random}
   */
  random?: () => number;
  /**
   * Starts a timer; returns what cancels it.
   *
   * @default {setTimeout, cancelled by clearTimeout}
   */
  startTimer?: (callback: () => void, ms: number) => () => void;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default {Date.now}
   */
  now?: () => number;
  /**
   * Starts a file-system watch of the quadlet folder.
   *
   * @default {Deno.watchFs}
   */
  watch?: (path: string, options: { recursive: boolean }) => FsWatch;
  /**
   * Looks at the user's runtime folder (`XDG_RUNTIME_DIR`, else
   * `/run/user/UID`) at start, for `userSessionError()`.
   *
   * @default {a `Deno.statSync` of the path}
   */
  stat?: (path: string) => RuntimeFolder;
  /**
   * The longest legerd waits for the first sync before telling systemd it
   * is ready: a start never hangs on leger.run.
   *
   * @default {30000}
   */
  readyCapMs?: number;
  /**
   * How long one sync may run before legerd stops feeding systemd's
   * watchdog, so that systemd restarts a legerd whose sync hangs.
   *
   * @default {900000}
   */
  stuckSyncMs?: number;
  /**
   * Called once legerd listens and has told systemd it is ready (tests wait on it).
   *
   * @default {() => {}}
   */
  onReady?: (socketPath: string) => void;
}

/** The command-line flags that shape a run. */
export interface LegerdRunOptions {
  /** `--scope`. */
  scope?: Scope;
  /** `--config`. */
  config?: string;
}

/**
 * Runs legerd in the foreground until SIGTERM or SIGINT.
 *
 * Start: legerd.yaml is read (`--config`, else the scope's; a missing
 * default file is the defaults), the scope settled, the control socket
 * opened, the first sync run; legerd tells systemd `READY=1` when that sync
 * ends, or after `readyCapMs`. Then the poll loop runs: every
 * `poll_interval` (±10 %), at once when the quadlet folder changes, with
 * back-off after failures. After each sync systemd gets a `STATUS=` line;
 * `WATCHDOG=1` goes out every half `WatchdogSec=` unless a sync has hung for
 * `stuckSyncMs`.
 *
 * SIGHUP reloads legerd.yaml and applies `poll_interval` and `restart`; a
 * file that does not parse is logged, the running config kept, and health
 * says `degraded` with the reload's error (`config.error`) until a reload
 * succeeds. tailscaled is asked for its state once at start, for health.
 * SIGTERM/SIGINT: `STOPPING=1`, no new sync, the one in flight and the
 * requests in flight finish, the socket file is removed; then it returns.
 *
 * @param options `--scope` and `--config`.
 * @param host The process: environment, identity, log, engine, signals.
 * @returns A promise that settles when legerd has stopped cleanly.
 * @throws {LegerdConfigError} When its configuration (files and
 * environment) says it cannot run: legerd.yaml, leger's config.yaml or a
 * `LEGER_*_URL` it cannot use (a host leger may not reach:
 * `ERR_NETWORK_NOT_ALLOWED` naming the variable, or the key and the file),
 * the user scope outside a login session (`XDG_RUNTIME_DIR`, see
 * `userSessionError()`: `ERR_SYSTEMD_NOT_RUNNING`).
 * @throws {LegerError} When it cannot start otherwise: `ERR_CONFIG_INVALID`
 * for `--scope` against legerd.yaml's `scope` (which `main()` also ends
 * with 78), `ERR_USAGE` for a `--scope` that is not the user's, a socket its permissions do not allow
 * (`ERR_NETWORK_NOT_ALLOWED`), another legerd running
 * (`ERR_LEGERD_RUNNING`), a socket folder it cannot make.
 *
 * @example Usage
 * ```ts ignore
 * import { runLegerd } from "./run_legerd.ts";
 * await runLegerd({ scope: "user" }, host);
 * ```
 */
export async function runLegerd(
  options: LegerdRunOptions,
  host: LegerdHost,
): Promise<void> {
  const {
    env,
    home,
    uid,
    pid,
    log,
    random = Math.random,
    startTimer = realTimer,
    now = Date.now,
    readyCapMs = 30_000,
    stuckSyncMs = 900_000,
    onReady = () => {},
  } = host;
  const pathEnv = { home, env };
  const configRequired = options.config !== undefined;
  const configFile = options.config ??
    legerdConfigPath(options.scope ?? (uid === 0 ? "system" : "user"), pathEnv);
  // What legerd's configuration (files and environment) says is read first:
  // an error in it is a LegerdConfigError, which main() ends with 78.
  let config = await fromConfiguration(() =>
    loadLegerdConfig(configFile, { uid, required: configRequired })
  );
  const scope = resolveLegerdScope({
    flag: options.scope,
    config: config.scope,
    configFile,
    uid,
  });
  const socketPath = legerdSocketPath(scope, { env, uid });
  checkSocketAllowed(socketPath, scope, host);
  const urls = await fromConfiguration(() => readLegerRunUrls(pathEnv));
  const context = deployContext({ scope, home, cwd: "/", env, progress: log });
  const engine = host.createEngine({
    scope,
    context,
    restart: config.restart,
    pollIntervalMs: config.pollIntervalMs,
    apiUrl: urls.api,
    webUrl: urls.web,
    log,
    configFile,
  });
  const server = await startControlServer(engine, {
    path: socketPath,
    log,
    now: () => new Date(now()),
  });
  const notifier = await SdNotifier.open({
    env,
    bindPath: `${dirname(socketPath)}/notify.sock`,
    pid,
    log,
  });
  const quadletDir = pathsOf(context).quadletDir;
  const loop = new PollLoop({
    intervalMs: config.pollIntervalMs,
    random,
    startTimer,
    now,
    log,
    onNextPoll: (at) => engine.noteNextPoll(at),
    sync: async () => {
      // The watch may belong elsewhere now (the folder appeared or went): one stat.
      await watcher.refresh();
      let failure: Error | undefined;
      let failedStep: LegerdError | undefined;
      try {
        const result = await engine.sync({});
        // A secret leger.run lacks is reported, not a failure to retry.
        failedStep = result.errors.find((e) =>
          e.code !== "ERR_SECRET_NOT_FOUND"
        );
      } catch (error) {
        const legerError = toLegerError(error);
        if (legerError.code === "ERR_INTERNAL") {
          log(`sync hit a bug: ${(error as Error)?.stack ?? String(error)}`);
        }
        // The loop logs it with the retry: "sync failed (2 in a row): …".
        failure = new Error(`${legerError.message} [${legerError.code}]`);
      }
      const health = engine.health();
      await notifier.notify({ STATUS: statusLine(health) });
      if (failure !== undefined) throw failure;
      // Some steps failed (a write Podman refused): back off and retry.
      if (failedStep !== undefined) {
        throw new Error(`${failedStep.message} [${failedStep.code}]`);
      }
      return true;
    },
  });
  const watcher = new QuadletWatcher(quadletDir, {
    onChange: (reason) => loop.trigger(reason),
    log,
    watch: host.watch,
    startTimer,
  });

  let stopSignal: LegerdSignal | undefined;
  let requestStop: (signal: LegerdSignal) => void = () => {};
  const stopped = new Promise<LegerdSignal>((resolve) => requestStop = resolve);
  let reloading = Promise.resolve();
  const reload = async () => {
    await notifier.notify({ RELOADING: "1" });
    try {
      const next = await loadLegerdConfig(configFile, {
        uid,
        required: configRequired,
      });
      resolveLegerdScope({ flag: scope, config: next.scope, configFile, uid });
      engine.setRestartPolicy(next.restart);
      engine.setPollInterval(next.pollIntervalMs);
      loop.setIntervalMs(next.pollIntervalMs);
      engine.setConfigError(null);
      config = next;
      log(`reloaded ${configFile}: ${describeConfig(config)}`);
    } catch (error) {
      const legerError = toLegerError(error);
      engine.setConfigError(toLegerdError(legerError, new Date(now())));
      const where = legerError.where !== undefined &&
          !legerError.message.includes(legerError.where)
        ? ` (${legerError.where})`
        : "";
      log(
        `reload failed: ${legerError.message}${where} [${legerError.code}]; keeping ${
          describeConfig(config)
        }`,
      );
    }
    await notifier.notify({ READY: "1", STATUS: statusLine(engine.health()) });
  };
  const unlisten = [
    host.onSignal("SIGTERM", () => stop("SIGTERM")),
    host.onSignal("SIGINT", () => stop("SIGINT")),
    host.onSignal("SIGHUP", () => {
      if (stopSignal !== undefined) return;
      log("SIGHUP: reloading legerd.yaml");
      reloading = reloading.then(reload);
    }),
  ];
  function stop(signal: LegerdSignal): void {
    if (stopSignal !== undefined) {
      log(`${signal}: already stopping, finishing the sync in flight`);
      return;
    }
    stopSignal = signal;
    requestStop(signal);
  }

  log(
    `legerd serving the ${scope} scope (uid ${uid}, pid ${pid}) on ${socketPath}: ${
      describeConfig(config)
    }; config ${configFile}; leger.run ${urls.api}`,
  );
  // For health only: a tailscaled that does not answer delays nothing.
  const tailscale = engine.checkTailscale();
  await watcher.refresh();
  loop.start();
  let cancelCap = () => {};
  const capped = new Promise<void>((resolve) =>
    cancelCap = startTimer(resolve, readyCapMs)
  );
  const first = await Promise.race([
    loop.firstAttempt.then(() => "synced" as const),
    capped.then(() => "capped" as const),
    stopped.then(() => "stopped" as const),
  ]);
  cancelCap();
  let cancelWatchdog = () => {};
  if (first !== "stopped") {
    if (first === "capped") {
      log(
        `first sync still running after ${
          formatDuration(readyCapMs)
        }: ready meanwhile`,
      );
    }
    await notifier.notify({ READY: "1", STATUS: statusLine(engine.health()) });
    log(`ready, ${statusLine(engine.health())}`);
    cancelWatchdog = startWatchdog(notifier, {
      loop,
      now,
      startTimer,
      stuckSyncMs,
      log,
    });
    onReady(socketPath);
  }

  const signal = await stopped;
  log(`${signal}: stopping after the sync in flight`);
  await notifier.notify({ STOPPING: "1" });
  cancelWatchdog();
  watcher.close();
  await Promise.all([loop.stop(), server.shutdown(), reloading, tailscale]);
  await notifier.close();
  for (const off of unlisten) off();
  log("stopped");
}

/**
 * One line of health for systemd's `STATUS=` (`systemctl status legerd`
 * shows it): the state; when degraded, why (the failure's message and
 * code); the last successful sync, the next poll and the number of Podman
 * secrets. Never a value.
 *
 * @param health The engine's health.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import { statusLine } from "./run_legerd.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const health = {
 *   status: "ok",
 *   podman: { reachable: true, secrets: 1, last_error: null },
 *   leger_run: { api_url: "https://api.leger.run", reachable: true, auth: "ok", last_error: null },
 *   config: { file: "/etc/leger/legerd.yaml", error: null },
 *   last_successful_sync_at: "2025-06-01T12:00:00.000Z",
 *   next_poll_at: "2025-06-01T12:05:00.000Z",
 * } as Parameters<typeof statusLine>[0];
 * strictEqual(
 *   statusLine(health),
 *   "ok: last sync 2025-06-01T12:00:00Z, next poll 2025-06-01T12:05:00Z, 1 Podman secret",
 * );
 * strictEqual(
 *   statusLine({
 *     ...health,
 *     status: "degraded",
 *     leger_run: { ...health.leger_run, reachable: false, last_error: {
 *       code: "ERR_API_UNREACHABLE", message: "Cannot reach leger.run", at: "2025-06-01T12:01:00.000Z",
 *     } },
 *   }),
 *   "degraded, Cannot reach leger.run [ERR_API_UNREACHABLE]; last sync 2025-06-01T12:00:00Z, next poll 2025-06-01T12:05:00Z, 1 Podman secret",
 * );
 * ```
 */
export function statusLine(health: LegerdHealth): string {
  let head: string = health.status;
  if (health.status === "degraded") {
    const error = health.leger_run.last_error ?? health.podman.last_error ??
      health.config.error;
    if (error !== null) head = `degraded, ${error.message} [${error.code}]`;
  }
  const details: string[] = [];
  if (health.last_successful_sync_at !== null) {
    details.push(`last sync ${shortTime(health.last_successful_sync_at)}`);
  }
  if (health.next_poll_at !== null) {
    details.push(`next poll ${shortTime(health.next_poll_at)}`);
  }
  if (health.podman.secrets !== null) {
    const n = health.podman.secrets;
    details.push(`${n} Podman secret${n === 1 ? "" : "s"}`);
  }
  const separator = head === health.status ? ": " : "; ";
  const line = details.length === 0
    ? head
    : `${head}${separator}${details.join(", ")}`;
  return line.replace(/[\r\n]+/g, " ");
}

function shortTime(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, "Z");
}

function describeConfig(config: LegerdConfig): string {
  return `poll_interval ${
    formatDuration(config.pollIntervalMs)
  }, restart ${config.restart}`;
}

/**
 * Refuses, before anything listens, a socket legerd cannot serve: a user's
 * legerd outside a login session of its user (`userSessionError()`: its
 * runtime folder, `XDG_RUNTIME_DIR` or `/run/user/UID`, is not an existing
 * folder of its own; a configuration error), and a socket Deno's network
 * permission does not allow (only a legerd run with a narrower
 * `--allow-net` than its task's).
 */
function checkSocketAllowed(
  socketPath: string,
  scope: Scope,
  host: LegerdHost,
): void {
  if (scope === "user") {
    // The runtime folder holds legerd's socket, and `systemctl --user` and
    // rootless Podman find the user's systemd and containers through it:
    // without it legerd could answer leger but not restart a service.
    const outside = userSessionError({
      env: host.env,
      uid: host.uid,
      stat: host.stat,
      action: "start legerd for the user scope",
    });
    if (outside !== null) throw new LegerdConfigError(outside);
  }
  if (host.netAllowed(`unix:${socketPath}`)) return;
  throw new LegerError(
    "ERR_NETWORK_NOT_ALLOWED",
    `Cannot listen on ${socketPath}: legerd's network permission does not allow it`,
    {
      remedy:
        "Run legerd with `--allow-net`, as the legerd binary leger ships and `deno task legerd` do",
    },
  );
}

/**
 * Reads part of legerd's configuration: what it cannot use (a file that
 * does not parse or may not be read, a URL leger may not reach) is a
 * {@linkcode LegerdConfigError}; a read cut short (`ERR_IO_FAILED`), which
 * another start may not meet, and a bug are thrown as they are.
 */
async function fromConfiguration<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const legerError = toLegerError(error);
    if (
      legerError.code === "ERR_INTERNAL" || legerError.code === "ERR_IO_FAILED"
    ) throw error;
    throw new LegerdConfigError(legerError);
  }
}

function startWatchdog(
  notifier: SdNotifier,
  options: {
    loop: PollLoop;
    now: () => number;
    startTimer: (callback: () => void, ms: number) => () => void;
    stuckSyncMs: number;
    log: (line: string) => void;
  },
): () => void {
  const interval = notifier.watchdogIntervalMs;
  if (interval === null) return () => {};
  const { loop, now, startTimer, stuckSyncMs, log } = options;
  let cancel = () => {};
  let withheld = false;
  const tick = () => {
    const busySince = loop.busySince;
    if (busySince !== null && now() - busySince > stuckSyncMs) {
      if (!withheld) {
        log(
          `a sync has run for more than ${
            formatDuration(stuckSyncMs)
          }: no more watchdog pings, so that systemd restarts legerd`,
        );
      }
      withheld = true;
    } else {
      withheld = false;
      notifier.notify({ WATCHDOG: "1" });
    }
    cancel = startTimer(tick, interval);
  };
  tick();
  return () => cancel();
}

function realTimer(callback: () => void, ms: number): () => void {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
}
