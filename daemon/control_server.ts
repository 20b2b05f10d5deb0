/**
 * legerd's local API: JSON over HTTP on a unix socket
 * (`lib/secrets/control_api.ts` gives the shapes, `legerdSocketPath()` the
 * path). `leger secrets …`, `leger auth status` and `deploy install` talk
 * to it; only the socket's owner can (folder 0700, socket 0600).
 *
 * @module
 */
import { dirname } from "node:path";
import { toLegerError } from "../cli/print_error.ts";
import {
  type ErrorCode,
  fromSystemError,
  LegerError,
} from "../lib/errors/mod.ts";
import type {
  LegerdEngine,
  LegerdErrorBody,
  RotateRequest,
  SyncRequest,
} from "../lib/secrets/control_api.ts";

/** The largest request body legerd reads: requests are a few small fields. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Options for {@linkcode handleControlRequest}. */
export interface HandleControlRequestOptions {
  /**
   * The clock, for the `at` of error bodies.
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
  /**
   * Log lines: one per change asked for (`POST`) and per failure; never a body.
   *
   * @default {() => {}}
   */
  log?: (line: string) => void;
}

interface Route {
  method: "GET" | "POST";
  /** What the route does, for messages ("Cannot sync: …"). */
  action: string;
  run(engine: LegerdEngine, body: unknown): Promise<unknown>;
}

const ROUTES: Record<string, Route> = {
  "/v1/health": {
    method: "GET",
    action: "read legerd's health",
    run: (engine) => Promise.resolve(engine.health()),
  },
  "/v1/secrets": {
    method: "GET",
    action: "list the secrets",
    run: async (engine) => ({ secrets: await engine.secrets() }),
  },
  "/v1/sync": {
    method: "POST",
    action: "sync the secrets",
    run: (engine, body) => engine.sync(readSyncRequest(body)),
  },
  "/v1/rotate": {
    method: "POST",
    action: "rotate the secret",
    run: (engine, body) => engine.rotate(readRotateRequest(body)),
  },
  "/v1/purge": {
    method: "POST",
    action: "purge the secrets",
    run: (engine, body) => {
      readFields(body, {}, "purge the secrets");
      return engine.purge();
    },
  },
};

/**
 * Answers one request to legerd's local API: routes by the URL's path (a
 * request over the socket arrives in absolute form, `GET
 * http://legerd/v1/health`, or in origin form), reads and checks the JSON
 * body, calls the engine, and answers JSON.
 *
 * - `GET /v1/health` → `LegerdHealth`; `GET /v1/secrets` → `{"secrets": […]}`;
 * - `POST /v1/sync` (`SyncRequest`), `POST /v1/rotate` (`RotateRequest`),
 *   `POST /v1/purge` (no body or `{}`) → what the engine returns;
 * - a body that is not JSON, not an object, with an unknown field or a field
 *   of the wrong kind → 400 `ERR_USAGE` naming the field; larger than 64 KiB
 *   → 413; an unknown path → 404; another method → 405 with `Allow`;
 * - a `LegerError` of the engine → its code, message and fix, with the
 *   status {@linkcode httpStatusOf} gives; a failed program or system call →
 *   the code `toLegerError()` gives it; anything else → 500 `ERR_INTERNAL`.
 *
 * Every failure is a `LegerdErrorBody`. Bodies are never logged: the
 * engine's answers hold no values, but a request could (a mistaken client).
 *
 * @param engine What serves the routes.
 * @param request The request.
 * @param options The clock and the log.
 * @returns The response.
 *
 * @example Usage
 * ```ts
 * import { handleControlRequest } from "./control_server.ts";
 * import type { LegerdEngine } from "../lib/secrets/control_api.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const engine = { purge: () => Promise.resolve({ removed: ["db_password"] }) } as unknown as LegerdEngine;
 * const response = await handleControlRequest(engine, new Request("http://legerd/v1/purge", { method: "POST" }));
 * strictEqual(response.status, 200);
 * strictEqual((await response.json()).removed[0], "db_password");
 * strictEqual((await handleControlRequest(engine, new Request("http://legerd/v2/x"))).status, 404);
 * ```
 */
export async function handleControlRequest(
  engine: LegerdEngine,
  request: Request,
  options: HandleControlRequestOptions = {},
): Promise<Response> {
  const { now = () => new Date(), log = () => {} } = options;
  const started = performance.now();
  const path = new URL(request.url).pathname;
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  const fail = (status: number, error: LegerError, headers?: HeadersInit) => {
    log(
      `api: ${request.method} ${path} answered ${status}: ${error.message} [${error.code}]`,
    );
    return errorResponse(status, error, { now, headers });
  };
  if (route === undefined) {
    return fail(
      404,
      new LegerError(
        "ERR_USAGE",
        `Cannot answer ${request.method} ${path}: legerd has no such route`,
        {
          remedy: `legerd answers ${
            Object.keys(ROUTES).join(", ")
          }; run leger and legerd of the same version`,
        },
      ),
    );
  }
  if (request.method !== route.method) {
    return fail(
      405,
      new LegerError(
        "ERR_USAGE",
        `Cannot ${route.action}: ${path} takes ${route.method}, not ${request.method}`,
        {
          remedy: `Send ${route.method} ${path}`,
        },
      ),
      { allow: route.method },
    );
  }
  let result: unknown;
  try {
    const body = route.method === "POST"
      ? await readBody(request, route.action)
      : undefined;
    result = await route.run(engine, body);
  } catch (error) {
    if (error instanceof BadRequest) return fail(error.status, error.error);
    const legerError = toLegerError(error);
    if (legerError.code === "ERR_INTERNAL") {
      // A bug: its stack goes to the journal, which the fix needs.
      log(
        `api: ${request.method} ${path} hit a bug: ${
          (error as Error)?.stack ?? String(error)
        }`,
      );
    }
    return fail(httpStatusOf(legerError.code), legerError);
  }
  if (route.method === "POST") {
    log(
      `api: ${request.method} ${path} answered 200 in ${
        Math.round(performance.now() - started)
      } ms`,
    );
  }
  return Response.json(result);
}

/**
 * The HTTP status legerd answers an error code with: 400 for a request
 * that is wrong (`ERR_USAGE`, a secret name refused), 404 for what does not
 * exist, 409 when legerd or the scope is busy, 502 when what legerd relies
 * on fails (leger.run, Podman, systemd), 503 when legerd cannot act without
 * a login, 500 otherwise.
 *
 * @param code The error code.
 * @returns The status.
 *
 * @example Usage
 * ```ts
 * import { httpStatusOf } from "./control_server.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(httpStatusOf("ERR_API_UNREACHABLE"), 502);
 * strictEqual(httpStatusOf("ERR_INTERNAL"), 500);
 * ```
 */
export function httpStatusOf(code: ErrorCode | string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

const STATUS_BY_CODE: Record<string, number> = {
  ERR_USAGE: 400,
  ERR_CONFIRMATION_REQUIRED: 400,
  ERR_UNSAFE_PATH: 400,
  ERR_SECRET_NOT_FOUND: 404,
  ERR_SECRET_MISSING: 404,
  ERR_SERVICE_NOT_FOUND: 404,
  ERR_DEPLOYMENT_NOT_FOUND: 404,
  ERR_SECRET_UNMANAGED: 409,
  ERR_LOCKED: 409,
  ERR_API_UNREACHABLE: 502,
  ERR_API_ERROR: 502,
  ERR_SECRET_FETCH_FAILED: 502,
  ERR_SECRET_SYNC_FAILED: 502,
  ERR_CLOUDFLARE_KV_UNAVAILABLE: 502,
  ERR_NETWORK_FAILED: 502,
  ERR_COMMAND_FAILED: 502,
  ERR_COMMAND_NOT_FOUND: 502,
  ERR_SERVICE_START_FAILED: 502,
  ERR_SYSTEMD_NOT_RUNNING: 502,
  ERR_LEGER_NOT_AUTHENTICATED: 503,
  ERR_TAILSCALE_NOT_INSTALLED: 503,
  ERR_TAILSCALE_NOT_RUNNING: 503,
  ERR_TAILSCALE_NOT_AUTHENTICATED: 503,
  ERR_ACCOUNT_NOT_LINKED: 503,
};

/** Options for {@linkcode startControlServer}. */
export interface StartControlServerOptions extends HandleControlRequestOptions {
  /** The socket's path (`legerdSocketPath()`). */
  path: string;
}

/** A running control server. */
export interface ControlServer {
  /** The socket's path. */
  readonly path: string;
  /**
   * Stops accepting connections, lets the requests in flight finish, and
   * removes the socket file.
   */
  shutdown(): Promise<void>;
}

/**
 * Listens on legerd's socket. Its folder is made 0700 when missing (the
 * runtime folder above it must exist: it is the login's, or systemd's
 * `RuntimeDirectory=`), and tightened to 0700 when wider; the socket is
 * made 0600. A socket file left by a legerd that died is removed first; a
 * socket on which another legerd answers is not: this one refuses to start.
 *
 * Requires `--allow-read`, `--allow-write` and `--allow-net=unix:<path>`.
 *
 * @param engine What serves the routes.
 * @param options The socket's path, the clock and the log.
 * @returns The running server.
 * @throws {LegerError} `ERR_LEGERD_RUNNING` when another legerd answers on
 * the socket; `ERR_PATH_EXISTS` when something other than a socket is at
 * the path; `ERR_PATH_NOT_FOUND` when the runtime folder is missing; what
 * `fromSystemError` makes of other failures (`ERR_PERMISSION_DENIED`,
 * `ERR_NETWORK_NOT_ALLOWED` when the permission does not name the socket…).
 *
 * @example Usage
 * ```ts ignore
 * import { startControlServer } from "./control_server.ts";
 * const server = await startControlServer(engine, { path: "/run/user/1000/leger/legerd.sock" });
 * // …
 * await server.shutdown();
 * ```
 */
export async function startControlServer(
  engine: LegerdEngine,
  options: StartControlServerOptions,
): Promise<ControlServer> {
  const { path, now, log = () => {} } = options;
  await prepareFolder(dirname(path));
  await claimPath(path, log);
  let server: Deno.HttpServer<Deno.UnixAddr>;
  try {
    server = Deno.serve(
      {
        path,
        onListen: () => {},
        onError: (error) => internalError(error, now),
      },
      (request) => handleControlRequest(engine, request, { now, log }),
    );
    await Deno.chmod(path, 0o600);
  } catch (error) {
    throw fromSystemError(error, { action: "listen on", path }) ?? error;
  }
  return {
    path,
    shutdown: async () => {
      await server.shutdown();
      await removeSocket(path);
    },
  };
}

async function prepareFolder(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new LegerError(
        "ERR_PATH_NOT_FOUND",
        `Cannot make legerd's socket folder ${dir}: ${
          dirname(dir)
        } does not exist`,
        {
          cause: error,
          remedy:
            "For a user's legerd, log in or enable lingering (`loginctl enable-linger $USER`) so that /run/user/$(id -u) exists, and start legerd with `systemctl --user start legerd.service`",
        },
      );
    }
    if (!(error instanceof Deno.errors.AlreadyExists)) {
      throw fromSystemError(error, { action: "make", path: dir }) ?? error;
    }
  }
  try {
    const info = await Deno.lstat(dir);
    if (!info.isDirectory) {
      throw new LegerError(
        "ERR_PATH_TYPE",
        `Cannot make legerd's socket folder ${dir}: a file is in the way`,
        {
          file: dir,
        },
      );
    }
    // Only the owner may connect: a folder made wider (by hand, by a
    // RuntimeDirectoryMode=) is tightened.
    if (info.mode !== null && (info.mode & 0o077) !== 0) {
      await Deno.chmod(dir, 0o700);
    }
  } catch (error) {
    if (error instanceof LegerError) throw error;
    throw fromSystemError(error, { action: "secure", path: dir }) ?? error;
  }
}

async function claimPath(
  path: string,
  log: (line: string) => void,
): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw fromSystemError(error, { action: "read", path }) ?? error;
  }
  if (!info.isSocket) {
    throw new LegerError(
      "ERR_PATH_EXISTS",
      `Cannot listen on ${path}: a ${
        info.isDirectory ? "folder" : "file"
      } that is not a socket is in the way`,
      { file: path, remedy: `Move ${path} aside, then start legerd again` },
    );
  }
  if (await answers(path)) {
    throw new LegerError(
      "ERR_LEGERD_RUNNING",
      `Cannot start legerd: another legerd answers on ${path}`,
    );
  }
  await removeSocket(path);
  log(`removed the socket a previous legerd left at ${path}`);
}

/** Whether something accepts connections on a unix socket (a live legerd). */
async function answers(path: string): Promise<boolean> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch (error) {
    if (
      error instanceof Deno.errors.ConnectionRefused ||
      error instanceof Deno.errors.NotFound
    ) {
      return false;
    }
    throw fromSystemError(error, { action: "connect to", path }) ?? error;
  }
  conn.close();
  return true;
}

async function removeSocket(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw fromSystemError(error, { action: "remove", path }) ?? error;
    }
  }
}

/** A request legerd refuses before the engine sees it. */
class BadRequest extends Error {
  override name = "BadRequest";
  constructor(readonly status: number, readonly error: LegerError) {
    super(error.message);
  }
}

async function readBody(request: Request, action: string): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge(action);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body !== null) {
    for await (const chunk of request.body) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) throw tooLarge(action);
      chunks.push(chunk);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest(action, "the body is not UTF-8 text");
  }
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(action, "the body is not JSON");
  }
}

function tooLarge(action: string): BadRequest {
  return new BadRequest(
    413,
    new LegerError(
      "ERR_USAGE",
      `Cannot ${action}: the body is larger than ${MAX_BODY_BYTES / 1024} KiB`,
      {
        remedy: "Send only the fields of the request",
      },
    ),
  );
}

function badRequest(action: string, why: string, remedy?: string): BadRequest {
  return new BadRequest(
    400,
    new LegerError("ERR_USAGE", `Cannot ${action}: ${why}`, {
      remedy: remedy ??
        "Send a JSON object with the route's fields; run leger and legerd of the same version",
    }),
  );
}

type FieldKind = "string" | "boolean" | "string[]";

/** Checks that the body is an object with only these fields, each of its kind. */
function readFields(
  body: unknown,
  fields: Record<string, FieldKind>,
  action: string,
): Record<string, unknown> {
  const known = Object.keys(fields);
  const knownText = known.length === 0 ? "no fields" : known.join(", ");
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(
      action,
      `the body must be a JSON object (with ${knownText})`,
    );
  }
  const record = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    const kind = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (kind === undefined) {
      throw badRequest(
        action,
        `unknown field "${key}" (it takes ${knownText})`,
        `Remove "${key}"; run leger and legerd of the same version (\`leger --version\`, \`legerd --version\`)`,
      );
    }
    if (!hasKind(value, kind)) {
      throw badRequest(
        action,
        `field "${key}" must be ${describeKind(kind)}, not ${kindOf(value)}`,
        `Send "${key}" as ${describeKind(kind)}`,
      );
    }
  }
  return record;
}

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string" && value !== "";
    case "boolean":
      return typeof value === "boolean";
    case "string[]":
      return Array.isArray(value) &&
        value.every((item) => typeof item === "string" && item !== "");
  }
}

/** What a value is, without its content (a mistaken client could send a secret). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") {
    return value === "" ? "an empty string" : "a string";
  }
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function describeKind(kind: FieldKind): string {
  switch (kind) {
    case "string":
      return "a non-empty string";
    case "boolean":
      return "true or false";
    case "string[]":
      return "a list of non-empty strings";
  }
}

function readSyncRequest(body: unknown): SyncRequest {
  return readFields(body, {
    service: "string",
    secrets: "string[]",
    force: "boolean",
    dry_run: "boolean",
  }, "sync the secrets") as SyncRequest;
}

function readRotateRequest(body: unknown): RotateRequest {
  const record = readFields(
    body,
    { name: "string", restart: "boolean" },
    "rotate the secret",
  );
  if (record.name === undefined) {
    throw badRequest(
      "rotate the secret",
      'field "name" is missing',
      'Send {"name": "<secret>"}',
    );
  }
  return record as unknown as RotateRequest;
}

function errorResponse(
  status: number,
  error: LegerError,
  options: { now: () => Date; headers?: HeadersInit },
): Response {
  const body: LegerdErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      fix: error.remedy,
      at: options.now().toISOString(),
    },
  };
  return Response.json(body, { status, headers: options.headers });
}

/** What Deno.serve answers when the handler itself fails (it does not: it catches). */
function internalError(
  error: unknown,
  now: (() => Date) | undefined,
): Response {
  return errorResponse(500, toLegerError(error), {
    now: now ?? (() => new Date()),
  });
}
