/**
 * The loopback leger.run's secrets behave as the real worker's do (issue 11,
 * "The backend as it really is"): these tests pin each behaviour that legerd
 * relies on, through HTTP as legerd sees it.
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import {
  LegerRunServer,
  type LegerRunServerOptions,
  MAX_LISTED_SECRETS,
} from "./leger_run_server.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const OTHER = "0b8c43a5-4f0e-5b43-9d4e-5d2f5a0c1e77";

/** A server, a token for UUID and helpers that call it as legerd and the CLI do. */
async function setup(options: LegerRunServerOptions = {}) {
  const server = await LegerRunServer.start(options);
  const token = await server.issueToken({ user_uuid: UUID });
  const call = async (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${server.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { response, body: await response.json() };
  };
  const list = async (query = "?include_values=true") => {
    const { response, body } = await call("GET", `/secrets${query}`);
    strictEqual(response.status, 200);
    strictEqual(body.success, true);
    return body.data.secrets as Record<string, unknown>[];
  };
  const post = async (name: string, value: string, label?: string) =>
    await call("POST", `/secrets/${name}`, {
      body: label === undefined ? { value } : { value, label },
    });
  return { server, token, call, list, post };
}

Deno.test("secrets list: include_values=true gives values without updated_at, sorted by name", async () => {
  let now = Date.parse("2025-03-01T10:00:00Z");
  const { server, list } = await setup({ now: () => now });
  await using _ = server;
  server.putSecret(UUID, "zeta", "z-1");
  now += 1000;
  server.putSecret(UUID, "Alpha", "A-1", "Upper");
  server.putSecret(UUID, "alpha", "a-1");
  server.putSecret(UUID, "beta:1_x-y", "b-1");
  server.putSecret(OTHER, "not-mine", "x");
  deepStrictEqual(await list(), [
    {
      name: "Alpha",
      label: "Upper",
      value: "A-1",
      version: 1,
      created_at: "2025-03-01T10:00:01.000Z",
    },
    {
      name: "alpha",
      value: "a-1",
      version: 1,
      created_at: "2025-03-01T10:00:01.000Z",
    },
    {
      name: "beta:1_x-y",
      value: "b-1",
      version: 1,
      created_at: "2025-03-01T10:00:01.000Z",
    },
    {
      name: "zeta",
      value: "z-1",
      version: 1,
      created_at: "2025-03-01T10:00:00.000Z",
    },
  ]);
  deepStrictEqual((await list("")).map((s) => s.name), [
    "Alpha",
    "alpha",
    "beta:1_x-y",
    "zeta",
  ]);
  deepStrictEqual((await list(""))[3], {
    name: "zeta",
    version: 1,
    created_at: "2025-03-01T10:00:00.000Z",
    updated_at: "2025-03-01T10:00:00.000Z",
  });
});

Deno.test("secrets list: only one include_values that is exactly `true` includes values", async () => {
  const { server, list } = await setup();
  await using _ = server;
  server.putSecret(UUID, "api_token", "s3cret");
  ok("value" in (await list("?include_values=true"))[0]);
  ok("value" in (await list("?other=1&include_values=true"))[0]);
  for (
    const query of [
      "",
      "?include_values=TRUE",
      "?include_values=True",
      "?include_values=1",
      "?include_values=yes",
      "?include_values=true%20",
      "?include_values=true+",
      "?include_values=%20true",
      "?include_values=",
      "?include_values",
      "?include_values=true&include_values=true",
      "?include_values=false&include_values=true",
      "?include_values=true&include_values=false",
      "?Include_Values=true",
    ]
  ) {
    const [secret] = await list(query);
    strictEqual("value" in secret, false, query);
    strictEqual(secret.updated_at !== undefined, true, query);
  }
});

Deno.test("secrets list: at most 1,000 secrets, the first by name, no pagination", async () => {
  const { server, call, list } = await setup();
  await using _ = server;
  for (let i = MAX_LISTED_SECRETS; i >= 0; i--) {
    server.putSecret(UUID, `s${String(i).padStart(4, "0")}`, `v${i}`);
  }
  const secrets = await list();
  strictEqual(MAX_LISTED_SECRETS, 1000);
  strictEqual(secrets.length, 1000);
  strictEqual(secrets[0].name, "s0000");
  strictEqual(secrets[999].name, "s0999");
  strictEqual(secrets[999].value, "v999");
  // No cursor or page of any kind in the answer, and asking for one changes nothing.
  const { body } = await call("GET", "/secrets?include_values=true");
  deepStrictEqual(Object.keys(body), ["success", "data"]);
  deepStrictEqual(Object.keys(body.data), ["secrets"]);
  deepStrictEqual(
    (await list("?include_values=true&page=2&cursor=s0999&offset=1000"))
      .map((s) => s.name),
    secrets.map((s) => s.name),
  );
});

Deno.test("secrets: no-store, no validators, conditional requests get the full answer", async () => {
  const { server, call } = await setup();
  await using _ = server;
  server.putSecret(UUID, "api_token", "s3cret");
  for (
    const headers of [
      {} as Record<string, string>,
      { "if-none-match": "*" },
      { "if-none-match": 'W/"anything"' },
      { "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" },
    ]
  ) {
    for (const path of ["/secrets", "/secrets?include_values=true"]) {
      const { response, body } = await call("GET", path, { headers });
      strictEqual(response.status, 200, JSON.stringify(headers));
      strictEqual(response.headers.get("cache-control"), "no-store");
      strictEqual(response.headers.get("etag"), null);
      strictEqual(response.headers.get("last-modified"), null);
      strictEqual(body.data.secrets.length, 1);
    }
  }
  const one = await call("GET", "/secrets/api_token");
  strictEqual(one.response.headers.get("cache-control"), "no-store");
  const missing = await call("GET", "/secrets/absent");
  strictEqual(missing.response.status, 404);
  strictEqual(missing.response.headers.get("cache-control"), "no-store");
});

Deno.test("secrets: version grows on every write, even of the same value", async () => {
  let now = Date.parse("2025-03-01T10:00:00Z");
  const { server, post, list } = await setup({ now: () => now });
  await using _ = server;
  const versions = [];
  for (const value of ["one", "one", "two", "two"]) {
    const { response, body } = await post("api_token", value);
    strictEqual(response.status, 200);
    versions.push(body.data.version);
    now += 1000;
  }
  deepStrictEqual(versions, [1, 2, 3, 4]);
  deepStrictEqual(await list(), [{
    name: "api_token",
    value: "two",
    version: 4,
    created_at: "2025-03-01T10:00:00.000Z",
  }]);
  strictEqual(server.putSecret(UUID, "api_token", "two").version, 5);
});

Deno.test("secrets: a deleted secret disappears; re-created, it starts at version 1 with a new created_at", async () => {
  let now = Date.parse("2025-03-01T10:00:00Z");
  const { server, call, post, list } = await setup({ now: () => now });
  await using _ = server;
  await post("api_token", "a");
  await post("api_token", "b");
  await post("other", "x");
  now += 60_000;
  const deleted = await call("DELETE", "/secrets/api_token");
  strictEqual(deleted.response.status, 200);
  deepStrictEqual((await list()).map((s) => s.name), ["other"]);
  strictEqual((await call("GET", "/secrets/api_token")).response.status, 404);
  strictEqual(
    (await call("DELETE", "/secrets/api_token")).response.status,
    404,
  );
  now += 60_000;
  const { body } = await post("api_token", "b");
  strictEqual(body.data.version, 1);
  strictEqual(body.data.created_at, "2025-03-01T10:02:00.000Z");
  deepStrictEqual((await list())[0], {
    name: "api_token",
    value: "b",
    version: 1,
    created_at: "2025-03-01T10:02:00.000Z",
  });
  // The test helper deletes the same way.
  strictEqual(server.deleteSecret(UUID, "other"), true);
  strictEqual(server.deleteSecret(UUID, "other"), false);
  deepStrictEqual((await list()).map((s) => s.name), ["api_token"]);
});

Deno.test("secrets: two concurrent updates can both answer the same version", async () => {
  const { server, post, list } = await setup();
  await using _ = server;
  await post("api_token", "v1");
  strictEqual((await post("api_token", "first")).body.data.version, 2);
  server.raceSecretWrites({ name: "api_token" });
  strictEqual((await post("api_token", "second")).body.data.version, 2);
  // The racing write won: same version, another value.
  deepStrictEqual(
    (await list()).map((s) => [s.name, s.value, s.version]),
    [["api_token", "second", 2]],
  );
  // The rule is used up: the next write is ordinary.
  strictEqual((await post("api_token", "third")).body.data.version, 3);
  // A rule for another name leaves this one alone.
  server.raceSecretWrites({ name: /^db_/, times: 2 });
  strictEqual((await post("api_token", "fourth")).body.data.version, 4);
  strictEqual((await post("db_password", "p1")).body.data.version, 1);
  strictEqual((await post("db_password", "p2")).body.data.version, 1);
});

Deno.test("secrets: selections and select-provider are reserved (400 validation_error)", async () => {
  const { server, call, post, list } = await setup();
  await using _ = server;
  for (const name of ["selections", "select-provider"]) {
    const { response, body } = await post(name, "x");
    strictEqual(response.status, 400);
    deepStrictEqual(body, {
      success: false,
      error: {
        code: "validation_error",
        message: `Secret name "${name}" is reserved`,
        action: "Choose another name for the secret",
      },
    });
    strictEqual((await call("GET", `/secrets/${name}`)).response.status, 400);
    strictEqual(
      (await call("DELETE", `/secrets/${name}`)).response.status,
      400,
    );
    let thrown: unknown;
    try {
      server.putSecret(UUID, name, "x");
    } catch (error) {
      thrown = error;
    }
    ok(thrown instanceof TypeError);
  }
  // Names that merely look alike are ordinary.
  strictEqual((await post("selection", "x")).response.status, 200);
  strictEqual((await post("Selections", "x")).response.status, 200);
  deepStrictEqual((await list()).map((s) => s.name), [
    "Selections",
    "selection",
  ]);
  strictEqual(server.storeWrites, 2);
});

Deno.test("secrets: GET /secrets/{name} writes to the store on every read; the list never does", async () => {
  const { server, call, post, list } = await setup();
  await using _ = server;
  await post("api_token", "v");
  strictEqual(server.storeWrites, 1);
  for (let i = 0; i < 3; i++) await list();
  await list("");
  strictEqual(server.storeWrites, 1);
  for (let i = 0; i < 3; i++) {
    const { body } = await call("GET", "/secrets/api_token");
    strictEqual(body.data.value, "v");
    // Reading does not change the version.
    strictEqual(body.data.version, 1);
  }
  strictEqual(server.storeWrites, 4);
  await call("GET", "/secrets/absent");
  strictEqual(server.storeWrites, 4);
  await call("DELETE", "/secrets/api_token");
  strictEqual(server.storeWrites, 5);
  // Seeding by the test is not a request.
  server.putSecret(UUID, "seeded", "x");
  strictEqual(server.storeWrites, 5);
});

Deno.test("secrets: a write shows to readers only after the visibility delay, on the injected clock", async () => {
  let now = Date.parse("2025-03-01T10:00:00Z");
  const { server, call, post, list } = await setup({
    now: () => now,
    secretVisibilityDelayMs: 60_000,
  });
  await using _ = server;
  await post("api_token", "old");
  deepStrictEqual(await list(), []);
  strictEqual((await call("GET", "/secrets/api_token")).response.status, 404);
  now += 59_999;
  deepStrictEqual(await list(), []);
  now += 1;
  deepStrictEqual((await list()).map((s) => [s.value, s.version]), [[
    "old",
    1,
  ]]);
  // A rotation: readers keep the old value for 60 s; the writer already
  // counts from the new version.
  strictEqual((await post("api_token", "new")).body.data.version, 2);
  now += 30_000;
  strictEqual((await post("api_token", "newer")).body.data.version, 3);
  deepStrictEqual((await list()).map((s) => [s.value, s.version]), [[
    "old",
    1,
  ]]);
  strictEqual((await call("GET", "/secrets/api_token")).body.data.value, "old");
  now += 30_000;
  deepStrictEqual((await list()).map((s) => [s.value, s.version]), [[
    "new",
    2,
  ]]);
  now += 30_000;
  deepStrictEqual((await list()).map((s) => [s.value, s.version]), [[
    "newer",
    3,
  ]]);
  // A delete shows late too; secretsOf gives the store as written.
  await call("DELETE", "/secrets/api_token");
  deepStrictEqual(server.secretsOf(UUID), []);
  strictEqual((await list()).length, 1);
  now += 60_000;
  deepStrictEqual(await list(), []);
  // The delay can be changed for later writes.
  server.secretVisibilityDelayMs = 0;
  await post("api_token", "now");
  deepStrictEqual((await list()).map((s) => s.value), ["now"]);
});

Deno.test("secrets: no delay by default; secretsOf is sorted by name", async () => {
  const { server, post, list } = await setup();
  await using _ = server;
  strictEqual(server.secretVisibilityDelayMs, 0);
  await post("b", "2");
  await post("a", "1");
  deepStrictEqual((await list()).map((s) => s.value), ["1", "2"]);
  deepStrictEqual(server.secretsOf(UUID).map((s) => s.name), ["a", "b"]);
});

Deno.test("secrets: every route needs a valid bearer token, else 401 with the contract's body", async () => {
  const { server, token } = await setup({ now: () => Date.now() });
  await using _ = server;
  server.putSecret(UUID, "api_token", "s3cret");
  const expired = await server.issueToken({ user_uuid: UUID }, {
    expiresIn: -10,
  });
  const cases: [string | null, string, string][] = [
    [null, "unauthorized", "Missing Authorization header"],
    [
      `Basic ${token}`,
      "unauthorized",
      "Invalid Authorization header format. Expected: Bearer <token>",
    ],
    [
      `bearer ${token}`,
      "unauthorized",
      "Invalid Authorization header format. Expected: Bearer <token>",
    ],
    [
      token,
      "unauthorized",
      "Invalid Authorization header format. Expected: Bearer <token>",
    ],
    [
      "Bearer not-a-jwt",
      "authentication_failed",
      "JWT validation failed: Invalid JWT format",
    ],
    [
      `Bearer ${token.slice(0, -4)}AAAA`,
      "authentication_failed",
      "JWT validation failed: Invalid signature",
    ],
    [
      `Bearer ${expired}`,
      "authentication_failed",
      "JWT validation failed: Token expired",
    ],
  ];
  const routes: [string, string][] = [
    ["GET", "/secrets"],
    ["GET", "/secrets?include_values=true"],
    ["GET", "/api/secrets?include_values=true"],
    ["GET", "/secrets/api_token"],
    ["POST", "/secrets/api_token"],
    ["DELETE", "/secrets/api_token"],
  ];
  for (const [authorization, code, message] of cases) {
    for (const [method, path] of routes) {
      const response = await fetch(`${server.apiUrl}${path}`, {
        method,
        headers: authorization === null ? {} : { authorization },
        body: method === "POST" ? JSON.stringify({ value: "x" }) : undefined,
      });
      const what = `${method} ${path} with ${authorization?.slice(0, 12)}`;
      strictEqual(response.status, 401, what);
      strictEqual(response.headers.get("cache-control"), "no-store", what);
      const body = await response.json();
      strictEqual(body.success, false, what);
      deepStrictEqual(body.error, { code, message }, what);
      strictEqual(JSON.stringify(body).includes("s3cret"), false, what);
    }
  }
  // Nothing was written or changed by the refused requests.
  strictEqual(server.storeWrites, 0);
  deepStrictEqual(server.secretsOf(UUID).map((s) => s.version), [1]);
  // Another user's token sees only its own secrets.
  const other = await server.issueToken({ user_uuid: OTHER });
  const answer = await fetch(`${server.apiUrl}/secrets?include_values=true`, {
    headers: { authorization: `Bearer ${other}` },
  });
  deepStrictEqual(await answer.json(), {
    success: true,
    data: { secrets: [] },
  });
});

Deno.test("countRequests counts per route and method, /api prefix and query aside", async () => {
  const { server, call, list } = await setup();
  await using _ = server;
  server.putSecret(UUID, "api_token", "v");
  await list();
  await list("");
  await call("GET", "/api/secrets?include_values=true");
  await call("GET", "/secrets/api_token");
  await call("POST", "/secrets/api_token", { body: { value: "w" } });
  server.fail({
    path: "/secrets",
    times: 1,
    failure: { status: 503, code: "internal_error", message: "down" },
  });
  strictEqual((await call("GET", "/secrets")).response.status, 503);
  strictEqual(server.countRequests("/secrets"), 4);
  strictEqual(server.countRequests("/secrets", "GET"), 4);
  strictEqual(server.countRequests("/secrets", "POST"), 0);
  strictEqual(server.countRequests(/^\/secrets\//), 2);
  strictEqual(server.countRequests(/^\/secrets\//, "POST"), 1);
  strictEqual(server.countRequests("/releases"), 0);
});

Deno.test("the loopback leger.run goes down (connection refused) and comes back on the same port with its secrets", async () => {
  await using server = await LegerRunServer.start();
  const token = await server.issueToken({ user_uuid: crypto.randomUUID() });
  const headers = { authorization: `Bearer ${token}` };
  const set = await fetch(`${server.apiUrl}/secrets/api_token`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ value: "v1" }),
  });
  await set.body?.cancel();
  await server.goDown();
  await rejects(fetch(`${server.apiUrl}/secrets`, { headers }), TypeError);
  await server.comeBack();
  const answer = await fetch(`${server.apiUrl}/secrets`, { headers });
  const body = await answer.json();
  deepStrictEqual(
    body.data.secrets.map((s: { name: string }) => s.name),
    ["api_token"],
  );
});
