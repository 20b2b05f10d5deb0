/**
 * A loopback Git smart-HTTP server for tests and benchmarks: `Deno.serve` on
 * 127.0.0.1 that runs git's own `git http-backend` as a CGI program for each
 * request, over the bare repositories below a folder.
 *
 * Every repository is served (`GIT_HTTP_EXPORT_ALL`), with partial clone and
 * fetching any commit allowed (`uploadpack.allowFilter`,
 * `uploadpack.allowAnySHA1InWant`, given to git through `GIT_CONFIG_*` so the
 * repositories themselves are not changed). It can require HTTP basic
 * authentication, hold its answers back, and it counts the bytes of the
 * response bodies it serves.
 *
 * ```ts ignore
 * await using server = await startGitHttpServer({ root: "/tmp/repos" });
 * // git clone ${server.url}/org/repo.git  (serves /tmp/repos/org/repo.git)
 * console.log(server.bytesServed);
 * ```
 *
 * @module
 */

/** Options for {@linkcode startGitHttpServer}. */
export interface GitHttpServerOptions {
  /** The folder holding the bare repositories (`org/repo.git`). */
  root: string;
  /** When set, every request needs these basic-auth credentials (else 401). */
  auth?: { user: string; password: string };
  /**
   * Called when a request arrives; the server answers once it settles. A
   * test looks at the client while it waits (its processes, its files), or
   * holds the answer back (a slow server) until it lets it go.
   *
   * @default {undefined}
   */
  beforeAnswer?: (request: { method: string; path: string }) => unknown;
}

/** One request the server answered. */
export interface GitHttpRequest {
  method: string;
  /** Path and query, as requested. */
  path: string;
  status: number;
  /** Bytes of the response body. */
  bytes: number;
}

/** A running server; `await using` closes it. */
export interface GitHttpServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`, without a trailing `/`. */
  url: string;
  /** Bytes of all response bodies served so far. */
  readonly bytesServed: number;
  /** Every request answered so far, in order of completion. */
  readonly requests: readonly GitHttpRequest[];
  /** Sets `bytesServed` back to 0 and forgets the requests. */
  resetCounters(): void;
  /** Stops listening and waits for every CGI process to end. */
  close(): Promise<void>;
}

const HEADER_END = [13, 10, 13, 10];
const HEADER_END_LF = [10, 10];

/**
 * Starts the server on a free loopback port.
 *
 * Requires `--allow-net=127.0.0.1`, `--allow-run` for `git` and
 * `git-http-backend`, `--allow-env` and `--allow-read`.
 *
 * @param options The repositories' folder, and credentials to require.
 * @returns The running server.
 */
export async function startGitHttpServer(
  options: GitHttpServerOptions,
): Promise<GitHttpServer> {
  const { root, auth, beforeAnswer } = options;
  const backend = `${await gitExecPath()}/git-http-backend`;
  const pending = new Set<Promise<unknown>>();
  const requests: GitHttpRequest[] = [];
  let bytesServed = 0;

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    await beforeAnswer?.({
      method: request.method,
      path: url.pathname + url.search,
    });
    const user = auth === undefined ? undefined : authorizedUser(request, auth);
    if (auth !== undefined && user === undefined) {
      requests.push({
        method: request.method,
        path: url.pathname + url.search,
        status: 401,
        bytes: 0,
      });
      return new Response("Authentication required\n", {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="leger-test"' },
      });
    }
    return await runCgi(request, url, {
      backend,
      root,
      user,
      track: (promise) => {
        pending.add(promise);
        promise.finally(() => pending.delete(promise));
      },
      done: (status, bytes) => {
        bytesServed += bytes;
        requests.push({
          method: request.method,
          path: url.pathname + url.search,
          status,
          bytes,
        });
      },
    });
  };

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    handler,
  );
  const close = async () => {
    await server.shutdown();
    await server.finished;
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    get bytesServed() {
      return bytesServed;
    },
    get requests() {
      return requests;
    },
    resetCounters() {
      bytesServed = 0;
      requests.length = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

interface CgiContext {
  backend: string;
  root: string;
  user: string | undefined;
  track: (promise: Promise<unknown>) => void;
  done: (status: number, bytes: number) => void;
}

/** Runs `git http-backend` for one request and streams its answer back. */
async function runCgi(
  request: Request,
  url: URL,
  context: CgiContext,
): Promise<Response> {
  const { backend, root, user, track, done } = context;
  const header = (name: string) => request.headers.get(name) ?? undefined;
  const env: Record<string, string | undefined> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: "uploadpack.allowFilter",
    GIT_CONFIG_VALUE_0: "true",
    GIT_CONFIG_KEY_1: "uploadpack.allowAnySHA1InWant",
    GIT_CONFIG_VALUE_1: "true",
    REQUEST_METHOD: request.method,
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: header("content-type"),
    CONTENT_LENGTH: header("content-length"),
    HTTP_CONTENT_ENCODING: header("content-encoding"),
    HTTP_GIT_PROTOCOL: header("git-protocol"),
    REMOTE_ADDR: "127.0.0.1",
    REMOTE_USER: user,
    SERVER_PROTOCOL: "HTTP/1.1",
  };
  const child = new Deno.Command(backend, {
    clearEnv: true,
    env: Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] =>
        entry[1] !== undefined
      ),
    ),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writing = request.body === null
    ? child.stdin.close()
    // http-backend may exit without reading the whole request (a bad
    // request, an unknown repository); its answer then says what went wrong.
    : request.body.pipeTo(child.stdin).catch((err) => err);
  const stderr = new Response(child.stderr).text();
  track(Promise.all([writing, stderr, child.status]));

  const reader = child.stdout.getReader();
  const { headers, status, rest } = await readCgiHeaders(reader);
  let bytes = rest.length;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length > 0) controller.enqueue(rest);
    },
    async pull(controller) {
      const { value, done: finished } = await reader.read();
      if (finished) {
        controller.close();
        done(status, bytes);
        return;
      }
      bytes += value.length;
      controller.enqueue(value);
    },
    async cancel() {
      await reader.cancel();
      try {
        child.kill();
      } catch {
        // It has already ended.
      }
      done(status, bytes);
    },
  });
  return new Response(body, { status, headers });
}

/** Reads the CGI header block (`Status:` and the HTTP headers). */
async function readCgiHeaders(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<{ headers: Headers; status: number; rest: Uint8Array }> {
  let buffer = new Uint8Array(0);
  while (true) {
    const crlf = indexOf(buffer, HEADER_END);
    const lf = indexOf(buffer, HEADER_END_LF);
    const end = crlf !== -1 && (lf === -1 || crlf < lf)
      ? { at: crlf, length: 4 }
      : lf !== -1
      ? { at: lf, length: 2 }
      : undefined;
    if (end !== undefined) {
      const text = new TextDecoder().decode(buffer.subarray(0, end.at));
      const headers = new Headers();
      let status = 200;
      for (const line of text.split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = parseInt(value, 10);
        else headers.append(name, value);
      }
      return { headers, status, rest: buffer.slice(end.at + end.length) };
    }
    const { value, done } = await reader.read();
    if (done) {
      return {
        headers: new Headers(),
        status: 502,
        rest: new TextEncoder().encode("git http-backend wrote no headers\n"),
      };
    }
    const next = new Uint8Array(buffer.length + value.length);
    next.set(buffer);
    next.set(value, buffer.length);
    buffer = next;
  }
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

function authorizedUser(
  request: Request,
  auth: { user: string; password: string },
): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Basic ")) return undefined;
  const decoded = new TextDecoder().decode(
    Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0)),
  );
  return decoded === `${auth.user}:${auth.password}` ? auth.user : undefined;
}

async function gitExecPath(): Promise<string> {
  const { code, stdout } = await new Deno.Command("git", {
    args: ["--exec-path"],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (code !== 0) throw new Error("Cannot run `git --exec-path`");
  return new TextDecoder().decode(stdout).trim();
}
