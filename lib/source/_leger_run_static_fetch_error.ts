/** Why a static file could not be fetched. */
export type StaticFetchFailure =
  /** The server answered with an HTTP error status. */
  | "status"
  /** The connection failed (refused, reset, DNS, TLS…). */
  | "network"
  /** No answer before the connect timeout, or the file not whole before the file timeout. */
  | "timeout"
  /** The body ended before the length the server announced. */
  | "truncated"
  /** The file is larger than leger accepts. */
  | "too-large";

/** The facts of one failed fetch, for {@linkcode StaticFetchError}. */
export interface StaticFetchErrorInfo {
  url: string;
  failure: StaticFetchFailure;
  /** A phrase that completes "<url> …": `answered HTTP 404 Not Found`. */
  reason: string;
  /** The HTTP status, for `failure: "status"`. */
  status?: number;
  /** How many requests were made (1 plus the retries). */
  attempts: number;
  cause?: unknown;
}

/**
 * A static file of leger.run that could not be fetched, with the facts a
 * caller needs to word its own error: the manifest of a version that does
 * not exist, a file a unit names, the `latest/` folder that the deployed
 * service lacks (a 404 the caller catches on purpose).
 *
 * @example Usage
 * ```ts
 * import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = new StaticFetchError({
 *   url: "https://static.leger.run/u/v9/manifest.json",
 *   failure: "status",
 *   status: 404,
 *   reason: "answered HTTP 404 Not Found",
 *   attempts: 1,
 * });
 * strictEqual(error.message, "https://static.leger.run/u/v9/manifest.json answered HTTP 404 Not Found");
 * strictEqual(error.notFound, true);
 * ```
 */
export class StaticFetchError extends Error {
  override name = "StaticFetchError";
  readonly url: string;
  readonly failure: StaticFetchFailure;
  readonly reason: string;
  readonly status?: number;
  readonly attempts: number;

  /**
   * Creates the error.
   *
   * @param info What failed and how.
   */
  constructor(info: StaticFetchErrorInfo) {
    super(
      `${info.url} ${info.reason}`,
      info.cause === undefined ? undefined : { cause: info.cause },
    );
    this.url = info.url;
    this.failure = info.failure;
    this.reason = info.reason;
    this.status = info.status;
    this.attempts = info.attempts;
  }

  /** Whether the server said the file does not exist (HTTP 404 or 410). */
  get notFound(): boolean {
    return this.status === 404 || this.status === 410;
  }
}
