/** Where tailscaled listens for its LocalAPI on Linux. */
export const DEFAULT_TAILSCALED_SOCKET = "/run/tailscale/tailscaled.sock";

/**
 * The Host tailscaled's LocalAPI accepts (`apitype.LocalAPIHost`); it refuses
 * any other with 403 "invalid localapi request".
 */
const LOCAL_API_HOST = "local-tailscaled.sock";

/** Options for {@linkcode localApiGet}. */
export interface LocalApiGetOptions {
  /**
   * Gives up after this many milliseconds.
   *
   * @default {5000}
   */
  timeoutMs?: number;
}

/** What tailscaled answered. */
export interface LocalApiResponse {
  /** The HTTP status code (`200` when tailscaled answered the route). */
  status: number;
  /** The whole response body, decoded as text (JSON for `/localapi/v0/status`). */
  body: string;
}

/**
 * Sends `GET <route>` to tailscaled's LocalAPI over its unix socket, as the
 * `tailscale` CLI does (`http://local-tailscaled.sock/localapi/v0/…`).
 *
 * Requires `--allow-read` and `--allow-write` for the socket, and
 * `--allow-net=local-tailscaled.sock,unix:<socketPath>`.
 *
 * @param socketPath The socket, such as {@linkcode DEFAULT_TAILSCALED_SOCKET}.
 * @param route The route, such as `/localapi/v0/status`.
 * @param options The timeout.
 * @returns The HTTP status and body.
 * @throws {Deno.errors.NotCapable} If the net permission does not cover the socket.
 * @throws {TypeError} If nothing answers on the socket.
 *
 * @example Usage
 * ```ts ignore
 * import { DEFAULT_TAILSCALED_SOCKET, localApiGet } from "./tailscale_local_api.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const { status } = await localApiGet(DEFAULT_TAILSCALED_SOCKET, "/localapi/v0/status");
 * strictEqual(status, 200);
 * ```
 */
export async function localApiGet(
  socketPath: string,
  route: string,
  options: LocalApiGetOptions = {},
): Promise<LocalApiResponse> {
  const { timeoutMs = 5000 } = options;
  const client = Deno.createHttpClient({
    proxy: { transport: "unix", path: socketPath },
  });
  try {
    const response = await fetch(`http://${LOCAL_API_HOST}${route}`, {
      client,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } finally {
    client.close();
  }
}
