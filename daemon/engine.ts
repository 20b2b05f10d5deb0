/**
 * legerd's reconcile engine, in process: what the control socket serves
 * (`LegerdEngine`) and what the poll loop calls. One sync reads the scope's
 * installed units (no process), lists Podman's secrets (one `podman secret
 * ls`), fetches leger.run's list (one request), plans with
 * `planReconcile()` and applies the plan: secrets created or replaced with
 * their value on stdin, orphans removed, the running services of changed
 * secrets restarted in one `systemctl try-restart`, services an install
 * left waiting for a secret started. In the steady state a sync costs one
 * HTTP request and one Podman run, and writes nothing.
 *
 * A restart is never lost: the services a write will restart are recorded
 * in `legerd-restarts.json` (state folder, 0600) before the write, and
 * forgotten once their try-restart has returned; a legerd killed in between
 * leaves them there, and the next one's first sync (or rotation) adds them
 * to its own try-restart, after its writes, so that a service whose secret
 * the killed legerd never wrote restarts once, with the new value.
 *
 * @module
 */
import {
  createPodmanSecret,
  listPodmanSecrets,
  type PodmanSecret,
  type PodmanSecretSupport,
  removePodmanSecret,
} from "../lib/adapters/podman_secrets.ts";
import { readInstalledUnits } from "../lib/adapters/installed_units.ts";
import type { Runner } from "../lib/adapters/run.ts";
import type { Scope } from "../lib/adapters/scope.ts";
import {
  runningServices,
  startServices,
  tryRestartServices,
} from "../lib/adapters/systemctl_services.ts";
import { readTailscaleStatus } from "../lib/adapters/tailscale.ts";
import {
  DEFAULT_TAILSCALED_SOCKET,
  localApiGet,
} from "../lib/adapters/tailscale_local_api.ts";
import { authFilePath } from "../lib/auth/auth_file_path.ts";
import { type DeployContext, pathsOf } from "../lib/deploy/context.ts";
import { LegerError } from "../lib/errors/leger_error.ts";
import type { Finding } from "../lib/errors/finding.ts";
import type { QuadletUnit } from "../lib/quadlet/types.ts";
import type {
  LegerdEngine,
  LegerdError,
  LegerdHealth,
  PurgeResult,
  RotateRequest,
  RotateResult,
  SecretStatus,
  SyncRequest,
  SyncResult,
} from "../lib/secrets/control_api.ts";
import { checkSecretName } from "../lib/secrets/check_secret_name.ts";
import { parseManagedLabels } from "../lib/secrets/parse_managed_labels.ts";
import {
  type BackendSecret,
  planReconcile,
  type PlanReconcileInput,
  type ReconcilePlan,
  type RestartPolicy,
  type SecretWrite,
} from "../lib/secrets/plan_reconcile.ts";
import {
  type RequiredSecret,
  requiredSecrets,
} from "../lib/secrets/required_secrets.ts";
import { secretDigest } from "../lib/secrets/secret_digest.ts";
import { secretLabels } from "../lib/secrets/secret_labels.ts";
import {
  readDeployments,
  writeDeployments,
} from "../lib/state/deployments_file.ts";
import { readJournal } from "../lib/state/intent_journal.ts";
import { acquireLock } from "../lib/state/lock.ts";
import type { TailscaleStatus } from "../lib/tailscale/parse_tailscale_status.ts";
import { VERSION } from "../cli/version.ts";
import { legerdConfigPath } from "./config.ts";
import { loadDigestKey } from "./digest_key.ts";
import { LegerRunSession, toLegerdError } from "./leger_run_session.ts";
import { RESTARTS_DUE_FILE, RestartsDue } from "./restarts_due.ts";
import { secretStatuses } from "./secret_statuses.ts";

/** How long names asked for by a sync's `secrets` are kept from orphan removal. */
const PROTECT_MS = 10 * 60 * 1000;
/** Podman's rule for secret names (`validateSecretName`). */
const SECRET_NAME_REGEXP = /^[^,/=\0]{1,253}$/;

/** How long legerd waits for tailscaled's LocalAPI: it answers in milliseconds when it runs. */
const TAILSCALE_TIMEOUT_MS = 3000;

/** Failures of a request rather than of legerd. */
const REQUEST_CODES = new Set(["ERR_USAGE", "ERR_SERVICE_NOT_FOUND"]);

/** Options for {@linkcode SecretsEngine}. */
export interface EngineOptions {
  /** The scope served: `user` (rootless) or `system` (root); must be `context.scope`. */
  scope: Scope;
  /**
   * The scope's context: its `runner` runs every podman and systemctl,
   * its folders (`pathsOf`) give the quadlet folder and the state folder,
   * `now` is the clock and `progress` the default log.
   */
  context: DeployContext;
  /** What a changed secret does to the running services that use it (legerd.yaml's `restart`). */
  restart: RestartPolicy;
  /** The poll interval before jitter, for `health()` (legerd.yaml's `poll_interval`). */
  pollIntervalMs: number;
  /** leger.run's API (`resolveLegerRunUrls().api`). */
  apiUrl: string;
  /** leger.run's web UI, named where a missing secret is to be added (`resolveLegerRunUrls().web`). */
  webUrl: string;
  /**
   * Where log lines go (the journal): secrets' names, versions and
   * services, never a value or a token.
   *
   * @default {context.progress}
   */
  log?: (line: string) => void;
  /**
   * Sends the requests to leger.run.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * The clock.
   *
   * @default {context.now}
   */
  now?: () => Date;
  /**
   * The per-host digest key (created 0600 when missing).
   *
   * @default {"<state folder>/legerd.key"}
   */
  digestKeyFile?: string;
  /**
   * The leger.run login.
   *
   * @default {authFilePath(context)}
   */
  authFile?: string;
  /**
   * legerd.yaml, named by `health().config.file`.
   *
   * @default {legerdConfigPath(scope, context)}
   */
  configFile?: string;
  /**
   * The restarts legerd owes (see `RestartsDue`): recorded before a write
   * that implies them, forgotten once their try-restart has returned.
   *
   * @default {"<state folder>/legerd-restarts.json"}
   */
  restartsFile?: string;
  /**
   * Reads the Tailscale status, at start-up (`checkTailscale()`) and to log
   * in again.
   *
   * @default {tailscaled's LocalAPI at LEGER_TAILSCALE_SOCKET, else /run/tailscale/tailscaled.sock, 3 s at most}
   */
  readTailscale?: (action: string) => Promise<TailscaleStatus>;
  /**
   * The quadlet folders read for units, in Podman's order.
   *
   * @default {[pathsOf(context).quadletDir]}
   */
  quadletDirs?: readonly string[];
  /**
   * legerd's version, for `health()` and `POST /auth/cli`.
   *
   * @default {VERSION}
   */
  version?: string;
  /**
   * The process id, for `health()`.
   *
   * @default {Deno.pid}
   */
  pid?: number;
}

/** What one sync, rotation or purge cost. */
type Meter = NonNullable<LegerdHealth["last_poll"]>;

/** The restarts an earlier legerd owed (`legerd-restarts.json`), as read. */
interface Owed {
  /** The services due. */
  services: string[];
  /** Why the file could not be read (it is then kept). */
  errors: LegerdError[];
}

const NOTHING_OWED: Owed = { services: [], errors: [] };

/** A sync planned, before anything is written. */
interface Planned {
  plan: ReconcilePlan;
  required: RequiredSecret[];
  byName: Map<string, BackendSecret>;
  podman: Map<string, PodmanSecret>;
  /** The services an install left waiting that this sync is about. */
  waiting: string[];
  /** Of the services asked about (to restart, to start, owed), those running. */
  running: string[];
}

/** A sync request once checked. */
interface Checked {
  service: string | null;
  secrets: string[] | null;
  force: boolean;
  dry_run: boolean;
}

/**
 * The reconcile engine behind legerd's socket. Syncs, rotations and purges
 * run one at a time; concurrent syncs with the same request share the one
 * in flight. It throws `LegerError`s the control server answers as
 * `LegerdErrorBody`, and remembers the last failure for `health()`.
 *
 * Requires `--allow-read` and `--allow-write` for the quadlet and state
 * folders and `auth.json`, `--allow-run=podman,systemctl`, `--allow-net`
 * for leger.run's API and, to log in again, tailscaled's socket.
 *
 * @example Usage
 * ```ts ignore
 * import { SecretsEngine } from "./engine.ts";
 * import { deployContext } from "../lib/deploy/context.ts";
 *
 * const context = deployContext({ scope: "user", home, cwd: "/", env, progress: log });
 * const engine = new SecretsEngine({
 *   scope: "user", context, restart: "on-rotation", pollIntervalMs: 300_000,
 *   apiUrl: urls.api, webUrl: urls.web, log,
 * });
 * const result = await engine.sync({});
 * ```
 */
export class SecretsEngine implements LegerdEngine {
  #scope: Scope;
  #context: DeployContext;
  #restart: RestartPolicy;
  #pollIntervalMs: number;
  #webUrl: string;
  #apiUrl: string;
  #log: (line: string) => void;
  #now: () => Date;
  #digestKeyFile: string;
  #quadletDirs: readonly string[];
  #version: string;
  #pid: number;
  #runner: Runner;
  #session: LegerRunSession;
  #meter: Meter = {
    http_requests: 0,
    podman_runs: 0,
    systemctl_runs: 0,
    writes: 0,
  };
  #lastPoll: Meter | null = null;
  #key: Promise<Uint8Array<ArrayBuffer>> | null = null;
  #podmanCache = new Map<string, PodmanSecret>();
  #support: PodmanSecretSupport = { replace: null };
  #protected = new Map<string, number>();
  #tail: Promise<unknown> = Promise.resolve();
  #pending = new Map<string, Promise<SyncResult>>();
  /** Podman's secrets as last listed, kept current with legerd's own writes. */
  #podmanView: Map<string, PodmanSecret> | null = null;
  /** The names of leger.run's last successful list; `null` before one. */
  #backendNames: Set<string> | null = null;
  #due: RestartsDue;
  #config: LegerdHealth["config"];
  #status: LegerdHealth["status"] = "starting";
  #podmanState: LegerdHealth["podman"] = {
    reachable: null,
    secrets: null,
    last_error: null,
  };
  #lastSuccess: string | null = null;
  #nextPoll: string | null = null;
  #said = new Map<string, string>();

  /**
   * Creates the engine; nothing runs until the first call.
   *
   * @param options The scope and its context, the policy, leger.run's URLs
   * and the hooks tests replace.
   * @throws {TypeError} When `scope` is not `context.scope`.
   * @throws {RangeError} When `pollIntervalMs` is not a positive number.
   */
  constructor(options: EngineOptions) {
    const { scope, context, apiUrl, webUrl } = options;
    if (scope !== context.scope) {
      throw new TypeError(
        `Cannot create legerd's engine for the ${scope} scope with a context of the ${context.scope} scope`,
      );
    }
    this.#scope = scope;
    this.#context = context;
    this.#restart = checkPolicy(options.restart);
    this.#pollIntervalMs = checkInterval(options.pollIntervalMs);
    this.#apiUrl = apiUrl;
    this.#webUrl = webUrl;
    this.#log = options.log ?? context.progress;
    this.#now = options.now ?? context.now;
    const paths = pathsOf(context);
    this.#digestKeyFile = options.digestKeyFile ??
      `${paths.stateDir}/legerd.key`;
    this.#quadletDirs = options.quadletDirs ?? [paths.quadletDir];
    this.#due = new RestartsDue(
      options.restartsFile ?? `${paths.stateDir}/${RESTARTS_DUE_FILE}`,
      { log: this.#log },
    );
    this.#config = {
      file: options.configFile ?? legerdConfigPath(scope, context),
      error: null,
    };
    this.#version = options.version ?? VERSION;
    this.#pid = options.pid ?? Deno.pid;
    const inner = context.runner;
    this.#runner = (bin, args, runOptions) => {
      if (bin === "podman") this.#meter.podman_runs++;
      if (bin === "systemctl") this.#meter.systemctl_runs++;
      return inner(bin, args, runOptions);
    };
    const fetchFn = options.fetch ?? globalThis.fetch;
    const socketPath = context.env("LEGER_TAILSCALE_SOCKET") ||
      DEFAULT_TAILSCALED_SOCKET;
    this.#session = new LegerRunSession({
      apiUrl,
      webUrl,
      authFile: options.authFile ?? authFilePath(context),
      fetch: (input, init) => {
        this.#meter.http_requests++;
        return fetchFn(input, init);
      },
      now: this.#now,
      log: this.#log,
      readTailscale: options.readTailscale ??
        ((action) => readTailscaled(socketPath, action)),
      version: this.#version,
      onWrite: () => void this.#meter.writes++,
    });
  }

  /**
   * Changes the restart policy (legerd.yaml reloaded).
   *
   * @param policy `on-rotation` or `never`.
   * @throws {RangeError} For another value.
   */
  setRestartPolicy(policy: RestartPolicy): void {
    this.#restart = checkPolicy(policy);
  }

  /**
   * Changes the poll interval `health()` reports (legerd.yaml reloaded).
   *
   * @param ms The interval before jitter, in milliseconds.
   * @throws {RangeError} When it is not a positive number.
   */
  setPollInterval(ms: number): void {
    this.#pollIntervalMs = checkInterval(ms);
  }

  /**
   * Notes how the last reload of legerd.yaml went, for `health()`: while a
   * reload has failed, legerd runs with the settings it had, and its health
   * is `degraded` with the reload's error in `config.error`.
   *
   * @param error The reload's error, or `null` after a good reload.
   */
  setConfigError(error: LegerdError | null): void {
    this.#config = { ...this.#config, error };
  }

  /**
   * Asks tailscaled for its state, for `health().tailscale`: once at
   * start-up (logging in again asks too). Never fails: what went wrong is
   * kept in `health().tailscale.error`.
   *
   * @returns A promise that settles once tailscaled answered or could not
   * (3 s at most with the default reader).
   */
  async checkTailscale(): Promise<void> {
    await this.#session.checkTailscale();
  }

  /**
   * Notes when the poll loop runs next, for `health()`.
   *
   * @param at The time, or `null` when no poll is planned.
   */
  noteNextPoll(at: Date | null): void {
    this.#nextPoll = at === null ? null : at.toISOString();
  }

  /**
   * How legerd is doing (`GET /v1/health`); no I/O. `degraded` while the
   * last sync failed, or while the last reload of legerd.yaml failed
   * (`config.error`).
   *
   * @returns The health document.
   */
  health(): LegerdHealth {
    return {
      status: this.#config.error !== null ? "degraded" : this.#status,
      version: this.#version,
      scope: this.#scope,
      pid: this.#pid,
      tailscale: { ...this.#session.tailscale },
      leger_run: { api_url: this.#apiUrl, ...this.#session.state },
      podman: { ...this.#podmanState },
      last_successful_sync_at: this.#lastSuccess,
      next_poll_at: this.#nextPoll,
      poll_interval_ms: this.#pollIntervalMs,
      restart: this.#restart,
      config: { ...this.#config },
      last_poll: this.#lastPoll === null ? null : { ...this.#lastPoll },
    };
  }

  /**
   * The state of each secret (`GET /v1/secrets`): the installed units are
   * read again (files only, no process), so that a unit installed since the
   * last sync is there; Podman's secrets are those legerd last listed, with
   * its own writes and removals since; leger.run's names are those of its
   * last successful list, unless `auth.json` is gone (then a secret Podman
   * lacks is `pending`, not `missing`). Before anything listed Podman, one
   * `podman secret ls` runs.
   *
   * @returns The secrets, sorted by name; never a value.
   * @throws {LegerError} What listing Podman's secrets throws, before the
   * first listing; what reading the quadlet folder throws.
   */
  async secrets(): Promise<SecretStatus[]> {
    const required = requiredSecrets(await this.#readUnits());
    if (this.#podmanView === null) {
      await this.#exclusive(async () => {
        this.#podmanView ??= await this.#listPodman();
      });
    }
    const backend = this.#backendNames !== null &&
        await this.#session.hasLogin()
      ? this.#backendNames
      : null;
    return secretStatuses({
      required,
      podman: this.#podmanView!.values(),
      backend,
    });
  }

  /**
   * Syncs Podman's secrets with leger.run (`POST /v1/sync`). Restarts an
   * earlier legerd owed (`legerd-restarts.json`) are done first, unless
   * `dry_run`; they count in `applied.restarted`.
   *
   * @param request Limits to a service's or some names' secrets; `force`
   * rewrites current ones; `dry_run` plans only.
   * @returns The plan, what was applied and the steps that failed (a
   * required secret leger.run lacks is one, `ERR_SECRET_NOT_FOUND`, naming
   * the web UI).
   * @throws {LegerError} `ERR_USAGE` for a malformed request;
   * `ERR_SERVICE_NOT_FOUND` for a service no installed unit has; leger.run's
   * and the login's errors (nothing is changed then); `ERR_COMMAND_FAILED`
   * when Podman cannot list its secrets.
   */
  sync(request: SyncRequest = {}): Promise<SyncResult> {
    let checked: Checked;
    try {
      checked = checkRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = JSON.stringify(checked);
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending;
    const promise = this.#exclusive(() =>
      this.#metered(() => this.#sync(checked))
    )
      .catch((error) => {
        // A request about a service that is not there fails the request,
        // not legerd.
        if (!(error instanceof LegerError && REQUEST_CODES.has(error.code))) {
          this.#status = "degraded";
        }
        throw error;
      })
      .finally(() => this.#pending.delete(key));
    this.#pending.set(key, promise);
    return promise;
  }

  /**
   * Fetches one secret now and writes it to Podman even when its value is
   * current, then restarts the running services that use it
   * (`POST /v1/rotate`).
   *
   * @param request The name, and whether to restart (default `true`).
   * @returns The version written, whether the value changed, the services
   * restarted.
   * @throws {LegerError} `ERR_USAGE` for a malformed request;
   * `ERR_SECRET_NOT_FOUND` when leger.run lacks it (naming the web UI);
   * `ERR_SECRET_UNMANAGED` when Podman's secret of that name is not
   * leger's; `ERR_SECRET_SYNC_FAILED`, `ERR_SERVICE_START_FAILED`; leger.run's
   * errors.
   */
  rotate(request: RotateRequest): Promise<RotateResult> {
    const { name, restart = true } = request ?? {};
    if (typeof name !== "string" || !SECRET_NAME_REGEXP.test(name)) {
      return Promise.reject(badName(name, "name"));
    }
    if (typeof restart !== "boolean") {
      return Promise.reject(usage('"restart" must be true or false'));
    }
    return this.#exclusive(() =>
      this.#metered(() => this.#rotate(name, restart))
    );
  }

  /**
   * Removes every leger-managed Podman secret (`POST /v1/purge`), as
   * `leger auth logout --purge-secrets` asks; secrets leger did not create
   * stay.
   *
   * @returns The names removed, sorted.
   * @throws {LegerError} `ERR_SECRET_SYNC_FAILED` naming the secrets Podman
   * would not remove (the others are removed); what listing Podman throws.
   */
  purge(): Promise<PurgeResult> {
    return this.#exclusive(() => this.#metered(() => this.#purge()));
  }

  // ---- the operations -------------------------------------------------

  async #sync(request: Checked): Promise<SyncResult> {
    const now = this.#now();
    const { stateDir } = pathsOf(this.#context);
    // What a legerd killed mid-sync left to restart joins this sync's one
    // try-restart, after its writes: restarted first, a service whose write
    // never happened would restart with the old value, then again after the
    // write. A dry run changes nothing.
    const owed = request.dry_run ? NOTHING_OWED : await this.#loadOwed();
    let planned: Planned;
    try {
      planned = await this.#planSync(request, { now, stateDir, owed });
    } catch (error) {
      // No write comes: what is owed is restarted now, not when leger.run
      // or Podman answers again.
      if (error instanceof LegerError) await this.#restartOwedNow(owed);
      throw error;
    }
    const { plan, required, byName, podman, waiting, running } = planned;
    const errors = this.#reportMissing(plan, now);
    this.#reportUnmanaged(plan);
    const applied: SyncResult["applied"] = {
      created: [],
      replaced: [],
      removed: [],
      restarted: [],
      started: [],
    };
    errors.push(...owed.errors);
    if (request.dry_run) {
      return { dry_run: true, plan, applied, errors };
    }
    const runningSet = new Set(running);
    const outcome = await this.#apply(plan, {
      required,
      byName,
      podman,
      applied,
      errors,
      owed: owed.services.filter((service) => runningSet.has(service)),
      keepOwed: owed.errors.length > 0,
    });
    const done = [
      ...applied.started,
      ...outcome.failedStarts,
      ...waiting.filter((s) => runningSet.has(s)),
    ];
    if (done.length > 0) await this.#clearWaiting(stateDir, new Set(done));
    const failures = [...owed.errors, ...outcome.errors];
    this.#podmanState = {
      reachable: true,
      secrets: podman.size,
      last_error: failures[0] ?? null,
    };
    this.#status = failures.length === 0 ? "ok" : "degraded";
    if (failures.length === 0) {
      this.#lastSuccess = this.#now().toISOString();
    }
    return { dry_run: false, plan, applied, errors };
  }

  /**
   * Reads the units, Podman and leger.run and plans a sync, with the
   * services it may restart or start (and those owed) asked whether they
   * run; nothing is written.
   */
  async #planSync(
    request: Checked,
    context: { now: Date; stateDir: string; owed: Owed },
  ): Promise<Planned> {
    const { now, stateDir, owed } = context;
    const units = await this.#readUnits();
    const all = requiredSecrets(units);
    const required = this.#select(request, units, all, now);
    const scoped = request.service !== null || request.secrets !== null;
    // One list per deployment: a service there that uses no secret waits
    // for those of its list that do (planReconcile's `stopped`).
    const waitingGroups = request.secrets !== null
      ? []
      : (await this.#readWaiting(stateDir)).map((group) =>
        request.service === null ? group : this.#onlyAsked(
          group,
          request.service,
          all,
        )
      ).filter((group) => group.length > 0);
    const waiting = [...new Set(waitingGroups.flat())].sort(compare);
    let podman: Map<string, PodmanSecret>;
    try {
      podman = await this.#listPodman();
    } catch (error) {
      this.#status = "degraded";
      throw error;
    }
    this.#podmanView = podman;
    const anyManaged = [...podman.values()].some((s) =>
      parseManagedLabels(s.labels) !== null
    );
    let backend: BackendSecret[] = [];
    // A host whose units need no secret, with none of leger's in Podman,
    // has nothing to ask leger.run.
    if (required.length > 0 || (!scoped && anyManaged)) {
      try {
        backend = await this.#session.listSecrets();
      } catch (error) {
        // The poll loop logs the failure; Podman keeps the values it has.
        this.#status = "degraded";
        throw error;
      }
      this.#backendNames = new Set(backend.map((s) => s.name));
    } else {
      await this.#session.checkLogin();
    }
    const byName = new Map(backend.map((secret) => [secret.name, secret]));
    const digests = await this.#digests(required, byName);
    const input: PlanReconcileInput = {
      required,
      backend,
      podman: [...podman.values()],
      restart: this.#restart,
      stopped: waitingGroups,
      digest: (secret) => digests.get(secret.name)!,
      force: request.force,
    };
    let plan;
    try {
      plan = planOrApiError(input);
    } catch (error) {
      if (error instanceof LegerError) this.#session.recordFailure(error);
      throw error;
    }
    const requiredByName = new Map(required.map((r) => [r.name, r]));
    const ask = new Set([...plan.start, ...owed.services]);
    if (this.#restart === "on-rotation") {
      for (const write of [...plan.create, ...plan.replace]) {
        for (const service of requiredByName.get(write.name)!.services) {
          ask.add(service);
        }
      }
    }
    let running: string[] = [];
    if (ask.size > 0) {
      running = await runningServices(this.#runner, this.#scope, [...ask]);
      plan = planOrApiError({ ...input, running });
    }
    plan = await this.#guardRemovals(plan, { scoped, stateDir, now });
    return { plan, required, byName, podman, waiting, running };
  }

  /**
   * Reads what an earlier legerd owed (`legerd-restarts.json`: it wrote
   * secrets, then stopped before their try-restart). Under `restart: never`
   * the debt is dropped; a file that cannot be read is reported, and kept.
   */
  async #loadOwed(): Promise<Owed> {
    try {
      const due = await this.#due.load();
      if (due.length === 0) return NOTHING_OWED;
      if (this.#restart === "never") {
        this.#log(
          `Not restarting ${
            due.join(", ")
          }, which an earlier legerd left to restart: restart is "never" in legerd.yaml`,
        );
        await this.#forgetOwed();
        return NOTHING_OWED;
      }
      return { services: due, errors: [] };
    } catch (error) {
      if (!(error instanceof LegerError)) throw error;
      this.#log(error.message);
      return { services: [], errors: [toLegerdError(error, this.#now())] };
    }
  }

  /**
   * Restarts what is owed when no write follows (the sync or rotation
   * failed before its writes), those of the services that run; the file is
   * removed once the try-restart has returned. A failure is logged, and the
   * debt kept for the next sync.
   */
  async #restartOwedNow(owed: Owed): Promise<void> {
    if (owed.services.length === 0) return;
    try {
      const running = await runningServices(
        this.#runner,
        this.#scope,
        owed.services,
      );
      if (running.length > 0) {
        await tryRestartServices(this.#runner, this.#scope, running);
        this.#logOwedRestart(running);
      }
      await this.#forgetOwed();
    } catch (error) {
      if (!(error instanceof LegerError)) throw error;
      this.#log(error.message);
    }
  }

  #logOwedRestart(services: readonly string[]): void {
    for (const service of services) {
      this.#log(
        `Restarted ${service}: an earlier legerd replaced the secrets it uses and stopped before restarting it`,
      );
    }
  }

  /** Removes `legerd-restarts.json`, when there is one. */
  async #forgetOwed(): Promise<void> {
    if (await this.#due.clear()) this.#meter.writes++;
  }

  /**
   * Applies a plan: writes, removals, one try-restart, one start. A step
   * that fails is reported in `errors` and the others still run; a service
   * that uses a secret Podman refused is neither restarted nor started.
   * The services to restart are recorded in `legerd-restarts.json` before
   * the first write, and forgotten once the try-restart has returned
   * (unless `keepOwed`: the file could not be read, and stays). The running
   * services an earlier legerd owed join that one try-restart.
   */
  async #apply(
    plan: ReconcilePlan,
    context: {
      required: readonly RequiredSecret[];
      byName: ReadonlyMap<string, BackendSecret>;
      podman: Map<string, PodmanSecret>;
      applied: SyncResult["applied"];
      errors: SyncResult["errors"];
      /** The running services an earlier legerd owed a restart. */
      owed: readonly string[];
      keepOwed: boolean;
    },
  ): Promise<{ errors: LegerdError[]; failedStarts: string[] }> {
    const { required, byName, podman, applied, errors, owed, keepOwed } =
      context;
    const failures: LegerdError[] = [];
    const failed = new Set<string>();
    const fail = (error: unknown, name?: string) => {
      if (!(error instanceof LegerError)) throw error;
      const entry = toLegerdError(error, this.#now());
      failures.push(entry);
      errors.push(name === undefined ? entry : { ...entry, name });
      this.#log(error.message);
    };
    const uses = (service: string, names: ReadonlySet<string>) =>
      required.filter((r) =>
        names.has(r.name) && r.services.some((s) => matchesService(s, service))
      ).map((r) => r.name);
    const writes = [
      ...plan.create.map((write) => ({ write, reason: null })),
      ...plan.replace.map((write) => ({ write, reason: write.reason })),
    ];
    // A write whose restart cannot be recorded is not made: a legerd killed
    // after it would never restart what uses the old value.
    let unrecorded = new Set<string>();
    if (plan.restart.length > 0) {
      try {
        if (await this.#due.add(plan.restart)) this.#meter.writes++;
      } catch (error) {
        fail(error);
        const names = new Set(writes.map(({ write }) => write.name));
        unrecorded = new Set(
          plan.restart.flatMap((service) => uses(service, names)),
        );
        this.#log(
          `Not writing ${
            [...unrecorded].sort(compare).join(", ")
          }: legerd cannot record the restarts ${
            unrecorded.size === 1 ? "the write implies" : "the writes imply"
          }`,
        );
      }
    }
    for (const { write, reason } of writes) {
      if (unrecorded.has(write.name)) {
        failed.add(write.name);
        continue;
      }
      try {
        await this.#write(write, byName.get(write.name)!.value, {
          replace: reason !== null,
          podman,
          reason: reason ?? "new",
        });
        (reason === null ? applied.created : applied.replaced).push(write.name);
      } catch (error) {
        failed.add(write.name);
        fail(error, write.name);
      }
    }
    for (const name of plan.remove) {
      try {
        await removePodmanSecret(this.#runner, name);
        this.#meter.writes++;
        podman.delete(name);
        applied.removed.push(name);
        this.#log(`Removed secret ${name}: no installed unit uses it any more`);
      } catch (error) {
        fail(error, name);
      }
    }
    const written = new Set([...applied.created, ...applied.replaced]);
    const changed = plan.restart.filter((live) =>
      uses(live, written).length > 0
    );
    const restart = [...new Set([...changed, ...owed])].sort(compare);
    let restartReturned = true;
    if (restart.length > 0) {
      try {
        await tryRestartServices(this.#runner, this.#scope, restart);
        applied.restarted = restart;
        for (const service of changed) {
          this.#log(
            `Restarted ${service}: ${
              uses(service, written).join(", ")
            } changed`,
          );
        }
        this.#logOwedRestart(owed.filter((s) => !changed.includes(s)));
      } catch (error) {
        restartReturned = false;
        fail(error);
      }
    }
    if (restartReturned && !keepOwed) {
      try {
        await this.#forgetOwed();
      } catch (error) {
        fail(error);
      }
    }
    // Started once: a start that fails is reported, not tried each poll.
    const start = plan.start.filter((service) =>
      uses(service, failed).length === 0
    );
    let failedStarts: string[] = [];
    if (start.length > 0) {
      try {
        await startServices(this.#runner, this.#scope, start);
        applied.started = start;
        this.#log(
          `Started ${start.join(", ")}: the secrets ${
            start.length === 1 ? "it uses are" : "they use are"
          } in Podman now`,
        );
      } catch (error) {
        failedStarts = start;
        fail(error);
      }
    }
    return { errors: failures, failedStarts };
  }

  async #rotate(name: string, restart: boolean): Promise<RotateResult> {
    // Owed restarts join the rotation's try-restart, after its write.
    const owed = await this.#loadOwed();
    let ready;
    try {
      ready = await this.#prepareRotation(name, restart, owed);
    } catch (error) {
      if (error instanceof LegerError) await this.#restartOwedNow(owed);
      throw error;
    }
    const { found, inStore, labels, podman, rotated, owedRunning } = ready;
    // Recorded before the write: a legerd killed after it still owes them.
    if (rotated.length > 0 && await this.#due.add(rotated)) {
      this.#meter.writes++;
    }
    const digest = await secretDigest(await this.#digestKey(), found.value);
    const changed = labels?.digest !== digest;
    await this.#write(
      { name, version: found.version, created_at: found.created_at, digest },
      found.value,
      {
        replace: inStore !== undefined,
        podman,
        reason: changed ? "rotated" : "rotated, same value",
      },
    );
    this.#podmanState = { ...this.#podmanState, secrets: podman.size };
    const restarted = [...new Set([...rotated, ...owedRunning])].sort(compare);
    if (restarted.length > 0) {
      await tryRestartServices(this.#runner, this.#scope, restarted);
      if (rotated.length > 0) {
        this.#log(`Restarted ${rotated.join(", ")}: ${name} was rotated`);
      }
      this.#logOwedRestart(owedRunning.filter((s) => !rotated.includes(s)));
    }
    if (restarted.length > 0 || owed.services.length > 0) {
      await this.#forgetOwed();
    }
    return { name, version: found.version, changed, restarted };
  }

  /**
   * What a rotation reads before its write: leger.run's value, Podman's
   * copy, and the running services to restart (those using the secret when
   * asked to, and those owed).
   */
  async #prepareRotation(name: string, restart: boolean, owed: Owed) {
    const backend = await this.#session.listSecrets();
    this.#backendNames = new Set(backend.map((s) => s.name));
    const found = backend.find((secret) => secret.name === name);
    if (found === undefined) {
      throw new LegerError(
        "ERR_SECRET_NOT_FOUND",
        `Cannot rotate secret "${name}": ${this.#lacks(name)}`,
        {
          remedy: legerRunHolds(name)
            ? `Add it in the leger.run web UI (${this.#webUrl}) or with \`leger secrets set ${name}\`, then run \`leger secrets rotate ${name}\` again`
            : createByHand(name),
        },
      );
    }
    const podman = await this.#listPodman();
    this.#podmanView = podman;
    const inStore = podman.get(name);
    const labels = inStore === undefined
      ? null
      : parseManagedLabels(inStore.labels);
    if (inStore !== undefined && labels === null) {
      throw new LegerError(
        "ERR_SECRET_UNMANAGED",
        `Cannot rotate secret "${name}": Podman's secret of that name was not created by leger (it has no io.leger.managed=true label), and legerd never touches it`,
        {
          remedy:
            `Keep it, or remove it with \`podman secret rm ${name}\` and run \`leger secrets rotate ${name}\` again`,
        },
      );
    }
    const uses = requiredSecrets(await this.#readUnits()).find((r) =>
      r.name === name
    );
    // A secret no unit uses yet would be an orphan at the next poll.
    if (uses === undefined) this.#protect([name], this.#now());
    const wanted = restart && uses !== undefined ? uses.services : [];
    const ask = [...wanted, ...owed.services];
    const running = ask.length > 0
      ? await runningServices(this.#runner, this.#scope, ask)
      : [];
    return {
      found,
      inStore,
      labels,
      podman,
      rotated: running.filter((live) =>
        wanted.some((service) => matchesService(service, live))
      ),
      owedRunning: running.filter((live) => owed.services.includes(live)),
    };
  }

  async #purge(): Promise<PurgeResult> {
    const podman = await this.#listPodman();
    this.#podmanView = podman;
    const removed: string[] = [];
    const refused: string[] = [];
    let first: LegerError | null = null;
    for (const secret of podman.values()) {
      if (parseManagedLabels(secret.labels) === null) continue;
      try {
        await removePodmanSecret(this.#runner, secret.name);
        this.#meter.writes++;
        podman.delete(secret.name);
        removed.push(secret.name);
      } catch (error) {
        if (!(error instanceof LegerError)) throw error;
        first ??= error;
        refused.push(secret.name);
      }
    }
    this.#podmanState = { ...this.#podmanState, secrets: podman.size };
    if (removed.length > 0) {
      this.#log(
        `Purged ${count(removed.length, "leger-managed secret")} from Podman: ${
          removed.join(", ")
        }`,
      );
    }
    if (first !== null) {
      throw new LegerError(
        "ERR_SECRET_SYNC_FAILED",
        `Cannot purge ${refused.join(", ")} from Podman (${
          count(removed.length, "other secret")
        } removed): ${first.message}`,
        { cause: first, remedy: first.remedy },
      );
    }
    return { removed: removed.sort(compare) };
  }

  // ---- helpers ----------------------------------------------------------

  /** Runs `fn` after every operation before it: one change at a time. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => {});
    return run;
  }

  /** Counts what `fn` costs, for `health().last_poll`. */
  async #metered<T>(fn: () => Promise<T>): Promise<T> {
    this.#meter = {
      http_requests: 0,
      podman_runs: 0,
      systemctl_runs: 0,
      writes: 0,
    };
    try {
      return await fn();
    } finally {
      this.#lastPoll = { ...this.#meter };
    }
  }

  async #readUnits(): Promise<QuadletUnit[]> {
    const { units, warnings } = await readInstalledUnits(this.#quadletDirs);
    this.#sayWarnings(warnings);
    return units.map((unit) => unit.quadlet);
  }

  /** The required secrets a request is about; names asked for are protected. */
  #select(
    request: Checked,
    units: readonly QuadletUnit[],
    all: RequiredSecret[],
    now: Date,
  ): RequiredSecret[] {
    const byName = new Map(all.map((r) => [r.name, r]));
    // A unit uses the name now: it is protected as any required one.
    for (const name of this.#protected.keys()) {
      if (byName.has(name)) this.#protected.delete(name);
    }
    if (request.secrets !== null) {
      this.#protect(
        request.secrets.filter((name) => !byName.has(name)),
        now,
      );
      return request.secrets.map((name) =>
        byName.get(name) ?? { name, units: [], services: [] }
      );
    }
    if (request.service !== null) {
      const service = request.service;
      if (!units.some((unit) => matchesService(unit.serviceName, service))) {
        throw new LegerError(
          "ERR_SERVICE_NOT_FOUND",
          `Cannot sync the secrets of ${service}: no unit installed in the ${this.#scope} scope has that service`,
          {
            remedy:
              "Run `leger deploy list` to see the installed services, or `leger secrets sync` for all of them",
          },
        );
      }
      return all.filter((r) =>
        r.services.some((s) => matchesService(s, service))
      );
    }
    return all;
  }

  /**
   * Keeps names from orphan removal for a while: an install asks for its
   * secrets before its units are in the quadlet folder. The protection
   * ends once a unit uses the name (its removal then removes the secret)
   * or after {@linkcode PROTECT_MS}.
   */
  #protect(names: readonly string[], now: Date): void {
    for (const name of names) {
      this.#protected.set(name, now.getTime() + PROTECT_MS);
    }
  }

  async #listPodman(): Promise<Map<string, PodmanSecret>> {
    try {
      const listed = await listPodmanSecrets(this.#runner, {
        cache: this.#podmanCache,
      });
      this.#podmanState = {
        ...this.#podmanState,
        reachable: true,
        secrets: listed.length,
      };
      return new Map(listed.map((secret) => [secret.name, secret]));
    } catch (error) {
      if (error instanceof LegerError) {
        this.#podmanState = {
          ...this.#podmanState,
          reachable: false,
          last_error: toLegerdError(error, this.#now()),
        };
      }
      throw error;
    }
  }

  async #digests(
    required: readonly RequiredSecret[],
    byName: ReadonlyMap<string, BackendSecret>,
  ): Promise<Map<string, string>> {
    const digests = new Map<string, string>();
    const needed = required.filter((r) => byName.has(r.name));
    if (needed.length === 0) return digests;
    const key = await this.#digestKey();
    for (const { name } of needed) {
      digests.set(name, await secretDigest(key, byName.get(name)!.value));
    }
    return digests;
  }

  #digestKey(): Promise<Uint8Array<ArrayBuffer>> {
    this.#key ??= loadDigestKey(this.#digestKeyFile, { log: this.#log }).then(
      ({ key, created }) => {
        if (created) this.#meter.writes++;
        return key;
      },
      (error) => {
        this.#key = null;
        throw error;
      },
    );
    return this.#key;
  }

  async #write(
    write: SecretWrite,
    value: string,
    options: {
      replace: boolean;
      podman: Map<string, PodmanSecret>;
      reason: string;
    },
  ): Promise<void> {
    const { replace, podman, reason } = options;
    const { name, version } = write;
    const before = podman.get(name);
    const labels = Object.fromEntries(
      pairs(secretLabels({
        version: write.version,
        digest: write.digest,
        // A time legerd cannot put in a label is left out, not fatal.
        // deno-lint-ignore no-control-regex -- control characters are what is refused
        created_at: /^[^\x00-\x1f\x7f]+$/.test(write.created_at)
          ? write.created_at
          : undefined,
      })).map((label) => {
        const equals = label.indexOf("=");
        return [label.slice(0, equals), label.slice(equals + 1)];
      }),
    );
    const { id } = await createPodmanSecret(this.#runner, {
      name,
      value,
      labels,
      replace,
    }, this.#support);
    this.#meter.writes++;
    const entry: PodmanSecret = {
      id: id ?? "",
      name,
      labels,
      updated_at: this.#now().toISOString(),
    };
    if (id !== null) this.#podmanCache.set(id, entry);
    podman.set(name, entry);
    const was = before === undefined
      ? null
      : parseManagedLabels(before.labels)?.version ?? null;
    this.#log(
      before === undefined
        ? `Created secret ${name} (version ${version})`
        : `Replaced secret ${name} (version ${
          was ?? "?"
        } → ${version}, ${reason})`,
    );
  }

  /** Drops removals a filtered sync, a change in flight or a recent request forbids. */
  async #guardRemovals(
    plan: ReconcilePlan,
    context: { scoped: boolean; stateDir: string; now: Date },
  ): Promise<ReconcilePlan> {
    if (plan.remove.length === 0) return plan;
    if (context.scoped) return { ...plan, remove: [] };
    const now = context.now.getTime();
    for (const [name, until] of this.#protected) {
      if (until <= now) this.#protected.delete(name);
    }
    const remove = plan.remove.filter((name) => !this.#protected.has(name));
    if (remove.length > 0 && await this.#changeInFlight(context.stateDir)) {
      this.#say(
        "journal",
        `Not removing ${
          remove.join(", ")
        }: a leger change is in flight or was interrupted (journal.json in ${context.stateDir}); any \`leger deploy\` command finishes an interrupted one`,
      );
      return { ...plan, remove: [] };
    }
    return { ...plan, remove };
  }

  async #changeInFlight(stateDir: string): Promise<boolean> {
    try {
      return await readJournal(stateDir) !== null;
    } catch (error) {
      // A journal leger cannot read is still a change not finished.
      if (error instanceof LegerError) return true;
      throw error;
    }
  }

  /**
   * Of a deployment's waiting services, those a sync of one service is
   * about: all of them when it names them all; else the named ones that
   * use a secret (one that uses none waits for the others of its
   * deployment, which this sync does not look at).
   */
  #onlyAsked(
    group: readonly string[],
    asked: string,
    all: readonly RequiredSecret[],
  ): string[] {
    const named = group.filter((service) => matchesService(asked, service));
    if (named.length === group.length) return named;
    return named.filter((service) =>
      all.some((need) => need.services.some((s) => matchesService(s, service)))
    );
  }

  async #readWaiting(stateDir: string): Promise<string[][]> {
    try {
      const deployments = await readDeployments(stateDir);
      return deployments.map((d) => [...d.waiting_for_secrets ?? []])
        .filter((group) => group.length > 0);
    } catch (error) {
      if (!(error instanceof LegerError)) throw error;
      this.#say(
        "deployments",
        `Cannot read the services waiting for secrets: ${error.message}`,
      );
      return [];
    }
  }

  /** Forgets services that no longer wait, under the deploy lock; skipped when busy. */
  async #clearWaiting(stateDir: string, services: Set<string>): Promise<void> {
    let lock;
    try {
      lock = await acquireLock(`${stateDir}/deploy.lock`, {
        wait: false,
        what: `leger's deployments in the ${this.#scope} scope`,
      });
    } catch (error) {
      if (error instanceof LegerError && error.code === "ERR_LOCKED") return;
      throw error;
    }
    try {
      if (await this.#changeInFlight(stateDir)) return;
      const deployments = await readDeployments(stateDir);
      let changed = false;
      for (const deployment of deployments) {
        const waiting = deployment.waiting_for_secrets;
        if (waiting === undefined) continue;
        const left = waiting.filter((service) => !services.has(service));
        if (left.length === waiting.length) continue;
        changed = true;
        if (left.length === 0) delete deployment.waiting_for_secrets;
        else deployment.waiting_for_secrets = left;
      }
      if (changed) {
        await writeDeployments(stateDir, deployments);
        this.#meter.writes++;
      }
    } finally {
      await lock.release();
    }
  }

  #reportMissing(plan: ReconcilePlan, now: Date): SyncResult["errors"] {
    this.#forget("missing:", plan.missing);
    const errors: SyncResult["errors"] = [];
    for (const { name, units, in_podman } of plan.missing) {
      const users = units.length === 0 ? "" : ` (used by ${units.join(", ")})`;
      const kept = in_podman
        ? "; Podman keeps the last value legerd wrote"
        : "";
      const message = `Cannot sync secret "${name}"${users}: ${
        this.#lacks(name)
      }${kept}`;
      const fix = legerRunHolds(name)
        ? `Add it in the leger.run web UI (${this.#webUrl}) or with \`leger secrets set ${name}\``
        : createByHand(name);
      errors.push({
        code: "ERR_SECRET_NOT_FOUND",
        name,
        message,
        fix,
        at: now.toISOString(),
      });
      this.#say(`missing:${name}`, `${message}. ${fix}`);
    }
    return errors;
  }

  /** Why leger.run has no secret of this name: it has none, or it cannot hold one. */
  #lacks(name: string): string {
    try {
      checkSecretName(name);
      return "leger.run has no secret of that name";
    } catch (error) {
      if (!(error instanceof LegerError)) throw error;
      // 'Cannot use secret name "db.pass": "." is not allowed' → the reason.
      const why = error.message.replace(
        /^Cannot use secret name "(?:[^"\\]|\\.)*": /,
        "",
      );
      return `leger.run cannot hold a secret of that name (${why})`;
    }
  }

  #reportUnmanaged(plan: ReconcilePlan): void {
    this.#forget("unmanaged:", plan.unmanaged);
    for (const { name, units } of plan.unmanaged) {
      this.#say(
        `unmanaged:${name}`,
        `Leaving secret ${name} alone (used by ${
          units.join(", ") || "no unit"
        }): Podman's secret of that name was not created by leger`,
      );
    }
  }

  #sayWarnings(warnings: readonly Finding[]): void {
    for (const warning of warnings) {
      this.#say(
        `unit:${warning.file}`,
        `Skipping ${warning.file}: ${warning.message}`,
      );
    }
  }

  /** Forgets what was said about secrets no longer reported, to say it again should they return. */
  #forget(prefix: string, reported: readonly { name: string }[]): void {
    const names = new Set(reported.map((r) => `${prefix}${r.name}`));
    for (const topic of this.#said.keys()) {
      if (topic.startsWith(prefix) && !names.has(topic)) {
        this.#said.delete(topic);
      }
    }
  }

  /** Logs a line once until it changes, so that each poll does not repeat it. */
  #say(topic: string, line: string): void {
    if (this.#said.get(topic) === line) return;
    this.#said.set(topic, line);
    this.#log(line);
  }
}

/** Whether leger.run can hold a secret of this name (`checkSecretName()`). */
function legerRunHolds(name: string): boolean {
  try {
    checkSecretName(name);
    return true;
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return false;
  }
}

/** The fix for a secret leger.run cannot hold: Podman's own, made by hand. */
function createByHand(name: string): string {
  // Quoted for the shell unless plain, so that a pasted hint does only what it says.
  const word = /^[A-Za-z0-9_.@%+:-]+$/.test(name)
    ? name
    : `'${name.replaceAll("'", `'\\''`)}'`;
  return `Create it in Podman yourself (\`podman secret create ${word} -\`, the value on stdin): legerd leaves it alone and lists it as unmanaged. Or rename it in the unit to 1 to 64 letters, digits, ":", "_" or "-", and add it in leger.run`;
}

/** `1 secret`, `2 secrets`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * tailscaled's status through its LocalAPI, 3 s at most. legerd runs no
 * `tailscale`: no socket means tailscaled does not run, whatever the
 * adapter, which also looks for the CLI, would say.
 */
async function readTailscaled(
  socketPath: string,
  action: string,
): Promise<TailscaleStatus> {
  try {
    const reading = await readTailscaleStatus({
      socketPath,
      action,
      cli: false,
      localApiGet: (path, route) =>
        localApiGet(path, route, { timeoutMs: TAILSCALE_TIMEOUT_MS }),
    });
    return reading.status;
  } catch (error) {
    if (
      !(error instanceof LegerError) ||
      error.code !== "ERR_TAILSCALE_NOT_INSTALLED"
    ) throw error;
    throw new LegerError(
      "ERR_TAILSCALE_NOT_RUNNING",
      `Cannot ${action}: tailscaled is not running (no socket at ${socketPath})`,
      {
        cause: error,
        remedy:
          "Start tailscaled with `sudo systemctl start tailscaled` (install Tailscale first if it is missing: https://tailscale.com/download/linux), then run `sudo tailscale up`",
      },
    );
  }
}

/** planReconcile, with leger.run's malformed entries as the API errors they are. */
function planOrApiError(input: PlanReconcileInput): ReconcilePlan {
  try {
    return planReconcile(input);
  } catch (error) {
    // Its messages name secrets, versions and digests, never values.
    if (!(error instanceof TypeError)) throw error;
    throw new LegerError(
      "ERR_API_ERROR",
      `Cannot sync secrets: leger.run answered a list legerd cannot use: ${error.message}`,
      {
        cause: error,
        remedy:
          "Check the secret in the leger.run web UI, or update leger (`leger --version`)",
      },
    );
  }
}

function checkRequest(request: SyncRequest): Checked {
  if (
    typeof request !== "object" || request === null || Array.isArray(request)
  ) {
    throw usage("the request must be a JSON object");
  }
  const { service, secrets, force = false, dry_run = false } = request;
  if (typeof force !== "boolean") throw usage('"force" must be true or false');
  if (typeof dry_run !== "boolean") {
    throw usage('"dry_run" must be true or false');
  }
  if (service !== undefined && secrets !== undefined) {
    throw usage('give "service" or "secrets", not both');
  }
  let checkedService: string | null = null;
  if (service !== undefined) {
    if (typeof service !== "string" || !/^[^\s/]+$/.test(service)) {
      throw usage(
        `"service" must be a service name such as "web" or "web.service"`,
      );
    }
    checkedService = service.endsWith(".service")
      ? service
      : `${service}.service`;
  }
  let checkedSecrets: string[] | null = null;
  if (secrets !== undefined) {
    if (!Array.isArray(secrets)) {
      throw usage('"secrets" must be a list of names');
    }
    for (const name of secrets) {
      if (typeof name !== "string" || !SECRET_NAME_REGEXP.test(name)) {
        throw badName(name, "secrets");
      }
    }
    checkedSecrets = [...new Set(secrets as string[])].sort(compare);
  }
  return { service: checkedService, secrets: checkedSecrets, force, dry_run };
}

function usage(what: string): LegerError {
  return new LegerError("ERR_USAGE", `Cannot use legerd's request: ${what}`, {
    remedy: "Check the request against lib/secrets/control_api.ts",
  });
}

function badName(name: unknown, field: string): LegerError {
  return usage(
    `"${field}" holds ${
      JSON.stringify(name)
    }, which is not a Podman secret name (1 to 253 characters without ",", "/", "=")`,
  );
}

function checkPolicy(policy: RestartPolicy): RestartPolicy {
  if (policy !== "on-rotation" && policy !== "never") {
    throw new RangeError(
      `Cannot use restart policy ${
        JSON.stringify(policy)
      }: expected "on-rotation" or "never"`,
    );
  }
  return policy;
}

function checkInterval(ms: number): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(
      `Cannot use poll interval ${ms} ms: expected a positive number of milliseconds`,
    );
  }
  return ms;
}

/** Whether a declared service (maybe a template) stands for the service named. */
function matchesService(declared: string, named: string): boolean {
  if (declared === named) return true;
  if (!declared.endsWith("@.service")) return false;
  const prefix = declared.slice(0, -".service".length);
  return named.startsWith(prefix) && named.endsWith(".service") &&
    named.length > prefix.length + ".service".length;
}

/** `["--label", "a=b", "--label", "c=d"]` → `["a=b", "c=d"]`. */
function pairs(args: readonly string[]): string[] {
  return args.filter((_, index) => index % 2 === 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
