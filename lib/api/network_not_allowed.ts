import { LegerError } from "../errors/leger_error.ts";
import { redactUrl } from "../errors/redact_url.ts";
import { ALLOWED_NET_HOSTS } from "./allowed_net_hosts.ts";

const NET_TARGET_REGEXP = /Requires net access to "([^"]*)"/;

/** Options for {@linkcode networkNotAllowed}. */
export interface NetworkNotAllowedOptions {
  /**
   * What leger was doing, completing "Cannot …": `log in to leger.run`,
   * `fetch https://static.leger.run/…/manifest.json`.
   */
  action: string;
  /** The URL leger asked for (it is printed without credentials). */
  url: string;
}

/**
 * The error for a request to a host leger may not connect to. Either a
 * redirect `fetchAllowed()` would not follow (`refused` is the URL it
 * pointed to): a host other than leger.run's and loopback, or one of
 * leger.run's over plain `http:`; or a request Deno itself refused
 * (`refused` is its `NotCapable`, "Requires net access to "HOST:PORT""),
 * which only a program with a narrower `--allow-net` than leger's meets:
 * the host Deno names is then the one asked for, or where the server
 * redirected. The error names that host and port (never credentials) and
 * the URL asked for (without credentials).
 *
 * @param refused The URL a redirect pointed to, or what `fetch` threw.
 * @param options What leger was doing, and the URL it asked for.
 * @returns `ERR_NETWORK_NOT_ALLOWED`, with Deno's error as its cause.
 *
 * @example Usage
 * ```ts
 * import { networkNotAllowed } from "./network_not_allowed.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = networkNotAllowed(
 *   new URL("http://127.0.0.2:8080/x"),
 *   { action: "list releases", url: "https://api.leger.run/releases" },
 * );
 * strictEqual(error.code, "ERR_NETWORK_NOT_ALLOWED");
 * strictEqual(
 *   error.message,
 *   'Cannot list releases: https://api.leger.run/releases redirected leger to "127.0.0.2:8080", a host leger may not connect to',
 * );
 * const denied = networkNotAllowed(
 *   new Deno.errors.NotCapable('Requires net access to "127.0.0.2:8080", run again with the --allow-net flag'),
 *   { action: "list releases", url: "https://api.leger.run/releases" },
 * );
 * strictEqual(denied.message, error.message);
 * ```
 */
export function networkNotAllowed(
  refused: Deno.errors.NotCapable | URL,
  options: NetworkNotAllowedOptions,
): LegerError {
  const { action } = options;
  const url = redactUrl(options.url);
  const allowed = `leger connects only to ${ALLOWED_NET_HOSTS.join(", ")}`;
  const redirected = (where: string, cause?: Deno.errors.NotCapable) =>
    new LegerError(
      "ERR_NETWORK_NOT_ALLOWED",
      `Cannot ${action}: ${url} redirected leger to ${where}`,
      {
        cause,
        remedy:
          `${allowed}, and follows no redirect elsewhere: check that LEGER_API_URL and LEGER_STATIC_URL name leger.run itself (not a proxy that redirects), or try again later`,
      },
    );
  if (refused instanceof URL) return redirected(redirectTarget(refused));
  const target = NET_TARGET_REGEXP.exec(refused.message)?.[1];
  if (target !== undefined && target !== hostAndPort(options.url)) {
    return redirected(`"${target}", a host leger may not connect to`, refused);
  }
  return new LegerError(
    "ERR_NETWORK_NOT_ALLOWED",
    `Cannot ${action}: leger's network permission does not allow ${
      target === undefined ? url : `"${target}" (${url})`
    }`,
    {
      cause: refused,
      remedy:
        `${allowed}: point LEGER_API_URL or LEGER_STATIC_URL at one of them, or unset it`,
    },
  );
}

/** Where a redirect pointed, and why leger does not follow it. */
function redirectTarget(url: URL): string {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `a "${url.protocol}" URL, which leger does not follow`;
  }
  const target = `"${hostAndPort(url.href)}"`;
  return ALLOWED_NET_HOSTS.includes(url.hostname)
    ? `${target} over plain http, which leger uses for loopback only`
    : `${target}, a host leger may not connect to`;
}

/** `host:port` as Deno names it in its permission messages. */
function hostAndPort(url: string): string | undefined {
  try {
    const { hostname, port, protocol } = new URL(url);
    return `${hostname}:${
      port !== "" ? port : protocol === "https:" ? "443" : "80"
    }`;
  } catch (error) {
    // Not a URL: there is no host to compare.
    if (!(error instanceof TypeError)) throw error;
    return undefined;
  }
}
