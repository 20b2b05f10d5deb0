import { LegerError } from "../errors/leger_error.ts";
import { LegerRunApiError } from "./leger_run_api_error.ts";
import { fetchAllowed } from "./fetch_allowed.ts";
import { networkNotAllowed } from "./network_not_allowed.ts";

/** Options for {@linkcode apiRequest}. */
export interface ApiRequestOptions {
  /**
   * What leger is doing, for the first line of errors: "log in to leger.run"
   * makes "Cannot log in to leger.run: …".
   */
  action: string;
  /**
   * The HTTP method.
   *
   * @default {"GET"}
   */
  method?: "GET" | "POST" | "DELETE";
  /**
   * The bearer token, sent as `Authorization: Bearer <token>`.
   *
   * @default {undefined}
   */
  token?: string;
  /**
   * A body, sent as JSON.
   *
   * @default {undefined}
   */
  body?: unknown;
  /**
   * Whether the answer is wrapped in the `{success, data|error}` envelope
   * (every route but `/health`).
   *
   * @default {true}
   */
  envelope?: boolean;
  /**
   * The web UI's base URL, named in the remedy of `account_not_linked`.
   *
   * @default {"https://app.leger.run"}
   */
  webUrl?: string;
  /**
   * Gives up after this many milliseconds.
   *
   * @default {15000}
   */
  timeoutMs?: number;
  /**
   * The `fetch` to use.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
}

/** Envelope codes that mean the token is missing, malformed or expired. */
const NOT_AUTHENTICATED_CODES = new Set([
  "unauthorized",
  "invalid_token",
  "authentication_failed",
]);

/**
 * Sends one request to the leger.run API and returns the envelope's `data`.
 *
 * Every failure becomes a leger error that never shows a raw body or a stack:
 * an unreachable API is `ERR_API_UNREACHABLE` (with a retry hint); a
 * redirect to a host leger does not connect to (`fetchAllowed()`) is
 * `ERR_NETWORK_NOT_ALLOWED` naming that host, and is not followed; a failure
 * envelope is a {@linkcode LegerRunApiError} that shows its `message` and
 * `action`, coded `ERR_LEGER_NOT_AUTHENTICATED` for a rejected token,
 * `ERR_ACCOUNT_NOT_LINKED` for `account_not_linked` and `ERR_API_ERROR`
 * otherwise; an answer that is not the envelope is `ERR_API_ERROR`.
 *
 * Requires `--allow-net` for the API's host.
 *
 * @param apiUrl The API's base URL, without a trailing slash.
 * @param route The route and query, such as `/releases?name=prod`.
 * @param options The action, method, token, body and timeout.
 * @returns The envelope's `data` (or the whole document without an envelope).
 * @throws {LegerError} As described above.
 *
 * @example Usage
 * ```ts
 * import { apiRequest } from "./api_request.ts";
 * import { deepStrictEqual, rejects } from "node:assert/strict";
 *
 * const fetch = (() =>
 *   Promise.resolve(Response.json({ success: true, data: { releases: [] } }))) as typeof globalThis.fetch;
 * deepStrictEqual(
 *   await apiRequest("https://api.leger.run", "/releases", { action: "list releases", fetch }),
 *   { releases: [] },
 * );
 * const failing = (() =>
 *   Promise.resolve(Response.json({
 *     success: false,
 *     error: { code: "invalid_token", message: "Token expired" },
 *   }, { status: 401 }))) as typeof globalThis.fetch;
 * await rejects(
 *   apiRequest("https://api.leger.run", "/releases", { action: "list releases", fetch: failing }),
 *   { code: "ERR_LEGER_NOT_AUTHENTICATED", message: "Cannot list releases: Token expired" },
 * );
 * ```
 */
export async function apiRequest(
  apiUrl: string,
  route: string,
  options: ApiRequestOptions,
): Promise<unknown> {
  const {
    action,
    method = "GET",
    token,
    body,
    envelope = true,
    webUrl = "https://app.leger.run",
    timeoutMs = 15000,
    fetch: fetchFn = globalThis.fetch,
  } = options;
  const url = `${apiUrl}${route}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  let text: string;
  try {
    response = await fetchAllowed(url, {
      action,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      fetch: fetchFn,
    });
    text = await response.text();
  } catch (error) {
    if (
      error instanceof TypeError || error instanceof DOMException ||
      error instanceof Deno.errors.NotCapable
    ) {
      throw unreachable(error, { apiUrl, url, action, timeoutMs });
    }
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw unexpected(
      action,
      apiUrl,
      `HTTP ${response.status} with a body that is not JSON`,
    );
  }
  if (!envelope) {
    if (response.ok) return document;
    throw unexpected(action, apiUrl, `HTTP ${response.status}`);
  }
  if (!isRecord(document) || typeof document.success !== "boolean") {
    throw unexpected(
      action,
      apiUrl,
      `HTTP ${response.status} without the {success, …} envelope`,
    );
  }
  if (document.success && response.ok) return document.data;
  throw failure(document.error, response.status, { action, apiUrl, webUrl });
}

function failure(
  error: unknown,
  status: number,
  context: { action: string; apiUrl: string; webUrl: string },
): LegerError {
  const { action, apiUrl, webUrl } = context;
  if (
    !isRecord(error) || typeof error.code !== "string" ||
    typeof error.message !== "string"
  ) {
    return unexpected(
      action,
      apiUrl,
      `HTTP ${status} with a failure envelope that has no error code or message`,
    );
  }
  const info = {
    status,
    apiCode: error.code,
    apiMessage: error.message,
    apiAction: typeof error.action === "string" && error.action !== ""
      ? error.action
      : undefined,
    docs: typeof error.docs === "string" && error.docs !== ""
      ? error.docs
      : undefined,
  };
  const message = `Cannot ${action}: ${info.apiMessage}`;
  const details = [
    `leger.run answered HTTP ${status}, error "${info.apiCode}"`,
    ...(info.docs === undefined ? [] : [`docs: ${info.docs}`]),
  ];
  const remedy = (fix: string) =>
    info.apiAction === undefined ? fix : `${info.apiAction}\n${fix}`;
  if (info.apiCode === "account_not_linked") {
    return new LegerRunApiError("ERR_ACCOUNT_NOT_LINKED", message, info, {
      details,
      remedy: remedy(
        `Sign in to the web UI at ${webUrl} to link your Tailscale account, then run \`leger auth login\` again`,
      ),
    });
  }
  if (NOT_AUTHENTICATED_CODES.has(info.apiCode) || status === 401) {
    return new LegerRunApiError("ERR_LEGER_NOT_AUTHENTICATED", message, info, {
      details,
      remedy: remedy("Run `leger auth login`"),
    });
  }
  return new LegerRunApiError("ERR_API_ERROR", message, info, {
    details,
    remedy: remedy(
      status >= 500
        ? "leger.run has a problem on its side: try again in a few minutes"
        : "Check the command's arguments",
    ),
  });
}

function unreachable(
  error: TypeError | DOMException | Deno.errors.NotCapable,
  context: { apiUrl: string; url: string; action: string; timeoutMs: number },
): LegerError {
  const { apiUrl, url, action, timeoutMs } = context;
  if (error instanceof Deno.errors.NotCapable) {
    // Only a program with a narrower --allow-net than leger's gets here:
    // the error names the host Deno refused.
    return networkNotAllowed(error, { action, url });
  }
  const reason = error instanceof DOMException && error.name === "TimeoutError"
    ? `no answer within ${Math.round(timeoutMs / 1000)} s`
    : networkReason(describeChain(error));
  return new LegerError(
    "ERR_API_UNREACHABLE",
    `Cannot ${action}: cannot reach leger.run at ${apiUrl} (${reason})`,
    {
      remedy:
        `Check the network connection and try again in a moment; \`curl -sS ${apiUrl}/health\` shows whether the API answers`,
    },
  );
}

/** The messages of an error and its causes: Deno's fetch says "fetch failed" and puts the reason in `cause`. */
function describeChain(error: unknown): string {
  const messages: string[] = [];
  for (
    let e = error, depth = 0;
    e instanceof Error && depth < 5;
    e = e.cause, depth++
  ) {
    messages.push(e.message);
  }
  return messages.join(": ");
}

function networkReason(message: string): string {
  const lower = message.toLowerCase();
  if (lower.includes("connection refused")) return "connection refused";
  if (lower.includes("dns error") || lower.includes("failed to lookup")) {
    return "the host name does not resolve";
  }
  if (lower.includes("certificate")) return "its TLS certificate is not valid";
  if (lower.includes("timed out")) return "the connection timed out";
  if (lower.includes("connection reset")) return "the connection was reset";
  return "the connection failed";
}

function unexpected(action: string, apiUrl: string, what: string): LegerError {
  return new LegerError(
    "ERR_API_ERROR",
    `Cannot ${action}: ${apiUrl} answered ${what}`,
    {
      remedy:
        "Check that LEGER_API_URL points at the leger.run API, or try again in a few minutes",
    },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
