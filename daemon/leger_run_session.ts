/**
 * legerd's side of leger.run: the token of `auth.json` (read again when the
 * file changes), the one list request per poll, and logging in again with
 * the machine's Tailscale identity when leger.run refuses the token.
 *
 * @module
 */
import { LegerRunClient } from "../lib/api/leger_run_client.ts";
import { LegerRunApiError } from "../lib/api/leger_run_api_error.ts";
import { isAuthExpired } from "../lib/auth/is_auth_expired.ts";
import { loadAuthState } from "../lib/auth/load_auth_state.ts";
import { loginWithTailscale } from "../lib/auth/login_with_tailscale.ts";
import type { AuthState } from "../lib/auth/parse_auth_state.ts";
import { LegerError } from "../lib/errors/leger_error.ts";
import type { BackendSecret } from "../lib/secrets/plan_reconcile.ts";
import type { LegerdError, LegerdHealth } from "../lib/secrets/control_api.ts";
import type { TailscaleStatus } from "../lib/tailscale/parse_tailscale_status.ts";

/** Options for {@linkcode LegerRunSession}. */
export interface LegerRunSessionOptions {
  /** The API's base URL. */
  apiUrl: string;
  /** The web UI's base URL, for hints. */
  webUrl: string;
  /** `auth.json`. */
  authFile: string;
  /** Sends the HTTP requests. */
  fetch: typeof fetch;
  /** The clock. */
  now(): Date;
  /** Log lines (never a token or a value). */
  log(line: string): void;
  /** Reads the Tailscale status for logging in again. */
  readTailscale(action: string): Promise<TailscaleStatus>;
  /** legerd's version, sent as `cli_version`. */
  version: string;
  /** Called when this session wrote `auth.json`. */
  onWrite(): void;
}

/** What the session knows about leger.run, for `health()`. */
export type LegerRunState = Omit<LegerdHealth["leger_run"], "api_url">;

/** The Tailscale part of `health()`. */
export type TailscaleState = LegerdHealth["tailscale"];

/** How the file was when it was last read. */
interface Seen {
  mtime: number | null;
  size: number;
  ino: number | null;
  state: AuthState | null;
}

const TAILSCALE_CODES = new Set([
  "ERR_TAILSCALE_NOT_INSTALLED",
  "ERR_TAILSCALE_NOT_RUNNING",
  "ERR_TAILSCALE_NOT_AUTHENTICATED",
  "ERR_TAILSCALE_STATUS_UNREADABLE",
]);

/**
 * leger.run as legerd talks to it. {@linkcode LegerRunSession.listSecrets}
 * makes one `GET /secrets?include_values=true` in the steady state; an
 * expired or refused token makes it log in again (one `POST /auth/cli`,
 * `auth.json` written atomically) and ask once more.
 *
 * @example Usage
 * ```ts ignore
 * const session = new LegerRunSession({ apiUrl, webUrl, authFile, fetch, now, log, readTailscale, version, onWrite });
 * const secrets = await session.listSecrets();
 * ```
 */
export class LegerRunSession {
  /** leger.run's reachability, login and last error. */
  state: LegerRunState = { reachable: null, auth: "ok", last_error: null };
  /** The Tailscale state as last seen when logging in again. */
  tailscale: TailscaleState = { state: null, error: null };
  #options: LegerRunSessionOptions;
  #seen: Seen | null = null;
  #warnedFull = false;

  /**
   * Creates the session.
   *
   * @param options The URLs, the file, `fetch`, the clock, the log and the Tailscale reader.
   */
  constructor(options: LegerRunSessionOptions) {
    this.#options = options;
  }

  /**
   * Fetches every secret with its value, logging in again once when the
   * token has expired or is refused.
   *
   * @returns leger.run's secrets.
   * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` without `auth.json`;
   * what logging in again throws (Tailscale's codes,
   * `ERR_ACCOUNT_NOT_LINKED`, …); `ERR_API_UNREACHABLE`, `ERR_API_ERROR`.
   */
  async listSecrets(): Promise<BackendSecret[]> {
    try {
      let state = await this.#login();
      if (state === null) throw this.#missing();
      if (isAuthExpired(state, this.#options.now())) {
        state = await this.#relogin(
          `the leger.run login expired at ${state.expires_at}`,
        );
      }
      let secrets;
      try {
        secrets = await this.#list(state.token);
      } catch (error) {
        if (!isRefused(error)) throw error;
        state = await this.#relogin("leger.run refused the token");
        try {
          secrets = await this.#list(state.token);
        } catch (again) {
          if (isRefused(again)) this.state.auth = "expired";
          throw again;
        }
      }
      this.state = { reachable: true, auth: "ok", last_error: null };
      return secrets;
    } catch (error) {
      if (error instanceof LegerError) this.recordFailure(error);
      throw error;
    }
  }

  /**
   * Looks at `auth.json` without asking leger.run, for a sync that has
   * nothing to ask it: `health()` then still says whether there is a login.
   */
  async checkLogin(): Promise<void> {
    const state = await this.#login();
    if (state === null) this.state.auth = "missing";
    else if (this.state.auth === "missing") this.state.auth = "ok";
  }

  /**
   * Whether `auth.json` is there (one stat; the file is not read): without
   * it, what leger.run last listed no longer tells what it holds for the
   * next login.
   *
   * @returns `false` when the file is gone.
   */
  async hasLogin(): Promise<boolean> {
    try {
      await Deno.stat(this.#options.authFile);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  /**
   * Asks tailscaled for its state, for `health()`: what it answered, or why
   * it could not be asked, ends up in {@linkcode LegerRunSession.tailscale}.
   * Never fails.
   */
  async checkTailscale(): Promise<void> {
    try {
      await this.#readTailscale("read the Tailscale state");
    } catch (error) {
      // Kept in `tailscale.error`; a bug is logged too.
      if (!(error instanceof LegerError)) {
        this.#options.log(
          `Cannot read the Tailscale state: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    }
  }

  /** The Tailscale status, with what it said (or why not) kept for `health()`. */
  async #readTailscale(action: string): Promise<TailscaleStatus> {
    try {
      const status = await this.#options.readTailscale(action);
      this.tailscale = { state: status.backendState, error: null };
      return status;
    } catch (error) {
      this.tailscale = { state: null, error: whyNot(error, action) };
      throw error;
    }
  }

  async #list(token: string): Promise<BackendSecret[]> {
    const { apiUrl, webUrl, fetch } = this.#options;
    const client = new LegerRunClient(apiUrl, { token, webUrl, fetch });
    const listed = await client.listSecretValues();
    if (listed.length >= 1000 && !this.#warnedFull) {
      this.#warnedFull = true;
      this.#options.log(
        "leger.run listed 1,000 secrets, the most it lists: secrets past those are not seen and count as missing",
      );
    }
    return listed.map(({ name, value, version, created_at }) => ({
      name,
      value,
      version,
      created_at,
    }));
  }

  /** The login of auth.json, read again only when the file changed. */
  async #login(): Promise<AuthState | null> {
    const { authFile } = this.#options;
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(authFile);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#seen = null;
      return null;
    }
    const seen = this.#seen;
    if (
      seen !== null && seen.mtime === (info.mtime?.getTime() ?? null) &&
      seen.size === info.size && seen.ino === info.ino
    ) {
      return seen.state;
    }
    let state: AuthState | null;
    try {
      state = await loadAuthState(authFile);
    } catch (error) {
      // A file that cannot be parsed is a login to make again.
      if (
        !(error instanceof LegerError) ||
        error.code !== "ERR_LEGER_NOT_AUTHENTICATED"
      ) throw error;
      return await this.#relogin(`${authFile} holds no login`);
    }
    this.#seen = {
      mtime: info.mtime?.getTime() ?? null,
      size: info.size,
      ino: info.ino,
      state,
    };
    return state;
  }

  async #relogin(reason: string): Promise<AuthState> {
    const { apiUrl, webUrl, authFile, fetch, now, log, version } =
      this.#options;
    log(
      `Logging in to leger.run again with this machine's Tailscale identity: ${reason}`,
    );
    let login;
    try {
      login = await loginWithTailscale({
        apiUrl,
        webUrl,
        fetch,
        now,
        version,
        authFile,
        action: "log in to leger.run again",
        readStatus: (action) => this.#readTailscale(action),
      });
    } catch (error) {
      this.state.auth = "expired";
      // Read, but not logged in to Tailscale (NeedsLogin…): say why.
      if (error instanceof LegerError && TAILSCALE_CODES.has(error.code)) {
        this.tailscale.error = whyNot(error, "log in to leger.run again");
      }
      throw error;
    }
    this.#options.onWrite();
    this.#seen = null;
    log(
      `Logged in to leger.run again as ${login.state.login_name} (until ${login.state.expires_at})`,
    );
    return login.state;
  }

  #missing(): LegerError {
    this.state.auth = "missing";
    return new LegerError(
      "ERR_LEGER_NOT_AUTHENTICATED",
      `Cannot fetch the leger.run secrets: there is no leger.run login (no ${this.#options.authFile})`,
      {
        remedy:
          "Run `leger auth login` as the user legerd runs as (root for the system scope)",
      },
    );
  }

  /**
   * Remembers a failure of leger.run for `health()`: one of a request, or
   * an answer legerd cannot use.
   *
   * @param error The failure.
   */
  recordFailure(error: LegerError): void {
    // Unreachable: no answer. An answer of the API, even a refusal: reached.
    // A failure before any request (no login, Tailscale): as it was.
    const answered = error instanceof LegerRunApiError ||
      error.code === "ERR_API_ERROR";
    this.state = {
      reachable: error.code === "ERR_API_UNREACHABLE"
        ? false
        : answered
        ? true
        : this.state.reachable,
      auth: this.state.auth,
      last_error: toLegerdError(error, this.#options.now()),
    };
  }
}

/**
 * A leger error as legerd remembers and answers it.
 *
 * @param error The error.
 * @param at When it happened.
 * @returns Its code, message, fix and time.
 *
 * @example Usage
 * ```ts
 * import { toLegerdError } from "./leger_run_session.ts";
 * import { LegerError } from "../lib/errors/leger_error.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   toLegerdError(new LegerError("ERR_API_ERROR", "Cannot x", { remedy: "Try again" }), new Date(0)),
 *   { code: "ERR_API_ERROR", message: "Cannot x", fix: "Try again", at: "1970-01-01T00:00:00.000Z" },
 * );
 * ```
 */
export function toLegerdError(error: LegerError, at: Date): LegerdError {
  return {
    code: error.code,
    message: error.message,
    fix: error.remedy,
    at: at.toISOString(),
  };
}

/** Why Tailscale could not be asked, without the "Cannot <action>: " of the error. */
function whyNot(error: unknown, action: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `Cannot ${action}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function isRefused(error: unknown): boolean {
  return error instanceof LegerError &&
    error.code === "ERR_LEGER_NOT_AUTHENTICATED";
}
