import type { ReconcilePlan, RestartPolicy } from "./plan_reconcile.ts";

// The shapes of legerd's local API, spoken as JSON over its unix socket
// (`legerdSocketPath()`): `GET /v1/health`, `GET /v1/secrets`,
// `POST /v1/sync`, `POST /v1/rotate`, `POST /v1/purge`. No answer ever holds
// a secret's value. A failure answers with an HTTP status of 4xx or 5xx and
// a {@linkcode LegerdErrorBody}. Every time legerd gives is RFC 3339 in UTC
// with milliseconds (`2026-11-30T15:31:08.682Z`, as `Date.toISOString()`);
// a plan's `created_at` is leger.run's, as leger.run lists it.
/** How legerd is doing, from `GET /v1/health`. */
export interface LegerdHealth {
  /**
   * `ok` when the last sync succeeded; `degraded` when leger.run, the login
   * or Podman failed it (Podman keeps serving the last good values), or
   * while the last reload of legerd.yaml failed (`config.error`);
   * `starting` before the first sync ends.
   */
  status: "ok" | "degraded" | "starting";
  /** legerd's version (`legerd --version`). */
  version: string;
  /** The scope it serves: `user` (rootless) or `system` (root). */
  scope: "user" | "system";
  /** Its process id. */
  pid: number;
  /** The machine's Tailscale state as legerd last saw it, for logging in again. */
  tailscale: {
    /** tailscaled's `BackendState` (`Running`, `NeedsLogin`, …); `null` when not asked yet. */
    state: string | null;
    /** Why it could not be asked, when it could not. */
    error: string | null;
  };
  /** leger.run as legerd last reached it. */
  leger_run: {
    /** The API's base URL. */
    api_url: string;
    /** Whether the last request was answered; `null` before the first. */
    reachable: boolean | null;
    /**
     * The login: `ok`; `missing` (no auth.json); `expired` (leger.run
     * refused the token and logging in again failed).
     */
    auth: "ok" | "missing" | "expired";
    /** The last failure talking to leger.run, or `null`. */
    last_error: LegerdError | null;
  };
  /** Podman's secret store. */
  podman: {
    /** Whether the last `podman secret ls` worked; `null` before the first. */
    reachable: boolean | null;
    /** How many secrets it holds, leger's and others'; `null` when unknown. */
    secrets: number | null;
    /** The last failure running Podman or systemctl, or `null`. */
    last_error: LegerdError | null;
  };
  /** When a sync last succeeded, RFC 3339; `null` when none has. */
  last_successful_sync_at: string | null;
  /** When the next poll runs, RFC 3339; `null` when none is planned. */
  next_poll_at: string | null;
  /** The poll interval before jitter, in milliseconds (`poll_interval` of legerd.yaml). */
  poll_interval_ms: number;
  /** The restart policy (`restart` of legerd.yaml). */
  restart: RestartPolicy;
  /**
   * legerd.yaml: the file read, and why the last reload failed (legerd then
   * keeps running with the settings it had); `error` is `null` when the
   * file in use is the one on disk.
   */
  config: { file: string; error: LegerdError | null };
  /** What the last poll cost: requests to leger.run, Podman and systemctl runs, secrets written. */
  last_poll: {
    http_requests: number;
    podman_runs: number;
    systemctl_runs: number;
    writes: number;
  } | null;
}

/** A failure legerd remembers or answers with: an `ERR_*` code, what happened, the fix. */
export interface LegerdError {
  /** The error code (`ERR_NETWORK`, `ERR_AUTH_EXPIRED`, …). */
  code: string;
  /** What went wrong, never holding a value. */
  message: string;
  /** What fixes it, when known. */
  fix?: string;
  /** When it happened, RFC 3339. */
  at: string;
}

/** The body of a failed answer: `{"error": {...}}`. */
export interface LegerdErrorBody {
  /** The failure (`at` is the time of the answer). */
  error: LegerdError;
}

/**
 * The state of one secret in `GET /v1/secrets`:
 *
 * - `synced`: a leger-managed Podman secret holds leger.run's current value;
 * - `missing`: an installed unit needs it and leger.run does not have it;
 * - `unmanaged`: a unit needs it and Podman has one leger did not create
 *   (legerd never touches it);
 * - `pending`: a unit needs it, Podman has no copy, and legerd cannot tell
 *   whether leger.run has it (no login, leger.run not reached, or no sync
 *   since the unit was installed), or leger.run's last list has it and the
 *   next sync writes it;
 * - `orphan`: a leger-managed Podman secret no installed unit needs (the
 *   next sync removes it).
 */
export type SecretState =
  | "synced"
  | "missing"
  | "pending"
  | "unmanaged"
  | "orphan";

/** One secret in `GET /v1/secrets` (`{"secrets": SecretStatus[]}`), sorted by name. */
export interface SecretStatus {
  /** The Podman secret's name. */
  name: string;
  /** See {@linkcode SecretState}. */
  state: SecretState;
  /** leger.run's version of the value in Podman (its label), or `null`. */
  version: number | null;
  /** The unit files that use it (`web.container`), sorted. */
  used_by: string[];
  /** When legerd last wrote it to Podman, RFC 3339, or `null`. */
  synced_at: string | null;
}

/** The body of `POST /v1/sync`. */
export interface SyncRequest {
  /** Only the secrets this service's unit uses (`web` or `web.service`). */
  service?: string;
  /**
   * Only these secrets, and sync them even though no installed unit uses
   * them yet: `deploy install` asks for a deployment's secrets before it
   * starts the deployment's units.
   */
  secrets?: string[];
  /** Write every required secret again, changed or not. */
  force?: boolean;
  /** Plan only: change nothing. */
  dry_run?: boolean;
}

/** What a sync did, from `POST /v1/sync`. */
export interface SyncResult {
  /** Whether nothing was changed because `dry_run` was asked. */
  dry_run: boolean;
  /** The plan (names, versions and digests; no values). */
  plan: ReconcilePlan;
  /** What was done of it. */
  applied: {
    created: string[];
    replaced: string[];
    removed: string[];
    restarted: string[];
    started: string[];
  };
  /** Steps that failed; the others were still done. */
  errors: (LegerdError & { name?: string })[];
}

/** The body of `POST /v1/rotate`. */
export interface RotateRequest {
  /** The secret to fetch from leger.run now and write to Podman. */
  name: string;
  /** Restart the running services that use it (default `true`). */
  restart?: boolean;
}

/** What a rotation did, from `POST /v1/rotate`. */
export interface RotateResult {
  /** The secret. */
  name: string;
  /** leger.run's version now in Podman. */
  version: number;
  /** Whether the value differed from the one in Podman (a write happens either way). */
  changed: boolean;
  /** The services restarted. */
  restarted: string[];
}

/** What `POST /v1/purge` did: the leger-managed Podman secrets it removed. */
export interface PurgeResult {
  /** Their names, sorted. */
  removed: string[];
}

/**
 * What legerd's local API serves: the reconcile engine behind the socket.
 * The control server maps each route to one method; a `LegerError` thrown
 * becomes a {@linkcode LegerdErrorBody}.
 */
export interface LegerdEngine {
  /** `GET /v1/health`. */
  health(): LegerdHealth;
  /** `GET /v1/secrets`. */
  secrets(): Promise<SecretStatus[]>;
  /** `POST /v1/sync`; concurrent calls share one sync in flight when their requests agree. */
  sync(request: SyncRequest): Promise<SyncResult>;
  /** `POST /v1/rotate`. */
  rotate(request: RotateRequest): Promise<RotateResult>;
  /** `POST /v1/purge`. */
  purge(): Promise<PurgeResult>;
  /** Tells the engine when the next poll runs, for `health()`. */
  noteNextPoll(at: Date | null): void;
}
