import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { apiRequest } from "./api_request.ts";
import { LegerRunApiError } from "./leger_run_api_error.ts";

const API = "https://api.leger.run";

/** A fetch that answers one canned response and records the request. */
function answering(response: () => Response | Promise<Response>) {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    seen.push({ url, init });
    return Promise.resolve(response());
  }) as unknown as typeof globalThis.fetch;
  return { fetch, seen };
}

function envelope(status: number, error: Record<string, unknown>): Response {
  return Response.json({ success: false, error }, { status });
}

Deno.test("apiRequest() sends method, bearer token and JSON body, and returns data", async () => {
  const { fetch, seen } = answering(() =>
    Response.json({ success: true, data: { ok: 1 } })
  );
  const data = await apiRequest(API, "/secrets/x", {
    action: "store secret",
    method: "POST",
    token: "tok",
    body: { value: "v" },
    fetch,
  });
  deepStrictEqual(data, { ok: 1 });
  strictEqual(seen[0].url, "https://api.leger.run/secrets/x");
  strictEqual(seen[0].init.method, "POST");
  deepStrictEqual(seen[0].init.headers, {
    accept: "application/json",
    authorization: "Bearer tok",
    "content-type": "application/json",
  });
  strictEqual(seen[0].init.body, '{"value":"v"}');
});

Deno.test("apiRequest() maps each failure envelope to leger's code with the message and action", async () => {
  const cases: [string, number, Record<string, unknown>, string, RegExp][] = [
    [
      "invalid_token",
      401,
      { code: "invalid_token", message: "Token expired" },
      "ERR_LEGER_NOT_AUTHENTICATED",
      /^Run `leger auth login`$/,
    ],
    [
      "authentication_failed 500",
      500,
      {
        code: "authentication_failed",
        message: "JWT validation failed: Invalid signature",
      },
      "ERR_LEGER_NOT_AUTHENTICATED",
      /leger auth login/,
    ],
    [
      "unauthorized",
      401,
      { code: "unauthorized", message: "Missing Authorization header" },
      "ERR_LEGER_NOT_AUTHENTICATED",
      /leger auth login/,
    ],
    [
      "any 401",
      401,
      { code: "whatever", message: "Nope" },
      "ERR_LEGER_NOT_AUTHENTICATED",
      /leger auth login/,
    ],
    [
      "not linked",
      403,
      {
        code: "account_not_linked",
        message: "No account",
        action: "Sign up first",
      },
      "ERR_ACCOUNT_NOT_LINKED",
      /^Sign up first\nSign in to the web UI at https:\/\/web\.example\/ to link/,
    ],
    [
      "validation",
      400,
      { code: "validation_error", message: "Bad name", action: "Use letters" },
      "ERR_API_ERROR",
      /^Use letters\nCheck the command's arguments$/,
    ],
    [
      "outage",
      503,
      { code: "internal_error", message: "D1 down" },
      "ERR_API_ERROR",
      /try again in a few minutes/,
    ],
  ];
  for (const [name, status, error, code, remedy] of cases) {
    const { fetch } = answering(() => envelope(status, error));
    const failure = await apiRequest(API, "/x", {
      action: "do it",
      fetch,
      webUrl: "https://web.example/",
    }).then(() => null, (e) => e);
    strictEqual(failure instanceof LegerRunApiError, true, name);
    strictEqual(failure.code, code, name);
    strictEqual(failure.message, `Cannot do it: ${error.message}`, name);
    strictEqual(
      remedy.test(failure.remedy),
      true,
      `${name}: ${failure.remedy}`,
    );
    strictEqual(failure.status, status, name);
    strictEqual(failure.apiCode, error.code, name);
    strictEqual(
      failure.details[0],
      `leger.run answered HTTP ${status}, error "${error.code}"`,
    );
  }
});

Deno.test("apiRequest() shows the envelope's docs link", async () => {
  const { fetch } = answering(() =>
    envelope(400, {
      code: "validation_error",
      message: "Bad",
      docs: "https://docs.leger.run/x",
    })
  );
  await rejects(apiRequest(API, "/x", { action: "do it", fetch }), {
    details: [
      'leger.run answered HTTP 400, error "validation_error"',
      "docs: https://docs.leger.run/x",
    ],
  });
});

Deno.test("apiRequest() never shows a body that is not the envelope", async () => {
  const cases: [string, () => Response, RegExp][] = [
    [
      "HTML",
      () => new Response("<html>Bad gateway SECRET</html>", { status: 502 }),
      /answered HTTP 502 with a body that is not JSON$/,
    ],
    [
      "no envelope",
      () => Response.json({ hello: "SECRET" }),
      /answered HTTP 200 without the \{success, …\} envelope$/,
    ],
    [
      "failure without error",
      () => Response.json({ success: false }, { status: 500 }),
      /failure envelope that has no error code or message$/,
    ],
  ];
  for (const [name, response, message] of cases) {
    const { fetch } = answering(response);
    const failure = await apiRequest(API, "/x", { action: "do it", fetch })
      .then(() => null, (e) => e);
    strictEqual(failure.code, "ERR_API_ERROR", name);
    strictEqual(
      message.test(failure.message),
      true,
      `${name}: ${failure.message}`,
    );
    strictEqual(
      JSON.stringify({ ...failure, m: failure.message }).includes("SECRET"),
      false,
      name,
    );
  }
});

Deno.test("apiRequest() returns a document without envelope when told so", async () => {
  const { fetch } = answering(() => Response.json({ status: "healthy" }));
  deepStrictEqual(
    await apiRequest(API, "/health", {
      action: "check",
      envelope: false,
      fetch,
    }),
    {
      status: "healthy",
    },
  );
});

Deno.test("apiRequest() throws ERR_API_UNREACHABLE with a retry hint when the connection fails", async () => {
  const cases: [string, Error, string][] = [
    [
      "refused",
      new TypeError(
        "error sending request for url (https://api.leger.run/x): client error (Connect): tcp connect error: Connection refused (os error 111)",
      ),
      "connection refused",
    ],
    [
      "dns",
      new TypeError(
        "error sending request: dns error: failed to lookup address information",
      ),
      "the host name does not resolve",
    ],
    [
      "timeout",
      new DOMException("Signal timed out.", "TimeoutError"),
      "no answer within 15 s",
    ],
    ["other", new TypeError("something else"), "the connection failed"],
  ];
  for (const [name, error, reason] of cases) {
    const fetch = (() =>
      Promise.reject(error)) as unknown as typeof globalThis.fetch;
    await rejects(
      apiRequest(API, "/x", { action: "log in to leger.run", fetch }),
      {
        name: "LegerError",
        code: "ERR_API_UNREACHABLE",
        message:
          `Cannot log in to leger.run: cannot reach leger.run at ${API} (${reason})`,
        remedy:
          /^Check the network connection and try again in a moment; `curl -sS https:\/\/api\.leger\.run\/health`/,
      },
      name,
    );
  }
});

Deno.test("apiRequest() throws ERR_NETWORK_NOT_ALLOWED naming the host Deno denies", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "the API's own host",
      "https://example.com",
      /^Cannot do it: leger's network permission does not allow "example\.com:443" \(https:\/\/example\.com\/x\)$/,
    ],
    [
      "a host the API redirected to",
      "https://api.leger.run",
      /^Cannot do it: https:\/\/api\.leger\.run\/x redirected leger to "example\.com:443", a host leger may not connect to$/,
    ],
    [
      "a URL with credentials",
      "https://user:s3cr3t@api.leger.run",
      /^Cannot do it: https:\/\/api\.leger\.run\/x redirected leger to "example\.com:443"/,
    ],
  ];
  for (const [name, apiUrl, message] of cases) {
    await t.step(name, async () => {
      const fetch = (() =>
        Promise.reject(
          new Deno.errors.NotCapable(
            'Requires net access to "example.com:443", run again with the --allow-net flag',
          ),
        )) as unknown as typeof globalThis.fetch;
      await rejects(apiRequest(apiUrl, "/x", { action: "do it", fetch }), {
        code: "ERR_NETWORK_NOT_ALLOWED",
        message,
        remedy:
          /^leger connects only to api\.leger\.run, static\.leger\.run, app\.leger\.run, 127\.0\.0\.1, localhost, \[::1\]/,
      });
    });
  }
});

Deno.test("apiRequest() rethrows an error it does not expect", async () => {
  const fetch = (() =>
    Promise.reject(
      new RangeError("bug"),
    )) as unknown as typeof globalThis.fetch;
  await rejects(apiRequest(API, "/x", { action: "do it", fetch }), RangeError);
});
