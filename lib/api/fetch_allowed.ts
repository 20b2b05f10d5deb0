import { ALLOWED_NET_HOSTS, LOOPBACK_HOSTS } from "./allowed_net_hosts.ts";
import { networkNotAllowed } from "./network_not_allowed.ts";

/** The statuses `fetch` follows: a redirect with a `Location`. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers about a request's body, dropped with it (Fetch standard, 4.4). */
const BODY_HEADERS = [
  "content-encoding",
  "content-language",
  "content-location",
  "content-type",
];

/** Options for {@linkcode fetchAllowed}. */
export interface FetchAllowedOptions {
  /**
   * What leger is doing, completing "Cannot …" in the error for a refused
   * redirect: `log in to leger.run`.
   */
  action: string;
  /**
   * The HTTP method.
   *
   * @default {"GET"}
   */
  method?: string;
  /**
   * The request's headers (`authorization` is sent to the first URL's
   * origin only, as `fetch` does).
   *
   * @default {{}}
   */
  headers?: Record<string, string>;
  /**
   * The request's body: a string, so that a 307 or 308 can send it again.
   *
   * @default {undefined}
   */
  body?: string;
  /**
   * Aborts the request, and every redirect it follows.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * The most redirects followed, as `fetch` (20); one more is a `TypeError`,
   * as `fetch` throws.
   *
   * @default {20}
   */
  maxRedirects?: number;
  /**
   * The `fetch` to use; it is called with `redirect: "manual"`.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
}

/**
 * `fetch` for leger.run that follows a redirect only to a host leger
 * connects to (`ALLOWED_NET_HOSTS`, over `https:` unless it is loopback),
 * as `checkAllowedUrl()` requires of the base URL. leger's binaries may
 * reach any host (their `--allow-net` lists none, since Deno names unix
 * sockets by exact path only), so this is where a leger.run, or a proxy in
 * front of it, that redirects elsewhere is stopped: the redirect is not
 * followed and nothing more is sent. Redirects to allowed hosts are followed
 * as `fetch` follows them: a 303 (and a 301 or 302 after a `POST`) becomes a
 * `GET` without a body, and `authorization` goes to the first URL's origin
 * only.
 *
 * Requires `--allow-net` for the URL's host and those it redirects to.
 *
 * @param url The URL; the caller checked it (`checkAllowedUrl()`).
 * @param options The request, what leger is doing, `fetch` and its limits.
 * @returns The first answer that is not a redirect to follow.
 * @throws {LegerError} `ERR_NETWORK_NOT_ALLOWED` naming the host and port a
 * redirect pointed to, when leger may not connect to it.
 * @throws {TypeError} As `fetch` does, and after more than `maxRedirects`
 * redirects.
 *
 * @example Usage
 * ```ts
 * import { fetchAllowed } from "./fetch_allowed.ts";
 * import { rejects, strictEqual } from "node:assert/strict";
 *
 * const fetch = ((input: string | URL | Request) =>
 *   Promise.resolve(
 *     String(input).endsWith("/old")
 *       ? new Response(null, { status: 301, headers: { location: "/new" } })
 *       : String(input).endsWith("/elsewhere")
 *       ? new Response(null, { status: 302, headers: { location: "https://example.com/" } })
 *       : new Response("moved here"),
 *   )) as typeof globalThis.fetch;
 * const response = await fetchAllowed("https://api.leger.run/old", { action: "list releases", fetch });
 * strictEqual(await response.text(), "moved here");
 * await rejects(
 *   fetchAllowed("https://api.leger.run/elsewhere", { action: "list releases", fetch }),
 *   {
 *     code: "ERR_NETWORK_NOT_ALLOWED",
 *     message: 'Cannot list releases: https://api.leger.run/elsewhere redirected leger to "example.com:443", a host leger may not connect to',
 *   },
 * );
 * ```
 */
export async function fetchAllowed(
  url: string,
  options: FetchAllowedOptions,
): Promise<Response> {
  const {
    action,
    signal,
    maxRedirects = 20,
    fetch: fetchFn = globalThis.fetch,
  } = options;
  let method = options.method ?? "GET";
  let body = options.body;
  let headers = { ...options.headers };
  let current = new URL(url);
  for (let redirects = 0;; redirects++) {
    const response = await fetchFn(current.href, {
      method,
      headers,
      body,
      signal,
      redirect: "manual",
    });
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      return response;
    }
    await response.body?.cancel();
    if (redirects >= maxRedirects) {
      throw new TypeError(`too many redirects (more than ${maxRedirects})`);
    }
    const next = URL.parse(location, current);
    if (next === null) {
      throw new TypeError(
        `a redirect (HTTP ${response.status}) gave a Location that is not a URL`,
      );
    }
    if (!mayConnect(next)) throw networkNotAllowed(next, { action, url });
    if (
      (response.status === 303 && method !== "GET" && method !== "HEAD") ||
      ((response.status === 301 || response.status === 302) &&
        method === "POST")
    ) {
      method = "GET";
      body = undefined;
      headers = without(headers, BODY_HEADERS);
    }
    if (next.origin !== current.origin) {
      headers = without(headers, ["authorization"]);
    }
    current = next;
  }
}

/** Whether leger may connect to a URL a redirect gave. */
function mayConnect(url: URL): boolean {
  if (!ALLOWED_NET_HOSTS.includes(url.hostname)) return false;
  return url.protocol === "https:" ||
    (url.protocol === "http:" && LOOPBACK_HOSTS.includes(url.hostname));
}

function without(
  headers: Record<string, string>,
  names: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) =>
      !names.includes(name.toLowerCase())
    ),
  );
}
