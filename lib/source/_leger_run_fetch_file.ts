import { fetchAllowed } from "../api/fetch_allowed.ts";
import { networkNotAllowed } from "../api/network_not_allowed.ts";
import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";

const MIB = 1024 * 1024;

/** What leger is doing, for the errors of a refused redirect. */
const FETCH_ACTION = "fetch the deployment from leger.run";

/**
 * How one static file of leger.run is fetched: timeouts, retries, size limit,
 * `fetch` and abort signal. `FetchLegerRunSourceOptions` takes its
 * timeouts, retries, `delay` and `signal` from here.
 */
export interface FetchStaticFileOptions {
  /**
   * The `fetch` to use.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Gives up on an attempt when the answer's headers have not arrived after
   * this many milliseconds: Deno's `fetch` has no connect timeout of its
   * own, so this one covers DNS, TCP, TLS and the server's first byte.
   *
   * @default {10000}
   */
  connectTimeoutMs?: number;
  /**
   * Gives up on an attempt when the whole file has not arrived after this
   * many milliseconds.
   *
   * @default {60000}
   */
  fileTimeoutMs?: number;
  /**
   * How many times a network error, a timeout, a truncated body or an HTTP
   * 5xx answer is retried. A 4xx answer is never retried.
   *
   * @default {3}
   */
  retries?: number;
  /**
   * The wait before each retry, in milliseconds; the last one repeats.
   *
   * @default {[500, 1000, 2000]}
   */
  retryDelaysMs?: readonly number[];
  /**
   * Waits before a retry (tests pass one that returns at once).
   *
   * @default {a timer that the signal cancels}
   */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Largest body accepted, in bytes.
   *
   * @default {1048576}
   */
  maxBytes?: number;
  /**
   * Stops the fetch (and any wait for a retry); its reason is thrown as is.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Fetches one static file of leger.run (a manifest or a file of a rendered
 * deployment) with timeouts, bounded retries and a size limit, and returns
 * its bytes exactly as served.
 *
 * Timeouts: Deno's `fetch` has no connect timeout of its own and resolves as
 * soon as the answer's headers arrive, so the connect timeout is measured up
 * to the headers (it covers DNS, TCP, TLS and the server's first byte), and
 * the file timeout from the start of the attempt to the last byte of the
 * body. Both are plain timers cleared when the attempt ends, feeding one
 * `AbortController` (`AbortSignal.timeout()` cannot be cancelled, and would
 * keep a timer alive for every file long after it arrived).
 *
 * Retries: network errors, timeouts, truncated bodies and HTTP 5xx answers
 * are tried again `retries` times, after `retryDelaysMs`; any other HTTP
 * error (a 404 for a version that does not exist) fails at once. A body
 * shorter than its `Content-Length`, or a connection that breaks while the
 * body is read, is a truncated body, never a short file.
 *
 * Requires `--allow-net` for the URL's host.
 *
 * @param url The file's URL.
 * @param options Timeouts, retries, size limit, `fetch` and signal.
 * @returns The body's bytes.
 * @throws {StaticFetchError} When the file cannot be fetched whole.
 * @throws {LegerError} `ERR_NETWORK_NOT_ALLOWED` naming the host when leger
 * may not connect to it: the server redirected elsewhere than leger.run's
 * hosts and loopback (`fetchAllowed()`: not followed, never retried).
 *
 * @example Usage
 * ```ts
 * import { fetchStaticFile } from "./_leger_run_fetch_file.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * let calls = 0;
 * const fetch = (() =>
 *   Promise.resolve(
 *     ++calls === 1 ? new Response("busy", { status: 503 }) : new Response("[Container]\n"),
 *   )) as typeof globalThis.fetch;
 * const bytes = await fetchStaticFile("https://static.leger.run/u/v1/web.container", {
 *   fetch,
 *   delay: () => Promise.resolve(),
 * });
 * strictEqual(new TextDecoder().decode(bytes), "[Container]\n");
 * strictEqual(calls, 2);
 * ```
 */
export async function fetchStaticFile(
  url: string,
  options: FetchStaticFileOptions = {},
): Promise<Uint8Array> {
  const {
    retries = 3,
    retryDelaysMs = [500, 1000, 2000],
    delay = wait,
    signal,
  } = options;
  for (let attempt = 1;; attempt++) {
    try {
      return await fetchOnce(url, attempt, options);
    } catch (error) {
      if (
        !(error instanceof StaticFetchError) || !isRetryable(error) ||
        attempt > retries
      ) {
        throw error;
      }
      const index = Math.min(attempt - 1, retryDelaysMs.length - 1);
      await delay(retryDelaysMs[index] ?? 0, signal);
    }
  }
}

function isRetryable(error: StaticFetchError): boolean {
  if (error.failure === "status") return (error.status ?? 0) >= 500;
  return error.failure !== "too-large";
}

async function fetchOnce(
  url: string,
  attempt: number,
  options: FetchStaticFileOptions,
): Promise<Uint8Array> {
  const {
    fetch: fetchFn = globalThis.fetch,
    connectTimeoutMs = 10_000,
    fileTimeoutMs = 60_000,
    maxBytes = MIB,
    signal,
  } = options;
  signal?.throwIfAborted();
  const controller = new AbortController();
  const connectTimeout = new DOMException(
    `no answer within ${connectTimeoutMs} ms`,
    "TimeoutError",
  );
  const fileTimeout = new DOMException(
    `the file did not arrive whole within ${fileTimeoutMs} ms`,
    "TimeoutError",
  );
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const connectTimer = setTimeout(
    () => controller.abort(connectTimeout),
    connectTimeoutMs,
  );
  const fileTimer = setTimeout(
    () => controller.abort(fileTimeout),
    fileTimeoutMs,
  );
  const fail = (
    failure: StaticFetchError["failure"],
    reason: string,
    extra: { status?: number; cause?: unknown } = {},
  ) =>
    new StaticFetchError({ url, failure, reason, attempts: attempt, ...extra });
  let received = 0;
  let declared: number | null = null;
  let response: Response | undefined;
  try {
    response = await fetchAllowed(url, {
      action: FETCH_ACTION,
      signal: controller.signal,
      fetch: fetchFn,
    });
    clearTimeout(connectTimer);
    if (!response.ok) {
      await response.body?.cancel();
      const text = response.statusText === "" ? "" : ` ${response.statusText}`;
      throw fail("status", `answered HTTP ${response.status}${text}`, {
        status: response.status,
      });
    }
    declared = contentLength(response);
    if (declared !== null && declared > maxBytes) {
      await response.body?.cancel();
      throw fail("too-large", tooLarge(declared, maxBytes));
    }
    const chunks: Uint8Array[] = [];
    const reader = response.body?.getReader();
    while (reader !== undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > maxBytes) {
        await reader.cancel();
        throw fail("too-large", tooLarge(received, maxBytes));
      }
      chunks.push(value);
    }
    if (declared !== null && received !== declared) {
      throw fail("truncated", truncated(received, declared));
    }
    return concat(chunks, received);
  } catch (error) {
    if (error instanceof StaticFetchError) throw error;
    if (signal?.aborted) throw signal.reason;
    const reason = controller.signal.reason;
    if (reason === connectTimeout || reason === fileTimeout) {
      throw fail("timeout", `timed out: ${reason.message}`, { cause: error });
    }
    if (error instanceof Deno.errors.NotCapable) {
      throw networkNotAllowed(error, { action: FETCH_ACTION, url });
    }
    if (!(error instanceof TypeError)) throw error;
    if (response !== undefined) {
      // The headers came; the connection broke while the body was read.
      throw fail(
        "truncated",
        declared === null
          ? `broke off after ${received} bytes (${error.message})`
          : truncated(received, declared),
        { cause: error },
      );
    }
    throw fail("network", `cannot be reached: ${error.message}`, {
      cause: error,
    });
  } finally {
    clearTimeout(connectTimer);
    clearTimeout(fileTimer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function contentLength(response: Response): number | null {
  const header = response.headers.get("content-length");
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

function tooLarge(size: number, limit: number): string {
  return `serves more than the limit of ${limit} bytes (at least ${size} bytes)`;
}

function truncated(received: number, declared: number): string {
  return `sent ${received} of the ${declared} bytes it announced (the body was cut short)`;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
