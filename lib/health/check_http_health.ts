import { redactUrl } from "../errors/redact_url.ts";
import { healthUrlProblem } from "../quadlet/health_url.ts";

/** What an HTTP health check found. */
export interface HttpHealthResult {
  /**
   * `healthy`: an attempt answered 2xx or 3xx (redirects are not followed);
   * `unhealthy`: every attempt answered something else, timed out or could
   * not connect; `refused`: the URL's host is not loopback, its port is out
   * of range, or it is no http(s) URL, and nothing was fetched.
   */
  state: "healthy" | "unhealthy" | "refused";
  /** The HTTP status of the last answer; `null` when there was none. */
  status: number | null;
  /** How many requests were made (0 when refused). */
  attempts: number;
  /** What happened, in a few words, for a person. */
  detail: string;
  /** What to do about a refused check; `null` otherwise. */
  remedy: string | null;
}

/** Options for {@linkcode checkHttpHealth}. */
export interface CheckHttpHealthOptions {
  /**
   * Sends the requests.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * How long one attempt may take, in milliseconds.
   *
   * @default {5000}
   */
  timeoutMs?: number;
  /**
   * How many more attempts after a failed one.
   *
   * @default {2}
   */
  retries?: number;
  /**
   * The pause between two attempts, in milliseconds.
   *
   * @default {200}
   */
  retryDelayMs?: number;
  /**
   * Aborts the check (Ctrl-C): the promise rejects with the signal's reason.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Checks a service's health over HTTP: a `GET` of `url` that must answer
 * 2xx or 3xx (a redirect is an answer: it is not followed) within the
 * timeout, tried up to `retries` more times when it does not. Health checks
 * reach loopback only (`HEALTH_CHECK_HOSTS`: 127.0.0.1, localhost and
 * [::1], not the rest of leger's network allow-list); a URL to another host,
 * with a port outside 1-65535 or no http(s) URL is not fetched: the check is
 * `refused`, and says how to make it one leger can run (`healthUrlProblem`).
 * `localhost` is fetched at 127.0.0.1, so that a host without `/etc/hosts`
 * checks it too (Deno's fetch then sends `Host: 127.0.0.1:PORT`). A fetch
 * failure is worded plainly: "connection refused", "no answer within 5 s",
 * "name not resolved". Nothing here throws for the service's sake: a
 * failure is a result, and its text never holds the URL's credentials.
 *
 * Requires `--allow-net` for 127.0.0.1 and [::1].
 *
 * @param url The health URL, such as `http://127.0.0.1:8080/health`.
 * @param options `fetch`, the timeout, the retries and their pause.
 * @returns What the check found.
 * @throws {DOMException} The reason of `options.signal` when it aborts.
 *
 * @example Usage
 * ```ts
 * import { checkHttpHealth } from "./check_http_health.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const refused = await checkHttpHealth("http://10.0.0.5:8080/health");
 * strictEqual(refused.state, "refused");
 * strictEqual(refused.attempts, 0);
 *
 * const fetch = () => Promise.resolve(new Response(null, { status: 204 }));
 * strictEqual((await checkHttpHealth("http://127.0.0.1:8080/", { fetch })).state, "healthy");
 * ```
 */
export async function checkHttpHealth(
  url: string,
  options: CheckHttpHealthOptions = {},
): Promise<HttpHealthResult> {
  const {
    fetch = globalThis.fetch,
    timeoutMs = 5000,
    retries = 2,
    retryDelayMs = 200,
    signal,
  } = options;
  const refusal = refuse(url);
  if (refusal !== null) return refusal;
  const target = new URL(url.trim());
  if (target.hostname.toLowerCase() === "localhost") {
    target.hostname = "127.0.0.1";
  }
  let last = { status: null as number | null, problem: "" };
  let attempts = 0;
  while (attempts <= retries) {
    if (attempts > 0 && retryDelayMs > 0) await pause(retryDelayMs, signal);
    attempts++;
    last = await attempt(target.href, { fetch, timeoutMs, signal });
    if (last.status !== null && last.status >= 200 && last.status < 400) {
      return {
        state: "healthy",
        status: last.status,
        attempts,
        detail: `HTTP ${last.status}`,
        remedy: null,
      };
    }
  }
  return {
    state: "unhealthy",
    status: last.status,
    attempts,
    detail: `${last.problem} (${attempts} ${
      attempts === 1 ? "attempt" : "attempts"
    })`,
    remedy: null,
  };
}

/** One request: its status, or why there is none. */
async function attempt(
  url: string,
  options: {
    fetch: typeof fetch;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<{ status: number | null; problem: string }> {
  const { fetch, timeoutMs, signal } = options;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const both = signal === undefined
    ? timeout.signal
    : AbortSignal.any([signal, timeout.signal]);
  try {
    const response = await fetch(url, { redirect: "manual", signal: both });
    // Read nothing of the body, and let the connection go.
    await response.body?.cancel();
    return {
      status: response.status,
      problem: `HTTP ${response.status}${
        response.statusText ? ` ${response.statusText}` : ""
      }`,
    };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.signal.aborted) {
      return {
        status: null,
        problem: `no answer within ${seconds(timeoutMs)}`,
      };
    }
    return { status: null, problem: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function refuse(url: string): HttpHealthResult | null {
  const problem = healthUrlProblem(url);
  if (problem === null) return null;
  return {
    state: "refused",
    status: null,
    attempts: 0,
    detail: `not checked: ${problem.reason}`,
    remedy: problem.remedy,
  };
}

/** A fetch failure in a few words: "connection refused", not Deno's chain. */
function describe(error: unknown): string {
  const text = error instanceof Error
    ? `${error.message} ${String((error.cause as Error)?.message ?? "")}`
    : String(error);
  if (/connection refused/i.test(text)) return "connection refused";
  if (/connection reset/i.test(text)) return "connection reset";
  if (/dns error|failed to lookup|name or service not known/i.test(text)) {
    return "name not resolved";
  }
  if (/timed out/i.test(text)) return "timed out";
  if (/network is unreachable/i.test(text)) return "network unreachable";
  if (/certificate|tls|ssl/i.test(text)) return "TLS handshake failed";
  if (error instanceof Deno.errors.NotCapable) {
    return "leger's permissions do not allow connecting to it";
  }
  // Deno's message repeats the URL: never its credentials.
  return redactUrl(firstLine(text));
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0];
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
