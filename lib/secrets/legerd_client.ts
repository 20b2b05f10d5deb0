import { ERROR_CODES, type ErrorCode } from "../errors/codes.ts";
import { LegerError } from "../errors/leger_error.ts";
import {
  readErrorBody,
  readHealth,
  readPurgeResult,
  readRotateResult,
  readSecretStatuses,
  readSyncResult,
} from "./_legerd_shape.ts";
import { ClosedBeforeAnswerError, unixHttpRequest } from "./_unix_http.ts";
import type {
  LegerdHealth,
  PurgeResult,
  RotateRequest,
  RotateResult,
  SecretStatus,
  SyncRequest,
  SyncResult,
} from "./control_api.ts";

/** The Host of every request to legerd (the socket decides where it goes; nothing resolves it). */
const LEGERD_HOST = "legerd";

/**
 * legerd's health as leger reads it: `config` (legerd.yaml and the error of
 * its last reload) is absent when a legerd older than this leger answers.
 */
export type LegerdHealthAnswer =
  & Omit<LegerdHealth, "config">
  & Partial<Pick<LegerdHealth, "config">>;

/**
 * What leger asks of legerd, one method per route of its local API
 * (`control_api.ts`). {@linkcode LegerdClient} speaks it over the socket;
 * tests and scripts may pass anything else that does.
 */
export interface LegerdApi {
  /** `GET /v1/health`. */
  health(): Promise<LegerdHealthAnswer>;
  /** `GET /v1/secrets`: the secrets legerd knows of, sorted by name. */
  secrets(): Promise<SecretStatus[]>;
  /** `POST /v1/sync`. */
  sync(request?: SyncRequest): Promise<SyncResult>;
  /** `POST /v1/rotate`. */
  rotate(request: RotateRequest): Promise<RotateResult>;
  /** `POST /v1/purge`. */
  purge(): Promise<PurgeResult>;
}

/** Options for {@linkcode LegerdClient}. */
export interface LegerdClientOptions {
  /**
   * The scope of the legerd on the socket, for the commands its errors
   * name (`systemctl --user …` or `systemctl …`).
   *
   * @default {"user"}
   */
  scope?: "user" | "system";
  /**
   * How long `health()` and `secrets()` may take, in milliseconds: legerd
   * answers them from memory.
   *
   * @default {5000}
   */
  readTimeoutMs?: number;
  /**
   * How long `sync()`, `rotate()` and `purge()` may take, in milliseconds:
   * they ask leger.run, run Podman and restart services.
   *
   * @default {120000}
   */
  changeTimeoutMs?: number;
  /**
   * Aborts a request in flight (Ctrl-C): the promise rejects with the
   * signal's reason. legerd finishes the step it is on regardless.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * A client of legerd's control socket (`legerdSocketPath()` in
 * `lib/auth`): JSON over HTTP on a unix socket, no secret value in either
 * direction. Every failure is a `LegerError` that says what to do:
 *
 * - no socket, or nothing listening on it: `ERR_LEGERD_NOT_RUNNING`, whose
 *   remedy is the command that starts legerd in that scope
 *   (`systemctl --user enable --now legerd.service`, or
 *   `systemctl enable --now legerd.service` for the system scope), and the
 *   one that says why it stopped should it not stay up
 *   (`systemctl [--user] status legerd.service`);
 * - the socket refuses this user (it is 0600): `ERR_LEGERD_ACCESS_DENIED`;
 * - legerd answers with an error: that error, its code, message and fix
 *   (`ERR_LEGERD_PROTOCOL` when leger does not know the code);
 * - an answer leger cannot read: `ERR_LEGERD_PROTOCOL`, naming the field;
 * - no answer in time: `ERR_LEGERD_TIMEOUT`;
 * - legerd closes the connection before answering (it stopped, was killed
 *   or restarted with the request in hand): `ERR_LEGERD_DISCONNECTED`, which
 *   says that a change asked for may be half done;
 * - leger's network permission does not name the socket:
 *   `ERR_NETWORK_NOT_ALLOWED`, with the flag it needs;
 * - the connection breaks: `ERR_NETWORK_FAILED`.
 *
 * Requires `--allow-net=unix:<socketPath>`.
 *
 * @example Usage
 * ```ts ignore
 * import { LegerdClient } from "./legerd_client.ts";
 * import { legerdSocketPath } from "../auth/legerd_socket_path.ts";
 * import { ok } from "node:assert/strict";
 *
 * const path = legerdSocketPath("user", { env: (n) => Deno.env.get(n), uid: Deno.uid()! });
 * const legerd = new LegerdClient(path, { scope: "user" });
 * const health = await legerd.health();
 * ok(["ok", "degraded", "starting"].includes(health.status));
 * const result = await legerd.sync({ service: "web", dry_run: true });
 * ok(Array.isArray(result.plan.create));
 * ```
 */
export class LegerdClient implements LegerdApi {
  /** The socket's path. */
  readonly socketPath: string;
  /** The scope of the legerd on it. */
  readonly scope: "user" | "system";
  #readTimeoutMs: number;
  #changeTimeoutMs: number;
  #signal?: AbortSignal;

  /**
   * Creates a client; nothing connects until a method is called.
   *
   * @param socketPath legerd's control socket.
   * @param options The scope, the time limits and an abort signal.
   */
  constructor(socketPath: string, options: LegerdClientOptions = {}) {
    const {
      scope = "user",
      readTimeoutMs = 5000,
      changeTimeoutMs = 120_000,
    } = options;
    this.socketPath = socketPath;
    this.scope = scope;
    this.#readTimeoutMs = readTimeoutMs;
    this.#changeTimeoutMs = changeTimeoutMs;
    this.#signal = options.signal;
  }

  /**
   * `GET /v1/health`: how legerd is doing.
   *
   * @returns Its health (without `config` from an older legerd).
   * @throws {LegerError} See {@linkcode LegerdClient}.
   */
  async health(): Promise<LegerdHealthAnswer> {
    return await this.#request("read legerd's health", "GET", "/v1/health", {
      read: readHealth,
    });
  }

  /**
   * `GET /v1/secrets`: the secrets the installed units need and those legerd
   * manages, with their state; never a value.
   *
   * @returns The secrets, sorted by name.
   * @throws {LegerError} See {@linkcode LegerdClient}.
   */
  async secrets(): Promise<SecretStatus[]> {
    return await this.#request(
      "list the secrets legerd manages",
      "GET",
      "/v1/secrets",
      { read: readSecretStatuses },
    );
  }

  /**
   * `POST /v1/sync`: reconciles Podman's secrets with leger.run now.
   *
   * @param request Which secrets (a service's, or names), `force`, `dry_run`.
   * @returns The plan and what was applied of it.
   * @throws {LegerError} See {@linkcode LegerdClient}.
   */
  async sync(request: SyncRequest = {}): Promise<SyncResult> {
    return await this.#request("sync the secrets", "POST", "/v1/sync", {
      read: readSyncResult,
      body: request,
    });
  }

  /**
   * `POST /v1/rotate`: fetches one secret from leger.run now, writes it to
   * Podman and restarts the running services that use it.
   *
   * @param request The secret, and whether to restart (default `true`).
   * @returns Its version, whether it changed, the services restarted.
   * @throws {LegerError} See {@linkcode LegerdClient}.
   */
  async rotate(request: RotateRequest): Promise<RotateResult> {
    return await this.#request(
      `rotate secret "${request.name}"`,
      "POST",
      "/v1/rotate",
      { read: readRotateResult, body: request },
    );
  }

  /**
   * `POST /v1/purge`: removes every leger-managed Podman secret.
   *
   * @returns The secrets removed.
   * @throws {LegerError} See {@linkcode LegerdClient}.
   */
  async purge(): Promise<PurgeResult> {
    return await this.#request(
      "remove the Podman secrets legerd manages",
      "POST",
      "/v1/purge",
      { read: readPurgeResult, body: {} },
    );
  }

  async #request<T>(
    action: string,
    method: "GET" | "POST",
    route: string,
    options: { read: (value: unknown) => T; body?: unknown },
  ): Promise<T> {
    const timeoutMs = method === "GET"
      ? this.#readTimeoutMs
      : this.#changeTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = this.#signal === undefined
      ? timeout
      : AbortSignal.any([this.#signal, timeout]);
    let answer;
    try {
      answer = await unixHttpRequest(this.socketPath, {
        method,
        route,
        host: LEGERD_HOST,
        body: options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
        signal,
      });
    } catch (error) {
      if (this.#signal?.aborted && error === this.#signal.reason) throw error;
      if (timeout.aborted) {
        throw new LegerError(
          "ERR_LEGERD_TIMEOUT",
          `Cannot ${action}: legerd did not answer within ${
            seconds(timeoutMs)
          } (${this.socketPath})`,
          { remedy: this.#logRemedy() },
        );
      }
      if (error instanceof ClosedBeforeAnswerError) {
        throw this.#disconnected(action, method);
      }
      if (error instanceof SyntaxError) {
        throw this.#protocol(
          action,
          `what answers on the socket does not speak HTTP: ${error.message}`,
          error,
        );
      }
      throw this.#failure(action, error);
    }
    const { status } = answer;
    let document: unknown;
    try {
      document = JSON.parse(answer.body);
    } catch (error) {
      throw this.#protocol(
        action,
        `legerd answered HTTP ${status} with a body that is not JSON`,
        error,
      );
    }
    if (status >= 400) throw this.#answeredError(action, status, document);
    try {
      return options.read(document);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw this.#protocol(
        action,
        `legerd answered a document leger does not understand: ${error.message}`,
        error,
      );
    }
  }

  /** An error legerd answered with, as the LegerError it describes. */
  #answeredError(
    action: string,
    status: number,
    document: unknown,
  ): LegerError {
    let error;
    try {
      error = readErrorBody(document);
    } catch (shape) {
      if (!(shape instanceof TypeError)) throw shape;
      return this.#protocol(
        action,
        `legerd answered HTTP ${status} without an error leger understands: ${shape.message}`,
        shape,
      );
    }
    // legerd words its messages as leger does ("Cannot …"); one that does
    // not still says what leger was doing.
    const message = /^Cannot /.test(error.message)
      ? error.message
      : `Cannot ${action}: ${error.message}`;
    if (!Object.hasOwn(ERROR_CODES, error.code)) {
      return new LegerError(
        "ERR_LEGERD_PROTOCOL",
        `${message} (legerd's code ${error.code}, which this leger does not know)`,
        error.fix === undefined ? {} : { remedy: error.fix },
      );
    }
    return new LegerError(
      error.code as ErrorCode,
      message,
      error.fix === undefined ? {} : { remedy: error.fix },
    );
  }

  #protocol(action: string, why: string, cause: unknown): LegerError {
    return new LegerError(
      "ERR_LEGERD_PROTOCOL",
      `Cannot ${action}: ${why} (${this.socketPath})`,
      { cause },
    );
  }

  /**
   * legerd went away with the request in hand: not a protocol problem, and
   * a change may have been done in part.
   */
  #disconnected(
    action: string,
    method: "GET" | "POST",
  ): LegerError {
    const status = this.scope === "system"
      ? "systemctl status legerd.service"
      : "systemctl --user status legerd.service";
    return new LegerError(
      "ERR_LEGERD_DISCONNECTED",
      `Cannot ${action}: legerd closed the connection before answering: it stopped or restarted during the request${
        method === "POST" ? ", so the step may be half done" : ""
      } (${this.socketPath})`,
      {
        // No cause: "the connection closed without an answer" says it again.
        remedy: method === "POST"
          ? `Check \`${status}\`; a sync or rotate is safe to run again`
          : `Check \`${status}\`, then run the command again`,
      },
    );
  }

  /** What a failed connection means, from the system's error. */
  #failure(action: string, error: unknown): LegerError {
    const path = this.socketPath;
    if (error instanceof Deno.errors.NotCapable) {
      return new LegerError(
        "ERR_NETWORK_NOT_ALLOWED",
        `Cannot ${action}: leger's permissions do not let it connect to legerd's socket ${path}`,
        {
          cause: error,
          remedy:
            `Run leger with --allow-net=unix:${path} (the socket is where XDG_RUNTIME_DIR says; check that it is set as legerd's is)`,
        },
      );
    }
    // No socket (or no folder for it); a socket nothing listens on, as a
    // killed legerd leaves it, or a file in its place.
    const absent = error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory;
    if (absent || error instanceof Deno.errors.ConnectionRefused) {
      return new LegerError(
        "ERR_LEGERD_NOT_RUNNING",
        `Cannot ${action}: legerd is not running (${
          absent ? "no control socket at" : "nothing listens on"
        } ${path})`,
        {
          remedy:
            `Start it with \`${this.startCommand}\`; if it does not stay up, \`${this.#statusCommand}\` says why`,
        },
      );
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      return new LegerError(
        "ERR_LEGERD_ACCESS_DENIED",
        `Cannot ${action}: legerd's control socket ${path} refuses this user`,
        {
          remedy: this.scope === "system"
            ? "Run the command as root (with sudo): the system scope's legerd answers root only"
            : "Run the command as the user legerd runs for: its socket is 0600",
        },
      );
    }
    if (!(error instanceof Error)) throw error;
    return new LegerError(
      "ERR_NETWORK_FAILED",
      `Cannot ${action}: the connection to legerd at ${path} failed: ${error.message}`,
      { cause: error, remedy: this.#logRemedy() },
    );
  }

  /** The command that starts legerd in this client's scope. */
  get startCommand(): string {
    return this.scope === "system"
      ? "systemctl enable --now legerd.service"
      : "systemctl --user enable --now legerd.service";
  }

  /** The command that says why legerd stopped: a bad legerd.yaml makes it exit, and starting it again fails again. */
  get #statusCommand(): string {
    return this.scope === "system"
      ? "systemctl status legerd.service"
      : "systemctl --user status legerd.service";
  }

  #logRemedy(): string {
    const journal = this.scope === "system"
      ? "journalctl -u legerd.service"
      : "journalctl --user -u legerd.service";
    return `Read legerd's log with \`${journal}\`, then run the command again`;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
