/**
 * A loopback leger.run for tests: the routes of
 * `../shared/contracts/leger-run-api.md` (health, auth, secrets, releases and
 * the static files of rendered deployments) with real HS256 JWTs that expire,
 * the contract's envelopes and error bodies, and knobs to seed data and to
 * make any route fail.
 *
 * It listens on `127.0.0.1` on a free port. The API is served at the origin
 * (and again under `/api`, as app.leger.run does), the static files under
 * `/static`:
 *
 * ```ts ignore
 * import { LegerRunServer } from "./leger_run_server.ts";
 *
 * await using server = await LegerRunServer.start();
 * const release = server.addRelease(userUuid, { name: "production" });
 * await server.addStaticDir(`${userUuid}/v${release.version}`, "tests/testdata/leger-run-rendered/v1");
 * server.fail({ path: "/releases", failure: { status: 503, code: "internal_error", message: "D1 unavailable" } });
 * server.staticFault({ path: `${userUuid}/v1/caddy.container`, fault: { type: "status", status: 500 }, times: 1 });
 * // LEGER_API_URL=server.apiUrl LEGER_STATIC_URL=server.staticUrl LEGER_WEB_URL=server.webUrl
 * ```
 *
 * Like the deployed service, it has no `latest/` folder: `<uuid>/latest/manifest.json`
 * answers 404 unless a test puts one there. Static files can be told to
 * misbehave ({@linkcode LegerRunServer.staticFault}): an HTTP error, a body cut
 * short, other bytes than stored (a wrong checksum), or an answer held back
 * until the test releases it (a slow answer, without a sleep).
 *
 * Its secrets behave as the real worker's do (checked against it run
 * locally): the list is sorted by name and holds at most 1,000 secrets, with
 * no pagination; `include_values` counts only when it is given once and is
 * exactly `true`; every answer under `/secrets` says `Cache-Control:
 * no-store` and carries no ETag or Last-Modified, so conditional requests
 * get the full answer; `version` grows on every write, even of the same
 * value, and starts again at 1 (with a new `created_at`) after a delete;
 * `selections` and `select-provider` are reserved names; `GET
 * /secrets/{name}` writes to the store on every read
 * ({@linkcode LegerRunServer.storeWrites}). Two knobs reproduce what the
 * worker does under load: a delay before a write shows to readers
 * ({@linkcode LegerRunServerOptions.secretVisibilityDelayMs}, KV's eventual
 * consistency, measured on the injected clock) and two concurrent updates
 * answered with the same version ({@linkcode LegerRunServer.raceSecretWrites}).
 *
 * Run it by hand for a manual session (prints its URLs, stops on Ctrl-C):
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-read tests/leger_run_server.ts --port 8787 \
 *   --static f44a09fc-90d1-5f2b-bf2c-7380100ec435/v1=tests/testdata/leger-run-rendered/v1
 * ```
 *
 * @module
 */
import { deriveUserUuid } from "../lib/auth/derive_user_uuid.ts";

/** An account: created when a linked Tailscale user first logs in. */
export interface FakeAccount {
  user_uuid: string;
  user_id: string;
  login_name: string;
  display_name: string | null;
  tailnet: string;
  created_at: string;
}

/** A release, as `GET /releases` lists it. */
export interface FakeRelease {
  id: string;
  user_uuid: string;
  name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A release's rendered deployment. */
export interface FakeDeployment {
  id: string;
  release_id: string;
  user_uuid: string;
  status: "rendering" | "uploading" | "ready" | "deployed" | "failed";
  r2_path: string | null;
  manifest_url: string | null;
  error_message: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** A stored secret. */
export interface FakeSecret {
  name: string;
  label?: string;
  value: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A failure answered with the contract's envelope. */
export interface EnvelopeFailure {
  status: number;
  code: string;
  message: string;
  action?: string;
  docs?: string;
}

/** A failure answered with any body (a proxy's HTML page, a truncated JSON…). */
export interface RawFailure {
  status: number;
  body: string;
  contentType?: string;
  /** More headers, such as `location` for a redirect (status 302). */
  headers?: Record<string, string>;
}

/** Makes matching requests fail. */
export interface FailureRule {
  /** Only this method; any when absent. */
  method?: string;
  /** The route without the `/api` prefix (`/auth/cli`), or a pattern tested on it. */
  path: string | RegExp;
  failure: EnvelopeFailure | RawFailure;
  /**
   * How many requests fail before the rule is used up.
   *
   * @default {Infinity}
   */
  times?: number;
}

/** How a static file misbehaves (see {@linkcode LegerRunServer.staticFault}). */
export type StaticFault =
  /** Answers this status (and body, `text/plain`) instead of the file. */
  | { type: "status"; status: number; body?: string }
  /**
   * Announces the whole file's `Content-Length` but ends the body after
   * `after` bytes (half the file when absent), as a broken connection does.
   */
  | { type: "truncate"; after?: number }
  /** Serves these bytes instead of the stored ones (a wrong checksum). */
  | { type: "replace"; body: string | Uint8Array }
  /**
   * Holds the answer back until `release` settles or the server closes:
   * its headers (`"headers"`, the default: a server that does not answer)
   * or, after the first half of the body, the rest (`"body"`: a download
   * that stalls).
   */
  | {
    type: "hold";
    phase?: "headers" | "body";
    release?: Promise<unknown>;
  }
  /**
   * Redirects to `location` (status 302 when absent), as a misconfigured
   * proxy or CDN in front of the service might: to a host leger does not
   * connect to, or to another loopback address.
   */
  | { type: "redirect"; location: string; status?: 301 | 302 | 307 | 308 }
  /**
   * Sends the headers at once, then the body one byte every `everyMs`
   * (2000 when absent): a server that is alive but so slow that no timeout
   * of a single read or a single answer ever sees it stall.
   */
  | { type: "trickle"; everyMs?: number };

/** Makes matching static files misbehave. */
export interface StaticFaultRule {
  /**
   * The path under the static base (`<uuid>/v1/caddy.container`), or a
   * pattern tested on it.
   */
  path: string | RegExp;
  fault: StaticFault;
  /**
   * How many requests misbehave before the rule is used up.
   *
   * @default {Infinity}
   */
  times?: number;
}

/**
 * Makes matching `POST /secrets/{name}` race with the write before them (see
 * {@linkcode LegerRunServer.raceSecretWrites}).
 */
export interface SecretRaceRule {
  /** The secret's name, or a pattern tested on it; any secret when absent. */
  name?: string | RegExp;
  /**
   * How many writes race before the rule is used up.
   *
   * @default {1}
   */
  times?: number;
}

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The query, such as `?name=prod`, or `""`. */
  query: string;
  authorization: string | null;
  contentType: string | null;
  /** The body, parsed when it is JSON, else as text; `null` when empty. */
  body: unknown;
}

/** Options for {@linkcode LegerRunServer.start}. */
export interface LegerRunServerOptions {
  /**
   * The port on 127.0.0.1.
   *
   * @default {0}
   */
  port?: number;
  /**
   * The Tailscale user ids with a linked account; any other gets
   * `account_not_linked`. Every user id is linked when absent.
   *
   * @default {undefined}
   */
  linkedUserIds?: readonly string[];
  /**
   * The lifetime of issued tokens (`expires_in`).
   *
   * @default {31536000}
   */
  tokenLifetimeSeconds?: number;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default {Date.now}
   */
  now?: () => number;
  /**
   * The user UUID the server gives a Tailscale user id; a test of a server
   * that disagrees with leger's derivation replaces it.
   *
   * @default {deriveUserUuid}
   */
  userUuidFor?: (userId: string) => string | Promise<string>;
  /**
   * The HTTP status each route family answers a bad token with ("401 or 500
   * depending on the route").
   *
   * @default {{ auth: 401, secrets: 401, releases: 500 }}
   */
  authFailureStatus?: { auth?: number; secrets?: number; releases?: number };
  /**
   * The version `/health` reports.
   *
   * @default {"0.0.0-test"}
   */
  version?: string;
  /**
   * How long, on the clock of `now`, a write of a secret (a create, an update
   * or a delete) takes to show to readers (`GET /secrets`, `GET
   * /secrets/{name}`): the worker's KV store is eventually consistent and a
   * rotation can take ~60 s to show. Writes themselves (the next version, a
   * delete) always see the latest state. It can be changed later through
   * {@linkcode LegerRunServer.secretVisibilityDelayMs}.
   *
   * @default {0}
   */
  secretVisibilityDelayMs?: number;
}

/** The worker's reserved names under `/secrets/` (its own routes). */
export const RESERVED_SECRET_NAMES: readonly string[] = [
  "selections",
  "select-provider",
];

/** The most secrets `GET /secrets` lists (the worker has no pagination). */
export const MAX_LISTED_SECRETS = 1000;

/** One write of a secret, as the store keeps it until it is superseded. */
interface SecretEntry {
  /** The secret after the write; `null` for a delete. */
  secret: FakeSecret | null;
  /** The secret before the write (what a concurrent writer read). */
  before: FakeSecret | null;
  /** When readers start seeing it, on the server's clock. */
  visibleAt: number;
}

/** The options once defaults are applied. */
interface ResolvedOptions {
  tokenLifetimeSeconds: number;
  now: () => number;
  userUuidFor: (userId: string) => string | Promise<string>;
  version: string;
  linkedUserIds?: readonly string[];
  authFailureStatus: { auth: number; secrets: number; releases: number };
}

const SECRET_NAME_REGEXP = /^[a-zA-Z0-9:_-]{1,64}$/;
const MAX_SECRET_BYTES = 10 * 1024;
const encoder = new TextEncoder();

/** The loopback leger.run. Start it with {@linkcode LegerRunServer.start}. */
export class LegerRunServer implements AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** The accounts, by user UUID. */
  readonly accounts: Map<string, FakeAccount> = new Map();
  /**
   * How long a write of a secret takes to show to readers, in milliseconds
   * of the server's clock (see
   * {@linkcode LegerRunServerOptions.secretVisibilityDelayMs}); applies to
   * the writes made after it is set.
   */
  secretVisibilityDelayMs: number;
  #storeWrites = 0;
  #secretRaces: (SecretRaceRule & { left: number })[] = [];
  #server: Deno.HttpServer<Deno.NetAddr>;
  #key: CryptoKey;
  #options: ResolvedOptions;
  #failures: (FailureRule & { left: number })[] = [];
  #releases: FakeRelease[] = [];
  #deployments = new Map<string, FakeDeployment | null>();
  #secrets = new Map<string, Map<string, SecretEntry[]>>();
  #static = new Map<string, Uint8Array>();
  #staticFaults: (StaticFaultRule & { left: number })[] = [];
  #closing = Promise.withResolvers<void>();
  #nextId = 1;

  private constructor(
    server: Deno.HttpServer<Deno.NetAddr>,
    key: CryptoKey,
    options: ResolvedOptions,
    handler: { current?: (request: Request) => Promise<Response> },
    secretVisibilityDelayMs: number,
  ) {
    this.secretVisibilityDelayMs = secretVisibilityDelayMs;
    this.#server = server;
    this.#key = key;
    this.#options = options;
    this.origin = `http://127.0.0.1:${server.addr.port}`;
    handler.current = (request) => this.#handle(request);
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param options Accounts, token lifetime, clock, failures of auth.
   * @returns The running server; close it (or `await using` it) at the end.
   */
  static async start(
    options: LegerRunServerOptions = {},
  ): Promise<LegerRunServer> {
    const key = await crypto.subtle.generateKey(
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign", "verify"],
    );
    const handler: { current?: (request: Request) => Promise<Response> } = {};
    const { promise: listening, resolve } = Promise.withResolvers<void>();
    const server = Deno.serve(
      {
        hostname: "127.0.0.1",
        port: options.port ?? 0,
        onListen: () => resolve(),
      },
      (request) => handler.current!(request),
    );
    await listening;
    return new LegerRunServer(
      server,
      key,
      {
        tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 31536000,
        now: options.now ?? Date.now,
        userUuidFor: options.userUuidFor ?? deriveUserUuid,
        version: options.version ?? "0.0.0-test",
        linkedUserIds: options.linkedUserIds,
        authFailureStatus: {
          auth: 401,
          secrets: 401,
          releases: 500,
          ...options.authFailureStatus,
        },
      },
      handler,
      options.secretVisibilityDelayMs ?? 0,
    );
  }

  /** The API's base URL (`LEGER_API_URL`). */
  get apiUrl(): string {
    return this.origin;
  }

  /** The static files' base URL (`LEGER_STATIC_URL`). */
  get staticUrl(): string {
    return `${this.origin}/static`;
  }

  /** A web UI URL for hints (`LEGER_WEB_URL`); nothing is served there. */
  get webUrl(): string {
    return `${this.origin}/app`;
  }

  /**
   * Signs a token as `POST /auth/cli` would, for any claims and lifetime: a
   * negative `expiresIn` makes an expired token.
   */
  async issueToken(
    claims: {
      user_uuid: string;
      user_id?: string;
      login_name?: string;
      tailnet?: string;
    },
    options: { expiresIn?: number } = {},
  ): Promise<string> {
    const { expiresIn = this.#options.tokenLifetimeSeconds } = options;
    const iat = Math.floor(this.#options.now() / 1000);
    const payload = {
      iss: "leger.run",
      aud: "leger-cli",
      sub: claims.user_uuid,
      user_uuid: claims.user_uuid,
      tailscale_user_id: claims.user_id ?? null,
      login_name: claims.login_name ?? null,
      tailnet: claims.tailnet ?? null,
      iat,
      exp: iat + expiresIn,
    };
    const signingInput = `${
      base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })))
    }.${base64url(encoder.encode(JSON.stringify(payload)))}`;
    const signature = await crypto.subtle.sign(
      "HMAC",
      this.#key,
      encoder.encode(signingInput),
    );
    return `${signingInput}.${base64url(new Uint8Array(signature))}`;
  }

  /** Makes matching requests fail (see {@linkcode FailureRule}). */
  fail(rule: FailureRule): void {
    this.#failures.push({ ...rule, left: rule.times ?? Infinity });
  }

  /** Forgets every failure rule, static faults included. */
  clearFailures(): void {
    this.#failures = [];
    this.#staticFaults = [];
  }

  /** Makes matching static files misbehave (see {@linkcode StaticFaultRule}). */
  staticFault(rule: StaticFaultRule): void {
    this.#staticFaults.push({ ...rule, left: rule.times ?? Infinity });
  }

  /** Adds a release (the next version of the user's, unless given) with a finished deployment. */
  addRelease(
    userUuid: string,
    options: {
      name: string;
      version?: number;
      created_at?: string;
      deployment?: Partial<FakeDeployment> | null;
    },
  ): FakeRelease {
    const version = options.version ??
      1 +
        Math.max(
          0,
          ...this.#releases.filter((r) => r.user_uuid === userUuid).map((r) =>
            r.version
          ),
        );
    const at = options.created_at ?? this.#iso();
    const release: FakeRelease = {
      id: `rel_${this.#nextId++}`,
      user_uuid: userUuid,
      name: options.name,
      version,
      created_at: at,
      updated_at: at,
    };
    this.#releases.push(release);
    this.#deployments.set(
      release.id,
      options.deployment === null ? null : {
        id: `dep_${this.#nextId++}`,
        release_id: release.id,
        user_uuid: userUuid,
        status: "deployed",
        r2_path: `${userUuid}/v${version}/`,
        manifest_url: `${this.staticUrl}/${userUuid}/v${version}/manifest.json`,
        error_message: null,
        started_at: at,
        completed_at: at,
        ...options.deployment,
      },
    );
    return release;
  }

  /** Serves `body` at `<staticUrl>/<path>`. */
  putStatic(path: string, body: string | Uint8Array): void {
    this.#static.set(
      path.replace(/^\/+/, ""),
      typeof body === "string" ? encoder.encode(body) : body,
    );
  }

  /** Stops serving `<staticUrl>/<path>` (it answers 404 again). */
  deleteStatic(path: string): void {
    this.#static.delete(path.replace(/^\/+/, ""));
  }

  /** Serves every file under `dir`, subfolders too, at `<staticUrl>/<prefix>/<relative path>`. */
  async addStaticDir(prefix: string, dir: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      const served = `${prefix.replace(/\/+$/, "")}/${entry.name}`;
      if (entry.isDirectory) await this.addStaticDir(served, path);
      else if (entry.isFile) this.putStatic(served, await Deno.readFile(path));
    }
  }

  /**
   * Stores a secret for a user, as `POST /secrets/{name}` would: the next
   * version (1 after a delete, with a new `created_at`), shown to readers
   * after {@linkcode LegerRunServer.secretVisibilityDelayMs}.
   *
   * @param userUuid The owner.
   * @param name The secret's name.
   * @param value Its value.
   * @param label Its label; the previous one is kept when absent.
   * @returns The secret as stored.
   * @throws {TypeError} When the name is one the worker reserves.
   */
  putSecret(
    userUuid: string,
    name: string,
    value: string,
    label?: string,
  ): FakeSecret {
    if (RESERVED_SECRET_NAMES.includes(name)) {
      throw new TypeError(
        `Cannot store secret "${name}": the name is reserved by leger.run`,
      );
    }
    return this.#writeSecret(userUuid, name, value, label, false);
  }

  /**
   * Deletes a user's secret, as `DELETE /secrets/{name}` would (shown to
   * readers after {@linkcode LegerRunServer.secretVisibilityDelayMs}).
   *
   * @param userUuid The owner.
   * @param name The secret's name.
   * @returns Whether there was such a secret.
   */
  deleteSecret(userUuid: string, name: string): boolean {
    const entries = this.#secretsOf(userUuid).get(name);
    const latest = entries?.at(-1)?.secret ?? null;
    if (entries === undefined || latest === null) return false;
    this.#record(entries, {
      secret: null,
      before: latest,
      visibleAt: this.#options.now() + this.secretVisibilityDelayMs,
    });
    return true;
  }

  /** A user's secrets as last written (what readers will see once visible), sorted by name. */
  secretsOf(userUuid: string): FakeSecret[] {
    return this.#view(userUuid, (entries) => entries.at(-1)?.secret ?? null);
  }

  /**
   * Makes the next matching `POST /secrets/{name}` race with the write before
   * it, as two concurrent updates do on the worker: it reads the secret as it
   * was before that write, so both answer the same version (and the same
   * `created_at`); the store keeps the racing request's value.
   *
   * @param rule Which secret, and how many writes.
   */
  raceSecretWrites(rule: SecretRaceRule = {}): void {
    this.#secretRaces.push({ ...rule, left: rule.times ?? 1 });
  }

  /**
   * How many writes requests made to the secrets store: one per `POST` and
   * `DELETE` of `/secrets/{name}`, and one per `GET /secrets/{name}` (the
   * worker writes on every read of one secret). Listing writes nothing.
   */
  get storeWrites(): number {
    return this.#storeWrites;
  }

  /**
   * How many requests reached a route (the `/api` prefix removed, the query
   * ignored), failed ones included.
   *
   * @param path The route (`/secrets`), or a pattern tested on it.
   * @param method Only this method; any when absent.
   * @returns The count.
   */
  countRequests(path: string | RegExp, method?: string): number {
    return this.requests.filter((request) => {
      const route = request.path.replace(/^\/api(?=\/)/, "");
      return (method === undefined || request.method === method) &&
        (typeof path === "string" ? route === path : path.test(route));
    }).length;
  }

  /**
   * Stops listening, keeping every account, token and secret: requests are
   * refused (connection refused) as when the real service is down, until
   * {@linkcode LegerRunServer.comeBack}.
   */
  async goDown(): Promise<void> {
    await this.#server.shutdown();
  }

  /** Listens again on the same port after {@linkcode LegerRunServer.goDown}. */
  async comeBack(): Promise<void> {
    const { promise: listening, resolve } = Promise.withResolvers<void>();
    this.#server = Deno.serve(
      {
        hostname: "127.0.0.1",
        port: this.#server.addr.port,
        onListen: () => resolve(),
      },
      (request) => this.#handle(request),
    );
    await listening;
  }

  /** Stops the server (releasing every answer held back first). */
  async close(): Promise<void> {
    this.#closing.resolve();
    await this.#server.shutdown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const text = await request.text();
    this.requests.push({
      method: request.method,
      path: url.pathname,
      query: url.search,
      authorization: request.headers.get("authorization"),
      contentType: request.headers.get("content-type"),
      body: text === "" ? null : parseOrText(text),
    });
    if (url.pathname.startsWith("/static/")) {
      return await this.#serveStatic(url.pathname.slice(8));
    }
    const route = url.pathname.replace(/^\/api(?=\/)/, "");
    const failure = this.#takeFailure(request.method, route);
    if (failure !== null) return failure;
    try {
      return await this.#route(
        request.method,
        route,
        url.searchParams,
        request.headers,
        text,
      );
    } catch (error) {
      return envelopeError(
        500,
        "internal_error",
        `Internal error: ${(error as Error).message}`,
      );
    }
  }

  #takeFailure(method: string, route: string): Response | null {
    const rule = this.#failures.find((r) =>
      r.left > 0 && (r.method === undefined || r.method === method) &&
      (typeof r.path === "string" ? r.path === route : r.path.test(route))
    );
    if (rule === undefined) return null;
    rule.left--;
    const { failure } = rule;
    if ("body" in failure) {
      return new Response(failure.body, {
        status: failure.status,
        headers: {
          "content-type": failure.contentType ?? "text/html",
          ...failure.headers,
        },
      });
    }
    return envelopeError(
      failure.status,
      failure.code,
      failure.message,
      failure,
    );
  }

  async #route(
    method: string,
    route: string,
    query: URLSearchParams,
    headers: Headers,
    text: string,
  ): Promise<Response> {
    const parts = route.split("/").filter((part) => part !== "").map(
      decodeURIComponent,
    );
    if (method === "GET" && route === "/health") {
      return Response.json({
        status: "healthy",
        service: "leger-api",
        version: this.#options.version,
        timestamp: this.#iso(),
        environment: "test",
      });
    }
    if (method === "POST" && route === "/auth/cli") {
      return await this.#authCli(text);
    }
    if (method === "POST" && route === "/auth/validate") {
      const auth = await this.#authorize(
        headers,
        this.#options.authFailureStatus.auth,
      );
      if (auth instanceof Response) return auth;
      const account = this.accounts.get(auth.user_uuid);
      return success({
        token: auth.token,
        user: {
          user_uuid: auth.user_uuid,
          email: account?.login_name ?? auth.login_name,
          display_name: account?.display_name ?? null,
          tailnet: account?.tailnet ?? auth.tailnet,
          created_at: account?.created_at ?? null,
        },
      });
    }
    if (parts[0] === "releases") {
      const auth = await this.#authorize(
        headers,
        this.#options.authFailureStatus.releases,
      );
      if (auth instanceof Response) return auth;
      return this.#releasesRoute(method, parts, query, auth.user_uuid);
    }
    if (parts[0] === "secrets") {
      const auth = await this.#authorize(
        headers,
        this.#options.authFailureStatus.secrets,
      );
      const answer = auth instanceof Response
        ? auth
        : this.#secretsRoute(method, parts, query, auth.user_uuid, text);
      // The worker never lets a secret be cached, and sends no validators
      // (ETag, Last-Modified): a conditional request gets the full answer.
      answer.headers.set("cache-control", "no-store");
      return answer;
    }
    return envelopeError(
      404,
      "not_found",
      `Route not found: ${method} ${route}`,
    );
  }

  async #authCli(text: string): Promise<Response> {
    const body = parseOrText(text);
    if (!isRecord(body)) {
      return envelopeError(
        400,
        "invalid_request",
        "Request body must be a JSON object",
      );
    }
    const tailscale = isRecord(body.tailscale) ? body.tailscale : {};
    const missing = ["user_id", "login_name", "tailnet"].filter((key) =>
      typeof tailscale[key] !== "string" || tailscale[key] === ""
    );
    if (missing.length > 0) {
      return envelopeError(
        400,
        "tailscale_verification_failed",
        `Missing required Tailscale identity fields: ${missing.join(", ")}`,
        {
          action:
            "Make sure Tailscale is running and logged in (`tailscale status`)",
        },
      );
    }
    const userId = tailscale.user_id as string;
    const linked = this.#options.linkedUserIds;
    if (linked !== undefined && !linked.includes(userId)) {
      return envelopeError(
        403,
        "account_not_linked",
        "No leger.run account is linked to this Tailscale identity",
        {
          action:
            "Sign in to leger.run in your browser with Tailscale to create your account",
        },
      );
    }
    const userUuid = await this.#options.userUuidFor(userId);
    const account: FakeAccount = this.accounts.get(userUuid) ?? {
      user_uuid: userUuid,
      user_id: userId,
      login_name: tailscale.login_name as string,
      display_name: null,
      tailnet: tailscale.tailnet as string,
      created_at: this.#iso(),
    };
    this.accounts.set(userUuid, account);
    const token = await this.issueToken({
      user_uuid: userUuid,
      user_id: userId,
      login_name: account.login_name,
      tailnet: account.tailnet,
    });
    return success({
      token,
      token_type: "Bearer",
      expires_in: this.#options.tokenLifetimeSeconds,
      user_uuid: userUuid,
      user: {
        tailscale_email: account.login_name,
        display_name: account.display_name,
      },
    });
  }

  /** Checks the bearer token as the deployed service does, with its messages. */
  async #authorize(
    headers: Headers,
    status: number,
  ): Promise<
    Response | {
      token: string;
      user_uuid: string;
      login_name: string | null;
      tailnet: string | null;
    }
  > {
    const header = headers.get("authorization");
    if (header === null) {
      return envelopeError(
        status,
        "unauthorized",
        "Missing Authorization header",
      );
    }
    const match = /^Bearer (\S+)$/.exec(header);
    if (match === null) {
      return envelopeError(
        status,
        "unauthorized",
        "Invalid Authorization header format. Expected: Bearer <token>",
      );
    }
    const token = match[1];
    const parts = token.split(".");
    const fail = (reason: string) =>
      envelopeError(
        status,
        "authentication_failed",
        `JWT validation failed: ${reason}`,
      );
    if (parts.length !== 3) return fail("Invalid JWT format");
    let payload: Record<string, unknown>;
    let signature: Uint8Array<ArrayBuffer>;
    try {
      const header = JSON.parse(
        new TextDecoder().decode(unbase64url(parts[0])),
      );
      payload = JSON.parse(new TextDecoder().decode(unbase64url(parts[1])));
      signature = unbase64url(parts[2]);
      if (!isRecord(header) || header.alg !== "HS256" || !isRecord(payload)) {
        return fail("Invalid JWT format");
      }
    } catch {
      return fail("Invalid JWT format");
    }
    const valid = await crypto.subtle.verify(
      "HMAC",
      this.#key,
      signature,
      encoder.encode(`${parts[0]}.${parts[1]}`),
    );
    if (!valid) return fail("Invalid signature");
    if (
      typeof payload.exp !== "number" ||
      payload.exp * 1000 <= this.#options.now()
    ) {
      return fail("Token expired");
    }
    return {
      token,
      user_uuid: String(payload.user_uuid),
      login_name: typeof payload.login_name === "string"
        ? payload.login_name
        : null,
      tailnet: typeof payload.tailnet === "string" ? payload.tailnet : null,
    };
  }

  #releasesRoute(
    method: string,
    parts: string[],
    query: URLSearchParams,
    userUuid: string,
  ): Response {
    if (method !== "GET") {
      return envelopeError(404, "not_found", "Route not found");
    }
    const mine = this.#releases
      .filter((release) => release.user_uuid === userUuid)
      .sort((a, b) => b.version - a.version);
    if (parts.length === 1) {
      const name = query.get("name");
      return success({
        releases: name === null
          ? mine
          : mine.filter((release) => release.name === name).slice(0, 1),
      });
    }
    const release = mine.find((r) => r.id === parts[1]);
    if (release === undefined) {
      return envelopeError(404, "not_found", `Release not found: ${parts[1]}`);
    }
    if (parts.length === 2) return success({ release });
    if (parts.length === 3 && parts[2] === "deployment") {
      const deployment = this.#deployments.get(release.id) ?? null;
      return success({ deployment, hasConfiguration: deployment !== null });
    }
    return envelopeError(404, "not_found", "Route not found");
  }

  #secretsRoute(
    method: string,
    parts: string[],
    query: URLSearchParams,
    userUuid: string,
    text: string,
  ): Response {
    if (parts.length === 1 && method === "GET") {
      // The worker includes values only for one `include_values` that is
      // exactly `true`: `TRUE`, `1`, `yes`, `true ` or a repeated parameter
      // get the metadata.
      const flags = query.getAll("include_values");
      const withValues = flags.length === 1 && flags[0] === "true";
      const visible = this.#visibleSecrets(userUuid).slice(
        0,
        MAX_LISTED_SECRETS,
      );
      return success({
        secrets: visible.map((secret) =>
          withValues ? listedWithValue(secret) : withoutValue(secret)
        ),
      });
    }
    if (parts.length !== 2) {
      return envelopeError(404, "not_found", "Route not found");
    }
    const name = parts[1];
    if (RESERVED_SECRET_NAMES.includes(name)) {
      return envelopeError(
        400,
        "validation_error",
        `Secret name "${name}" is reserved`,
        { action: "Choose another name for the secret" },
      );
    }
    if (!SECRET_NAME_REGEXP.test(name)) {
      return envelopeError(
        400,
        "validation_error",
        "Secret name must match ^[a-zA-Z0-9:_-]{1,64}$",
      );
    }
    if (method === "GET") {
      const secret = this.#visibleSecrets(userUuid).find((s) =>
        s.name === name
      );
      if (secret === undefined) {
        return envelopeError(404, "not_found", `Secret not found: ${name}`);
      }
      // The worker records every read of one secret in its store.
      this.#storeWrites++;
      return success({ ...secret });
    }
    if (method === "DELETE") {
      if (!this.deleteSecret(userUuid, name)) {
        return envelopeError(404, "not_found", `Secret not found: ${name}`);
      }
      this.#storeWrites++;
      return success({ name, deleted: true });
    }
    if (method === "POST") {
      const body = parseOrText(text);
      if (!isRecord(body) || typeof body.value !== "string") {
        return envelopeError(
          400,
          "validation_error",
          'Body must be {"value": string, "label"?: string}',
        );
      }
      const size = encoder.encode(body.value).length;
      if (size < 1 || size > MAX_SECRET_BYTES) {
        return envelopeError(
          400,
          "validation_error",
          "Secret value must be 1 byte to 10 KiB of UTF-8",
        );
      }
      const label = typeof body.label === "string" ? body.label : undefined;
      const race = this.#secretRaces.find((r) =>
        r.left > 0 &&
        (r.name === undefined ||
          (typeof r.name === "string" ? r.name === name : r.name.test(name)))
      );
      if (race !== undefined) race.left--;
      this.#storeWrites++;
      return success(
        withoutValue(
          this.#writeSecret(
            userUuid,
            name,
            body.value,
            label,
            race !== undefined,
          ),
        ),
      );
    }
    return envelopeError(404, "not_found", "Route not found");
  }

  /** Writes the next version of a secret; `raced` reads the state before the last write. */
  #writeSecret(
    userUuid: string,
    name: string,
    value: string,
    label: string | undefined,
    raced: boolean,
  ): FakeSecret {
    const secrets = this.#secretsOf(userUuid);
    let entries = secrets.get(name);
    if (entries === undefined) {
      entries = [];
      secrets.set(name, entries);
    }
    const latest = entries.at(-1);
    const previous = (raced ? latest?.before : latest?.secret) ?? null;
    const at = this.#iso();
    const secret: FakeSecret = {
      name,
      ...(label === undefined
        ? (previous?.label === undefined ? {} : { label: previous.label })
        : { label }),
      value,
      version: (previous?.version ?? 0) + 1,
      created_at: previous?.created_at ?? at,
      updated_at: at,
    };
    this.#record(entries, {
      secret,
      before: previous,
      visibleAt: this.#options.now() + this.secretVisibilityDelayMs,
    });
    return secret;
  }

  /** Appends a write, forgetting the writes readers will never see again. */
  #record(entries: SecretEntry[], entry: SecretEntry): void {
    entries.push(entry);
    const now = this.#options.now();
    let visible = -1;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].visibleAt <= now) {
        visible = i;
        break;
      }
    }
    if (visible > 0) entries.splice(0, visible);
  }

  /** The secrets a reader sees now, sorted by name. */
  #visibleSecrets(userUuid: string): FakeSecret[] {
    const now = this.#options.now();
    return this.#view(userUuid, (entries) => {
      for (let i = entries.length - 1; i >= 0; i--) {
        if (entries[i].visibleAt <= now) return entries[i].secret;
      }
      return null;
    });
  }

  #view(
    userUuid: string,
    pick: (entries: SecretEntry[]) => FakeSecret | null,
  ): FakeSecret[] {
    const secrets: FakeSecret[] = [];
    for (const entries of this.#secretsOf(userUuid).values()) {
      const secret = pick(entries);
      if (secret !== null) secrets.push(secret);
    }
    // The worker sorts by name in SQLite's binary order (names are ASCII).
    return secrets.sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
  }

  async #serveStatic(path: string): Promise<Response> {
    const key = decodeURIComponent(path);
    const rule = this.#staticFaults.find((r) =>
      r.left > 0 &&
      (typeof r.path === "string" ? r.path === key : r.path.test(key))
    );
    if (rule !== undefined) rule.left--;
    const fault = rule?.fault;
    if (fault?.type === "redirect") {
      return new Response(null, {
        status: fault.status ?? 302,
        headers: { location: fault.location },
      });
    }
    if (fault?.type === "status") {
      return new Response(fault.body ?? `HTTP ${fault.status}`, {
        status: fault.status,
        headers: { "content-type": "text/plain" },
      });
    }
    const released = Promise.race([
      fault?.type === "hold" && fault.release !== undefined
        ? fault.release.then(() => {}, () => {})
        : new Promise<void>(() => {}),
      this.#closing.promise,
    ]);
    if (fault?.type === "hold" && (fault.phase ?? "headers") === "headers") {
      await released;
    }
    const stored = this.#static.get(key);
    if (fault?.type === "trickle" && stored !== undefined) {
      return trickle(stored, fault.everyMs ?? 2000, this.#closing.promise);
    }
    if (stored === undefined) {
      return new Response("Not Found", {
        status: 404,
        headers: { "content-type": "text/plain" },
      });
    }
    const body = fault?.type === "replace"
      ? (typeof fault.body === "string"
        ? encoder.encode(fault.body)
        : fault.body)
      : stored;
    const headers = {
      "content-type": key.endsWith(".json")
        ? "application/json"
        : "application/octet-stream",
      "content-length": String(body.length),
    };
    if (fault?.type === "truncate" || fault?.type === "hold") {
      const cut = fault.type === "truncate"
        ? Math.min(fault.after ?? Math.floor(body.length / 2), body.length)
        : Math.floor(body.length / 2);
      const stalls = fault.type === "hold";
      let cancelled = false;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          if (cut > 0) controller.enqueue(body.slice(0, cut));
          // A truncated body ends here: the announced length is never reached.
          if (!stalls) controller.close();
        },
        async pull(controller) {
          await released;
          // The client may have given up (a timeout) while the answer was held.
          if (cancelled) return;
          controller.enqueue(body.slice(cut));
          controller.close();
        },
        cancel() {
          cancelled = true;
        },
      });
      return new Response(stream, { headers });
    }
    return new Response(body.slice(), { headers });
  }

  #secretsOf(userUuid: string): Map<string, SecretEntry[]> {
    let secrets = this.#secrets.get(userUuid);
    if (secrets === undefined) {
      secrets = new Map();
      this.#secrets.set(userUuid, secrets);
    }
    return secrets;
  }

  #iso(): string {
    return new Date(this.#options.now()).toISOString();
  }
}

/** An answer whose body comes one byte every `everyMs`, until `closing`. */
function trickle(
  body: Uint8Array,
  everyMs: number,
  closing: Promise<unknown>,
): Response {
  let sent = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake = () => {};
  closing.then(() => {
    closed = true;
    clearTimeout(timer);
    wake();
  });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, everyMs);
        });
      }
      if (closed) return controller.close();
      controller.enqueue(body.slice(sent, ++sent));
      if (sent === body.length) controller.close();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(body.length),
    },
  });
}

function success(data: unknown): Response {
  return Response.json({ success: true, data });
}

function envelopeError(
  status: number,
  code: string,
  message: string,
  extra: { action?: string; docs?: string } = {},
): Response {
  return Response.json({
    success: false,
    error: {
      code,
      message,
      ...(extra.action === undefined ? {} : { action: extra.action }),
      ...(extra.docs === undefined ? {} : { docs: extra.docs }),
    },
  }, { status });
}

/** A secret as `GET /secrets?include_values=true` lists it: no `updated_at`. */
function listedWithValue(secret: FakeSecret): Omit<FakeSecret, "updated_at"> {
  const { updated_at: _updatedAt, ...listed } = secret;
  return listed;
}

function withoutValue(secret: FakeSecret): Omit<FakeSecret, "value"> {
  const { value: _value, ...metadata } = secret;
  return metadata;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

function unbase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

if (import.meta.main) {
  const args = [...Deno.args];
  let port = 8787;
  const statics: [string, string][] = [];
  while (args.length > 0) {
    const flag = args.shift();
    const value = args.shift() ?? "";
    if (flag === "--port") port = Number(value);
    else if (flag === "--static" && value.includes("=")) {
      const at = value.indexOf("=");
      statics.push([value.slice(0, at), value.slice(at + 1)]);
    } else {
      throw new TypeError(
        `Cannot parse argument "${flag}": expected --port N or --static PREFIX=DIR`,
      );
    }
  }
  const server = await LegerRunServer.start({ port });
  for (const [prefix, dir] of statics) await server.addStaticDir(prefix, dir);
  await Deno.stdout.write(encoder.encode(
    `LEGER_API_URL=${server.apiUrl}\nLEGER_STATIC_URL=${server.staticUrl}\nLEGER_WEB_URL=${server.webUrl}\n`,
  ));
}
