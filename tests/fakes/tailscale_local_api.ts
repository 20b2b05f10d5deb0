/**
 * A fake of tailscaled's LocalAPI on a unix socket, for tests: it answers
 * `GET /localapi/v0/status` with a recorded status document, and checks a
 * request the way tailscaled's `localapi.Handler` does (Host must be
 * `local-tailscaled.sock` or empty, no Origin or Referer), with tailscaled's
 * own error bodies.
 *
 * ```ts ignore
 * import { startFakeLocalApi } from "./tailscale_local_api.ts";
 * await using api = await startFakeLocalApi(`${dir}/tailscaled.sock`, {
 *   status: await Deno.readTextFile("tests/fakes/tailscale/running.json"),
 * });
 * // LEGER_TAILSCALE_SOCKET=api.path …
 * ```
 *
 * @module
 */

/** A request the fake received. */
export interface LocalApiRequest {
  method: string;
  path: string;
  host: string | null;
}

/** Options for {@linkcode startFakeLocalApi}. */
export interface FakeLocalApiOptions {
  /** The status document to answer, exactly as tailscaled would write it. */
  status: string;
}

/** A running fake LocalAPI. */
export interface FakeLocalApi extends AsyncDisposable {
  /** The socket's path. */
  readonly path: string;
  /** Every request received, in order. */
  readonly requests: LocalApiRequest[];
  /** Replaces the status document. */
  setStatus(text: string): void;
  /** Stops listening and removes the socket. */
  close(): Promise<void>;
}

const LOCAL_API_HOST = "local-tailscaled.sock";

/**
 * Starts the fake LocalAPI on a unix socket at `path`.
 *
 * @param path Where to listen (a file that does not exist yet).
 * @param options The status to answer.
 * @returns The running fake.
 */
export function startFakeLocalApi(
  path: string,
  options: FakeLocalApiOptions,
): Promise<FakeLocalApi> {
  let status = options.status;
  const requests: LocalApiRequest[] = [];
  const { promise: listening, resolve } = Promise.withResolvers<void>();
  const server = Deno.serve(
    { transport: "unix", path, onListen: () => resolve() },
    (request) => {
      const url = new URL(request.url);
      const host = request.headers.get("host");
      requests.push({ method: request.method, path: url.pathname, host });
      if (
        request.headers.has("origin") || request.headers.has("referer") ||
        !(host === null || host === "" || host === LOCAL_API_HOST)
      ) {
        return goError("invalid localapi request", 403);
      }
      if (url.pathname === "/localapi/v0/status") {
        if (request.method !== "GET") return goError("want GET", 405);
        return new Response(status, {
          headers: { "content-type": "application/json" },
        });
      }
      return goError("404 page not found", 404);
    },
  );
  const close = async () => {
    await server.shutdown();
    await Deno.remove(path).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  };
  return listening.then(() => ({
    path,
    requests,
    setStatus(text: string) {
      status = text;
    },
    close,
    [Symbol.asyncDispose]: close,
  }));
}

/** Go's `http.Error`: the text and a newline, as plain text. */
function goError(text: string, status: number): Response {
  return new Response(`${text}\n`, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
    },
  });
}
