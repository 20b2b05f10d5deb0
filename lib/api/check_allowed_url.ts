import { LegerError } from "../errors/leger_error.ts";
import { redactUrl } from "../errors/redact_url.ts";
import { ALLOWED_NET_HOSTS, LOOPBACK_HOSTS } from "./allowed_net_hosts.ts";

/** Options for {@linkcode checkAllowedUrl}. */
export interface CheckAllowedUrlOptions {
  /**
   * Where the URL came from, for the error (`LEGER_API_URL`).
   *
   * @default {"the URL"}
   */
  variable?: string;
}

/**
 * Checks that leger may connect to a base URL: its host must be one of
 * leger.run's hosts or loopback ({@linkcode ALLOWED_NET_HOSTS}), and
 * anything but loopback must use `https:`, since leger's login token travels
 * with the requests as a bearer token and must reach leger.run only. This is
 * leger's own rule, checked before any request. Errors show the URL without
 * its credentials.
 *
 * @param value The URL, such as `https://api.leger.run` or `http://127.0.0.1:8787`.
 * @param options Where it came from.
 * @returns The URL without a trailing slash.
 * @throws {LegerError} `ERR_NETWORK_NOT_ALLOWED` for another host or a plain
 * `http:` one; `ERR_USAGE` when `value` is not an http(s) URL.
 *
 * @example Usage
 * ```ts
 * import { checkAllowedUrl } from "./check_allowed_url.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * strictEqual(checkAllowedUrl("http://127.0.0.1:8787/api/"), "http://127.0.0.1:8787/api");
 * throws(() => checkAllowedUrl("https://api.example.com", { variable: "LEGER_API_URL" }), {
 *   code: "ERR_NETWORK_NOT_ALLOWED",
 * });
 * ```
 */
export function checkAllowedUrl(
  value: string,
  options: CheckAllowedUrlOptions = {},
): string {
  const { variable = "the URL" } = options;
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw notAUrl(value, variable, error);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw notAUrl(value, variable);
  }
  const host = url.hostname;
  if (!ALLOWED_NET_HOSTS.includes(host)) {
    throw new LegerError(
      "ERR_NETWORK_NOT_ALLOWED",
      `Cannot use ${variable} "${
        redactUrl(value)
      }": leger may connect only to ${
        ALLOWED_NET_HOSTS.join(", ")
      }, not to "${host}"`,
      {
        remedy:
          `Unset ${variable}, or point it at one of those hosts: leger sends its login token to leger.run only (loopback is for a local test server)`,
      },
    );
  }
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.includes(host)) {
    throw new LegerError(
      "ERR_NETWORK_NOT_ALLOWED",
      `Cannot use ${variable} "${
        redactUrl(value)
      }": only loopback may be reached over plain http`,
      {
        remedy: `Use https://${url.host}${
          url.pathname === "/" ? "" : url.pathname
        }`,
      },
    );
  }
  return url.href.replace(/\/+$/, "");
}

function notAUrl(value: string, variable: string, cause?: unknown): LegerError {
  return new LegerError(
    "ERR_USAGE",
    `Cannot use ${variable} "${redactUrl(value)}": it is not an http(s) URL`,
    {
      cause,
      remedy:
        `Set ${variable} to a URL such as https://api.leger.run, or unset it`,
    },
  );
}
