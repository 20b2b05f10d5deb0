// Readers of legerd's answers (lib/secrets/control_api.ts): each checks the
// fields leger relies on and throws a TypeError naming the first one that is
// wrong, which the client turns into ERR_LEGERD_PROTOCOL. Only for
// legerd_client.ts.
import type {
  LegerdError,
  LegerdHealth,
  PurgeResult,
  RotateResult,
  SecretStatus,
  SyncResult,
} from "./control_api.ts";

type Json = Record<string, unknown>;

const HEALTH_STATUSES = ["ok", "degraded", "starting"];
const SECRET_STATES = ["synced", "missing", "pending", "unmanaged", "orphan"];
const SCOPES = ["user", "system"];
const AUTH_STATES = ["ok", "missing", "expired"];
const RESTART_POLICIES = ["on-rotation", "never"];

/**
 * `GET /v1/health`. `config` may be absent: a legerd older than this leger
 * does not report legerd.yaml (`LegerdHealthAnswer` of legerd_client.ts).
 */
export function readHealth(
  value: unknown,
): Omit<LegerdHealth, "config"> & { config?: LegerdHealth["config"] } {
  const health = record(value, "");
  oneOf(health, "status", HEALTH_STATUSES, "");
  text(health, "version", "");
  oneOf(health, "scope", SCOPES, "");
  number(health, "pid", "");
  const tailscale = record(health.tailscale, "tailscale");
  nullableText(tailscale, "state", "tailscale");
  nullableText(tailscale, "error", "tailscale");
  const legerRun = record(health.leger_run, "leger_run");
  text(legerRun, "api_url", "leger_run");
  nullableBoolean(legerRun, "reachable", "leger_run");
  oneOf(legerRun, "auth", AUTH_STATES, "leger_run");
  nullableError(legerRun, "last_error", "leger_run");
  const podman = record(health.podman, "podman");
  nullableBoolean(podman, "reachable", "podman");
  nullableNumber(podman, "secrets", "podman");
  nullableError(podman, "last_error", "podman");
  nullableText(health, "last_successful_sync_at", "");
  nullableText(health, "next_poll_at", "");
  number(health, "poll_interval_ms", "");
  oneOf(health, "restart", RESTART_POLICIES, "");
  if (health.config !== undefined) {
    const config = record(health.config, "config");
    text(config, "file", "config");
    nullableError(config, "error", "config");
  }
  if (health.last_poll !== null) {
    const poll = record(health.last_poll, "last_poll");
    for (const key of ["http_requests", "podman_runs", "systemctl_runs"]) {
      number(poll, key, "last_poll");
    }
    number(poll, "writes", "last_poll");
  }
  return health as unknown as LegerdHealth;
}

/** `GET /v1/secrets`: `{"secrets": [...]}`. */
export function readSecretStatuses(value: unknown): SecretStatus[] {
  const answer = record(value, "");
  return list(answer.secrets, "secrets").map((item, i) => {
    const at = `secrets[${i}]`;
    const secret = record(item, at);
    text(secret, "name", at);
    oneOf(secret, "state", SECRET_STATES, at);
    nullableNumber(secret, "version", at);
    texts(secret, "used_by", at);
    nullableText(secret, "synced_at", at);
    return secret as unknown as SecretStatus;
  });
}

/** `POST /v1/sync`. */
export function readSyncResult(value: unknown): SyncResult {
  const result = record(value, "");
  boolean(result, "dry_run", "");
  const plan = record(result.plan, "plan");
  for (const key of ["create", "replace", "missing", "unmanaged"]) {
    list(plan[key], `plan.${key}`).forEach((item, i) => {
      const at = `plan.${key}[${i}]`;
      const entry = record(item, at);
      text(entry, "name", at);
      if (key === "missing" || key === "unmanaged") texts(entry, "units", at);
      if (key === "create" || key === "replace") number(entry, "version", at);
    });
  }
  for (const key of ["remove", "restart", "start", "unchanged"]) {
    texts(plan, key, "plan");
  }
  const applied = record(result.applied, "applied");
  for (
    const key of ["created", "replaced", "removed", "restarted", "started"]
  ) {
    texts(applied, key, "applied");
  }
  list(result.errors, "errors").forEach((item, i) => {
    const at = `errors[${i}]`;
    readError(item, at);
    const error = item as Json;
    if (error.name !== undefined) text(error, "name", at);
  });
  return result as unknown as SyncResult;
}

/** `POST /v1/rotate`. */
export function readRotateResult(value: unknown): RotateResult {
  const result = record(value, "");
  text(result, "name", "");
  number(result, "version", "");
  boolean(result, "changed", "");
  texts(result, "restarted", "");
  return result as unknown as RotateResult;
}

/** `POST /v1/purge`. */
export function readPurgeResult(value: unknown): PurgeResult {
  const result = record(value, "");
  texts(result, "removed", "");
  return result as unknown as PurgeResult;
}

/** The `error` of a failed answer's `{"error": {...}}`. */
export function readErrorBody(value: unknown): LegerdError {
  return readError(record(value, "").error, "error");
}

function readError(value: unknown, at: string): LegerdError {
  const error = record(value, at);
  text(error, "code", at);
  text(error, "message", at);
  if (error.fix !== undefined) text(error, "fix", at);
  text(error, "at", at);
  return error as unknown as LegerdError;
}

function record(value: unknown, at: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${at || "the answer"} is not an object`);
  }
  return value as Json;
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${at} is not a list`);
  return value;
}

function field(at: string, key: string): string {
  return at === "" ? key : `${at}.${key}`;
}

function text(value: Json, key: string, at: string): void {
  if (typeof value[key] !== "string") {
    throw new TypeError(`${field(at, key)} is not a string`);
  }
}

function nullableText(value: Json, key: string, at: string): void {
  if (value[key] !== null) text(value, key, at);
}

function number(value: Json, key: string, at: string): void {
  if (typeof value[key] !== "number" || !Number.isFinite(value[key])) {
    throw new TypeError(`${field(at, key)} is not a number`);
  }
}

function nullableNumber(value: Json, key: string, at: string): void {
  if (value[key] !== null) number(value, key, at);
}

function boolean(value: Json, key: string, at: string): void {
  if (typeof value[key] !== "boolean") {
    throw new TypeError(`${field(at, key)} is not true or false`);
  }
}

function nullableBoolean(value: Json, key: string, at: string): void {
  if (value[key] !== null) boolean(value, key, at);
}

function nullableError(value: Json, key: string, at: string): void {
  if (value[key] !== null) readError(value[key], field(at, key));
}

function texts(value: Json, key: string, at: string): void {
  const items = value[key];
  if (!Array.isArray(items) || items.some((item) => typeof item !== "string")) {
    throw new TypeError(`${field(at, key)} is not a list of strings`);
  }
}

function oneOf(
  value: Json,
  key: string,
  choices: readonly string[],
  at: string,
): void {
  if (!choices.includes(value[key] as string)) {
    throw new TypeError(
      `${field(at, key)} is ${JSON.stringify(value[key] ?? null)}, not one of ${
        choices.join(", ")
      }`,
    );
  }
}
