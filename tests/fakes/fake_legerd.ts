/**
 * A fake legerd for tests: a real `Deno.serve` on a unix socket that speaks
 * legerd's local API (lib/secrets/control_api.ts) over canned answers, so
 * that leger's real client (`LegerdClient`) is what the tests exercise.
 *
 * Each route calls the matching method of the engine given; a method left
 * out answers 500 with an `ERR_INTERNAL` body, a `LegerError` thrown
 * becomes the `{"error": {code, message, fix, at}}` body legerd answers
 * with. `raw` answers a route with any `Response` instead (a body that is
 * not JSON, a wrong shape); `hold` keeps answers back until released (a slow
 * legerd, without a sleep).
 *
 * ```ts ignore
 * await using legerd = await startFakeLegerd(`${dir}/leger/legerd.sock`, {
 *   engine: { health: () => healthyLegerd() },
 * });
 * legerd.requests; // [{ method: "GET", path: "/v1/health", body: null }]
 * ```
 *
 * @module
 */
import { LegerError } from "../../lib/errors/leger_error.ts";
import type {
  LegerdErrorBody,
  LegerdHealth,
  PurgeResult,
  RotateRequest,
  RotateResult,
  SecretStatus,
  SyncRequest,
  SyncResult,
} from "../../lib/secrets/control_api.ts";
import {
  emptyReconcilePlan,
  type ReconcilePlan,
} from "../../lib/secrets/plan_reconcile.ts";

/** The engine's methods the fake serves; any may be left out. */
export interface FakeLegerdEngine {
  health?(): LegerdHealth;
  secrets?(): SecretStatus[] | Promise<SecretStatus[]>;
  sync?(request: SyncRequest): SyncResult | Promise<SyncResult>;
  rotate?(request: RotateRequest): RotateResult | Promise<RotateResult>;
  purge?(): PurgeResult | Promise<PurgeResult>;
}

/** A request the fake received. */
export interface FakeLegerdRequest {
  method: string;
  path: string;
  /** The JSON body, parsed; `null` for none. */
  body: unknown;
}

/** Options for {@linkcode startFakeLegerd}. */
export interface FakeLegerdOptions {
  /** What each route answers. */
  engine?: FakeLegerdEngine;
  /** Answers a route (`"/v1/health"`) with this instead of the engine's answer. */
  raw?: Record<string, () => Response>;
}

/** The running fake. */
export interface FakeLegerd extends AsyncDisposable {
  /** The socket's path. */
  path: string;
  /** Every request, in order. */
  requests: FakeLegerdRequest[];
  /** What the routes answer; may be changed between requests. */
  engine: FakeLegerdEngine;
  /**
   * Holds every answer back until the returned function is called (then
   * they go out): for timeouts and aborts. Resolves `arrived` when a request
   * is held.
   */
  hold(): { release: () => void; arrived: Promise<void> };
  /** Stops listening and removes the socket. */
  close(): Promise<void>;
}

/**
 * Starts a fake legerd on `path` (its folder is created 0700, as legerd does).
 *
 * @param path The socket, such as `${runtimeDir}/leger/legerd.sock`.
 * @param options The engine and raw answers.
 * @returns The fake; dispose of it with `await using`.
 */
export async function startFakeLegerd(
  path: string,
  options: FakeLegerdOptions = {},
): Promise<FakeLegerd> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), {
    recursive: true,
    mode: 0o700,
  });
  const requests: FakeLegerdRequest[] = [];
  let held: { released: Promise<void>; arrived: () => void } | null = null;
  const fake: FakeLegerd = {
    path,
    requests,
    engine: options.engine ?? {},
    hold() {
      const release = Promise.withResolvers<void>();
      const arrived = Promise.withResolvers<void>();
      held = { released: release.promise, arrived: arrived.resolve };
      return {
        release: () => {
          held = null;
          release.resolve();
        },
        arrived: arrived.promise,
      };
    },
    close: async () => {
      await server.shutdown();
    },
    [Symbol.asyncDispose]: () => fake.close(),
  };
  const { promise: listening, resolve } = Promise.withResolvers<void>();
  const server = Deno.serve(
    { path, transport: "unix", onListen: () => resolve() },
    async (request) => {
      const url = new URL(request.url);
      const text = await request.text();
      requests.push({
        method: request.method,
        path: url.pathname,
        body: text === "" ? null : JSON.parse(text),
      });
      if (held !== null) {
        const { released, arrived } = held;
        arrived();
        await released;
      }
      const raw = options.raw?.[url.pathname];
      if (raw !== undefined) return raw();
      return await answer(fake.engine, request.method, url.pathname, text);
    },
  );
  await listening;
  await Deno.chmod(path, 0o600);
  return fake;
}

async function answer(
  engine: FakeLegerdEngine,
  method: string,
  path: string,
  text: string,
): Promise<Response> {
  const body = text === "" ? {} : JSON.parse(text);
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case "GET /v1/health":
        return json(200, need(engine.health, route)());
      case "GET /v1/secrets":
        return json(200, { secrets: await need(engine.secrets, route)() });
      case "POST /v1/sync":
        return json(200, await need(engine.sync, route)(body));
      case "POST /v1/rotate":
        return json(200, await need(engine.rotate, route)(body));
      case "POST /v1/purge":
        return json(200, await need(engine.purge, route)());
    }
    return errorAnswer(404, "ERR_USAGE", `Cannot ${route}: no such route`);
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    const status = error.exitCode === 2 ? 400 : 500;
    return errorAnswer(status, error.code, error.message, error.remedy);
  }
}

function need<T>(method: T | undefined, route: string): T {
  if (method === undefined) {
    throw new LegerError(
      "ERR_INTERNAL",
      `Cannot answer ${route}: the test gave the fake legerd no answer`,
    );
  }
  return method;
}

function errorAnswer(
  status: number,
  code: string,
  message: string,
  fix?: string,
): Response {
  const body: LegerdErrorBody = {
    error: {
      code,
      message,
      ...(fix === undefined ? {} : { fix }),
      at: "2026-11-30T12:00:00.000Z",
    },
  };
  return json(status, body);
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/**
 * A healthy legerd's health, with fields overridden.
 *
 * @param overrides Fields to change.
 * @returns The health.
 */
export function healthyLegerd(
  overrides: Partial<LegerdHealth> = {},
): LegerdHealth {
  return {
    status: "ok",
    version: "0.1.0",
    scope: "user",
    pid: 4242,
    tailscale: { state: "Running", error: null },
    leger_run: {
      api_url: "https://api.leger.run",
      reachable: true,
      auth: "ok",
      last_error: null,
    },
    podman: { reachable: true, secrets: 2, last_error: null },
    last_successful_sync_at: "2026-11-30T11:58:00.000Z",
    next_poll_at: "2026-11-30T12:03:00.000Z",
    poll_interval_ms: 300_000,
    restart: "on-rotation",
    config: { file: "/home/u/.config/leger/legerd.yaml", error: null },
    last_poll: {
      http_requests: 1,
      podman_runs: 1,
      systemctl_runs: 0,
      writes: 0,
    },
    ...overrides,
  };
}

/**
 * An empty reconcile plan, with lists filled in.
 *
 * @param overrides Lists to set.
 * @returns The plan.
 */
export function emptyPlan(
  overrides: Partial<ReconcilePlan> = {},
): ReconcilePlan {
  return { ...emptyReconcilePlan(), ...overrides };
}

/**
 * A sync that did what `applied` says, with the plan given.
 *
 * @param parts The plan, what was applied, errors, dry run.
 * @returns The result.
 */
export function syncResult(
  parts: {
    plan?: Partial<ReconcilePlan>;
    applied?: Partial<SyncResult["applied"]>;
    errors?: SyncResult["errors"];
    dry_run?: boolean;
  } = {},
): SyncResult {
  return {
    dry_run: parts.dry_run ?? false,
    plan: emptyPlan(parts.plan),
    applied: {
      created: [],
      replaced: [],
      removed: [],
      restarted: [],
      started: [],
      ...parts.applied,
    },
    errors: parts.errors ?? [],
  };
}
