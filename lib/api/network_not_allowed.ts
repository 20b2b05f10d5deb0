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
 * The error for a request Deno refused because its network permission does
 * not cover the host: `checkAllowedUrl()` refuses a base URL outside the
 * allow-list before any request, so the host Deno names is where the server
 * redirected leger to (`Location: http://127.0.0.2:8080/`, or any host
 * other than leger.run's and loopback). The error names that host and port
 * (Deno's message has no credentials) and the URL asked for (without
 * credentials).
 *
 * @param error What `fetch` threw: `Deno.errors.NotCapable` with "Requires
 * net access to "HOST:PORT"".
 * @param options What leger was doing, and the URL it asked for.
 * @returns `ERR_NETWORK_NOT_ALLOWED`, with `error` as its cause.
 *
 * @example Usage
 * ```ts
 * import { networkNotAllowed } from "./network_not_allowed.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = networkNotAllowed(
 *   new Deno.errors.NotCapable('Requires net access to "127.0.0.2:8080", run again with the --allow-net flag'),
 *   { action: "list releases", url: "https://api.leger.run/releases" },
 * );
 * strictEqual(error.code, "ERR_NETWORK_NOT_ALLOWED");
 * strictEqual(
 *   error.message,
 *   'Cannot list releases: https://api.leger.run/releases redirected leger to "127.0.0.2:8080", a host leger may not connect to',
 * );
 * ```
 */
export function networkNotAllowed(
  error: Deno.errors.NotCapable,
  options: NetworkNotAllowedOptions,
): LegerError {
  const { action } = options;
  const url = redactUrl(options.url);
  const target = NET_TARGET_REGEXP.exec(error.message)?.[1];
  const allowed = `leger connects only to ${ALLOWED_NET_HOSTS.join(", ")}`;
  if (target === undefined || target === hostAndPort(options.url)) {
    return new LegerError(
      "ERR_NETWORK_NOT_ALLOWED",
      `Cannot ${action}: leger's network permission does not allow ${
        target === undefined ? url : `"${target}" (${url})`
      }`,
      {
        cause: error,
        remedy:
          `${allowed}: point LEGER_API_URL or LEGER_STATIC_URL at one of them, or unset it`,
      },
    );
  }
  return new LegerError(
    "ERR_NETWORK_NOT_ALLOWED",
    `Cannot ${action}: ${url} redirected leger to "${target}", a host leger may not connect to`,
    {
      cause: error,
      remedy:
        `${allowed}, and follows no redirect elsewhere: check that LEGER_API_URL and LEGER_STATIC_URL name leger.run itself (not a proxy that redirects), or try again later`,
    },
  );
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
