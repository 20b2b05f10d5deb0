import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { fetchStaticFile } from "./_leger_run_fetch_file.ts";
import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";

const URL_ = "https://static.leger.run/u/v1/web.container";
const encoder = new TextEncoder();

/** One answer of a scripted `fetch`; it gets the request's signal, as a real body does. */
type Answer = (signal?: AbortSignal) => Response | Promise<Response>;

/** A `fetch` that plays `answers` in order and counts its calls. */
function scripted(answers: Answer[]) {
  const calls: string[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    calls.push(String(input));
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    const signal = init?.signal;
    return new Promise<Response>((resolve, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason));
      Promise.resolve(signal ?? undefined).then(answer).then(resolve, reject);
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

/** A recording `delay` that never waits. */
function noWait() {
  const delays: number[] = [];
  return {
    delays,
    delay: (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

const ok = () => new Response("[Container]\nImage=x\n");
const status = (code: number, text = "") => () =>
  new Response("oops", { status: code, statusText: text });
const networkError = () => Promise.reject(new TypeError("connection refused"));
/** A body that delivers `sent` bytes, then breaks with `error`. */
function breaking(sent: number, error: Error): ReadableStream<Uint8Array> {
  let pulls = 0;
  return new ReadableStream({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue(new Uint8Array(sent));
      else controller.error(error);
    },
  });
}

/** A body stream that delivers `sent` bytes then breaks, announcing `total`. */
const cutShort = (sent: number, total: number) => () =>
  new Response(
    breaking(sent, new TypeError("error reading a body from connection")),
    { headers: { "content-length": String(total) } },
  );

Deno.test("fetchStaticFile() retries network errors and 5xx answers with backoff, then succeeds", async (t) => {
  const cases: { name: string; answers: Answer[]; delays: number[] }[] = [
    { name: "a 500 then success", answers: [status(500), ok], delays: [500] },
    {
      name: "a network error, a 503, then success",
      answers: [networkError, status(503), ok],
      delays: [500, 1000],
    },
    {
      name: "three 502 answers then success",
      answers: [status(502), status(502), status(502), ok],
      delays: [500, 1000, 2000],
    },
    {
      name: "a cut-short body then success",
      answers: [cutShort(3, 20), ok],
      delays: [500],
    },
  ];
  for (const { name, answers, delays } of cases) {
    await t.step(name, async () => {
      const { fetch, calls } = scripted(answers);
      const waits = noWait();
      const bytes = await fetchStaticFile(URL_, { fetch, delay: waits.delay });
      strictEqual(new TextDecoder().decode(bytes), "[Container]\nImage=x\n");
      strictEqual(calls.length, answers.length);
      deepStrictEqual(waits.delays, delays);
    });
  }
});

Deno.test("fetchStaticFile() gives up after three retries when the failure lasts", async () => {
  const { fetch, calls } = scripted([status(500, "Internal Server Error")]);
  const waits = noWait();
  await rejects(fetchStaticFile(URL_, { fetch, delay: waits.delay }), {
    name: "StaticFetchError",
    failure: "status",
    status: 500,
    attempts: 4,
    message: `${URL_} answered HTTP 500 Internal Server Error`,
  });
  strictEqual(calls.length, 4);
  deepStrictEqual(waits.delays, [500, 1000, 2000]);
});

Deno.test("fetchStaticFile() does not retry a 4xx answer", async (t) => {
  for (const code of [400, 403, 404, 410, 429]) {
    await t.step(`HTTP ${code}`, async () => {
      const { fetch, calls } = scripted([status(code)]);
      const error = await fetchStaticFile(URL_, {
        fetch,
        delay: noWait().delay,
      })
        .then(() => null, (e) => e);
      strictEqual(error instanceof StaticFetchError, true);
      strictEqual(error.status, code);
      strictEqual(error.attempts, 1);
      strictEqual(error.notFound, code === 404 || code === 410);
      strictEqual(calls.length, 1);
    });
  }
});

Deno.test("fetchStaticFile() says ERR_NETWORK_NOT_ALLOWED, naming the host, for a redirect leger may not follow, without retrying", async () => {
  const { fetch, calls } = scripted([() =>
    Promise.reject(
      new Deno.errors.NotCapable(
        'Requires net access to "127.0.0.2:8080", run again with the --allow-net flag',
      ),
    )]);
  await rejects(fetchStaticFile(URL_, { fetch, delay: noWait().delay }), {
    name: "LegerError",
    code: "ERR_NETWORK_NOT_ALLOWED",
    message:
      `Cannot fetch the deployment from leger.run: ${URL_} redirected leger to "127.0.0.2:8080", a host leger may not connect to`,
  });
  strictEqual(calls.length, 1);
});

Deno.test("fetchStaticFile() reports a body cut short when the connection breaks or the length falls short", async (t) => {
  const cases: { name: string; answer: Answer; reason: RegExp }[] = [
    {
      name: "the stream breaks",
      answer: cutShort(5, 40),
      reason: /sent 5 of the 40 bytes it announced/,
    },
    {
      name: "the stream breaks without a length",
      answer: () =>
        new Response(breaking(7, new TypeError("connection reset"))),
      reason: /broke off after 7 bytes \(connection reset\)/,
    },
    {
      name: "the stream ends early",
      answer: () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new Uint8Array(2));
              controller.close();
            },
          }),
          { headers: { "content-length": "9" } },
        ),
      reason: /sent 2 of the 9 bytes it announced/,
    },
  ];
  for (const { name, answer, reason } of cases) {
    await t.step(name, async () => {
      const { fetch, calls } = scripted([answer]);
      await rejects(
        fetchStaticFile(URL_, { fetch, retries: 1, delay: noWait().delay }),
        { failure: "truncated", attempts: 2, message: reason },
      );
      strictEqual(calls.length, 2);
    });
  }
});

Deno.test("fetchStaticFile() refuses a file over the limit without retrying", async (t) => {
  const cases: { name: string; answer: Answer }[] = [
    {
      name: "announced by Content-Length",
      answer: () =>
        new Response(new Uint8Array(11), {
          headers: { "content-length": "11" },
        }),
    },
    {
      name: "found while reading",
      answer: () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new Uint8Array(6));
              controller.enqueue(new Uint8Array(6));
              controller.close();
            },
          }),
        ),
    },
  ];
  for (const { name, answer } of cases) {
    await t.step(name, async () => {
      const { fetch, calls } = scripted([answer]);
      await rejects(
        fetchStaticFile(URL_, { fetch, maxBytes: 10, delay: noWait().delay }),
        { failure: "too-large", message: /more than the limit of 10 bytes/ },
      );
      strictEqual(calls.length, 1);
    });
  }
});

Deno.test("fetchStaticFile() times out when the headers or the body do not come in time", async (t) => {
  const never = () => new Promise<Response>(() => {});
  // As with a real fetch, aborting the request errors its body.
  const stalledBody = (signal?: AbortSignal) =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode("[Con"));
          signal?.addEventListener("abort", () =>
            controller.error(signal.reason));
        },
      }),
      { headers: { "content-length": "12" } },
    );
  const cases: {
    name: string;
    answer: Answer;
    options: { connectTimeoutMs?: number; fileTimeoutMs?: number };
    reason: RegExp;
  }[] = [
    {
      name: "no headers within the connect timeout",
      answer: never,
      options: { connectTimeoutMs: 5 },
      reason: /timed out: no answer within 5 ms/,
    },
    {
      name: "no whole body within the file timeout",
      answer: stalledBody,
      options: { fileTimeoutMs: 5 },
      reason: /timed out: the file did not arrive whole within 5 ms/,
    },
  ];
  for (const { name, answer, options, reason } of cases) {
    await t.step(name, async () => {
      const { fetch, calls } = scripted([answer]);
      await rejects(
        fetchStaticFile(URL_, {
          fetch,
          retries: 1,
          delay: noWait().delay,
          ...options,
        }),
        { failure: "timeout", attempts: 2, message: reason },
      );
      strictEqual(calls.length, 2);
    });
  }
});

Deno.test("fetchStaticFile() stops at once when its signal aborts", async () => {
  const controller = new AbortController();
  const reason = new DOMException("interrupted", "AbortError");
  const { fetch, calls } = scripted([() => {
    controller.abort(reason);
    return new Promise<Response>(() => {});
  }]);
  await rejects(
    fetchStaticFile(URL_, {
      fetch,
      signal: controller.signal,
      delay: noWait().delay,
    }),
    (error) => error === reason,
  );
  strictEqual(calls.length, 1);
});
