import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { checkHttpHealth } from "./check_http_health.ts";

/** A loopback server answering each request with `answer`, counting them. */
function serve(
  answer: (request: Request) => Response | Promise<Response>,
): { url: string; hits: () => number; server: Deno.HttpServer } {
  let hits = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      hits++;
      return answer(request);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/health`,
    hits: () => hits,
    server,
  };
}

Deno.test("checkHttpHealth() is healthy on a 2xx or 3xx answer, without following a redirect", async (t) => {
  for (const status of [200, 204, 302]) {
    await t.step(`HTTP ${status}`, async () => {
      const { url, hits, server } = serve(() =>
        status === 302
          ? new Response(null, {
            status,
            headers: { location: "http://10.0.0.5/elsewhere" },
          })
          : new Response(status === 204 ? null : "ok", { status })
      );
      try {
        const result = await checkHttpHealth(url, { retryDelayMs: 0 });
        deepStrictEqual(
          [result.state, result.status, result.attempts, hits()],
          ["healthy", status, 1, 1],
        );
      } finally {
        await server.shutdown();
      }
    });
  }
});

Deno.test("checkHttpHealth() is unhealthy on a 500 after three attempts, saying the status", async () => {
  const { url, hits, server } = serve(() =>
    new Response("boom", { status: 500 })
  );
  try {
    const result = await checkHttpHealth(url, { retryDelayMs: 0 });
    deepStrictEqual(
      [result.state, result.status, result.attempts, hits()],
      ["unhealthy", 500, 3, 3],
    );
    strictEqual(result.detail, "HTTP 500 Internal Server Error (3 attempts)");
  } finally {
    await server.shutdown();
  }
});

Deno.test("checkHttpHealth() retries a failed attempt and is healthy when a retry answers", async () => {
  let calls = 0;
  const { url, hits, server } = serve(() =>
    new Response(null, { status: ++calls < 3 ? 503 : 200 })
  );
  try {
    const result = await checkHttpHealth(url, { retryDelayMs: 0 });
    deepStrictEqual([result.state, result.attempts, hits()], [
      "healthy",
      3,
      3,
    ]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("checkHttpHealth() counts retries as asked", async () => {
  const { url, hits, server } = serve(() =>
    new Response(null, { status: 500 })
  );
  try {
    const result = await checkHttpHealth(url, { retries: 0, retryDelayMs: 0 });
    deepStrictEqual([result.attempts, hits()], [1, 1]);
    strictEqual(result.detail, "HTTP 500 Internal Server Error (1 attempt)");
  } finally {
    await server.shutdown();
  }
});

Deno.test("checkHttpHealth() gives up on a server that does not answer within the timeout", async () => {
  // The server holds every request until the test ends: no sleep, a
  // 30 ms timeout stands in for the 5 s one.
  const { promise: never, resolve: release } = Promise.withResolvers<void>();
  const { url, hits, server } = serve(async () => {
    await never;
    return new Response("late");
  });
  try {
    const result = await checkHttpHealth(url, {
      timeoutMs: 30,
      retryDelayMs: 0,
    });
    deepStrictEqual([result.state, result.status, result.attempts], [
      "unhealthy",
      null,
      3,
    ]);
    strictEqual(result.detail, "no answer within 30 ms (3 attempts)");
    strictEqual(hits(), 3);
  } finally {
    release();
    await server.shutdown();
  }
});

Deno.test("checkHttpHealth() says connection refused when nothing listens", async () => {
  const { url, server } = serve(() => new Response("ok"));
  await server.shutdown();
  const result = await checkHttpHealth(url, { retryDelayMs: 0 });
  deepStrictEqual([result.state, result.attempts], ["unhealthy", 3]);
  strictEqual(result.detail, "connection refused (3 attempts)");
});

Deno.test("checkHttpHealth() refuses a host outside leger's allow-list without fetching, and says the fix", async () => {
  let fetched = 0;
  const fetch = () => {
    fetched++;
    return Promise.resolve(new Response("ok"));
  };
  for (
    const url of [
      "http://web.internal:8080/health",
      "http://10.88.0.5/health",
      "ftp://127.0.0.1/x",
    ]
  ) {
    const result = await checkHttpHealth(url, { fetch });
    strictEqual(result.state, "refused", url);
    strictEqual(result.attempts, 0);
  }
  strictEqual(fetched, 0);
  const result = await checkHttpHealth("http://web.internal:8080/health", {
    fetch,
  });
  match(
    result.detail,
    /^not checked: leger may connect only to .*127\.0\.0\.1.*, not to "web\.internal"$/,
  );
  strictEqual(
    result.remedy,
    "Publish the port on 127.0.0.1 (PublishPort=127.0.0.1:8080:PORT) and check http://127.0.0.1:8080/health",
  );
});

Deno.test("checkHttpHealth() stops when its signal aborts", async () => {
  const controller = new AbortController();
  const fetch = (_: unknown, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener(
        "abort",
        () => reject(init.signal!.reason),
      );
      controller.abort(new DOMException("Interrupted", "AbortError"));
    });
  await rejects(
    checkHttpHealth("http://127.0.0.1:1/", {
      fetch: fetch as typeof globalThis.fetch,
      signal: controller.signal,
    }),
    { name: "AbortError" },
  );
});
