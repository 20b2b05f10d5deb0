import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
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

Deno.test("checkHttpHealth() reaches loopback only, not the rest of leger's allow-list, and says the fix without fetching", async () => {
  let fetched = 0;
  const fetch = () => {
    fetched++;
    return Promise.resolve(new Response("ok"));
  };
  for (
    const url of [
      "http://web.internal:8080/health",
      "http://10.88.0.5/health",
      "https://api.leger.run/health",
      "https://static.leger.run/health",
      "ftp://127.0.0.1/x",
      "http://127.0.0.1:99999/",
    ]
  ) {
    const result = await checkHttpHealth(url, { fetch });
    strictEqual(result.state, "refused", url);
    strictEqual(result.attempts, 0);
  }
  strictEqual(fetched, 0);
  const result = await checkHttpHealth("https://api.leger.run:8080/health", {
    fetch,
  });
  strictEqual(
    result.detail,
    'not checked: health checks reach only 127.0.0.1, localhost, [::1], not "api.leger.run"',
  );
  strictEqual(
    result.remedy,
    "Publish the port on 127.0.0.1 (PublishPort=127.0.0.1:8080:PORT) and check http://127.0.0.1:8080/health",
  );
  strictEqual(
    (await checkHttpHealth("http://127.0.0.1:99999/", { fetch })).detail,
    "not checked: its port 99999 is outside 1-65535",
  );
  strictEqual(
    (await checkHttpHealth("http://[::1]:8080/", { fetch })).state,
    "healthy",
  );
});

Deno.test("checkHttpHealth() fetches localhost at 127.0.0.1, so that a host without /etc/hosts checks it", async () => {
  const { url, server } = serve(() => new Response("ok"));
  const port = new URL(url).port;
  const asked: string[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    asked.push(String(input));
    return globalThis.fetch(input, init);
  };
  const result = await checkHttpHealth(`http://localhost:${port}/health`, {
    fetch: fetch as typeof globalThis.fetch,
  });
  await server.shutdown();
  strictEqual(result.state, "healthy");
  deepStrictEqual(asked, [`http://127.0.0.1:${port}/health`]);
});

Deno.test("checkHttpHealth() words fetch failures plainly and never shows the URL's credentials", async () => {
  const failing = (message: string) => () =>
    Promise.reject(
      new TypeError(
        `error sending request for url (http://admin:hunter2SECRET@127.0.0.1:8/): ${message}`,
      ),
    );
  const cases: [string, string][] = [
    [
      "client error (Connect): dns error: failed to lookup address information",
      "name not resolved",
    ],
    [
      "tcp connect error: Connection refused (os error 111)",
      "connection refused",
    ],
    ["operation timed out", "timed out"],
    [
      "something new",
      "error sending request for url (http://127.0.0.1:8/): something new",
    ],
  ];
  for (const [message, said] of cases) {
    const result = await checkHttpHealth(
      "http://admin:hunter2SECRET@127.0.0.1:8/",
      { fetch: failing(message), retries: 0 },
    );
    strictEqual(result.detail, `${said} (1 attempt)`);
    strictEqual(JSON.stringify(result).includes("hunter2SECRET"), false);
  }
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
