import {
  deepStrictEqual,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { LegerError } from "../lib/errors/mod.ts";
import { LegerdClient } from "../lib/secrets/legerd_client.ts";
import { StubEngine, stubHealth } from "./_stub_engine.ts";
import { httpStatusOf, startControlServer } from "./control_server.ts";

const NOW = new Date("2025-06-01T12:00:00Z");

/** A temporary runtime folder and a server on `<it>/leger/legerd.sock`. */
async function serve(engine = new StubEngine()) {
  const runtime = await Deno.makeTempDir({ prefix: "leger_" });
  const path = `${runtime}/leger/legerd.sock`;
  const logs: string[] = [];
  const server = await startControlServer(engine, {
    path,
    now: () => NOW,
    log: (line) => logs.push(line),
  });
  const client = Deno.createHttpClient({ proxy: { transport: "unix", path } });
  return {
    engine,
    runtime,
    path,
    logs,
    server,
    /** Sends a request over the socket (absolute form, as fetch does through the unix proxy). */
    async send(method: string, route: string, body?: string) {
      const response = await fetch(`http://legerd${route}`, {
        method,
        client,
        body,
      });
      return {
        status: response.status,
        headers: response.headers,
        json: await response.json(),
      };
    },
    async [Symbol.asyncDispose]() {
      client.close();
      await server.shutdown().catch(() => {});
      await Deno.remove(runtime, { recursive: true });
    },
  };
}

Deno.test("startControlServer() serves health and secrets over the unix socket", async () => {
  await using box = await serve();
  box.engine.secretsValue = [
    {
      name: "api_token",
      state: "synced",
      version: 3,
      used_by: ["web.container"],
      synced_at: NOW.toISOString(),
    },
  ];
  const health = await box.send("GET", "/v1/health");
  strictEqual(health.status, 200);
  deepStrictEqual(health.json, stubHealth());
  strictEqual(health.headers.get("content-type"), "application/json");
  const secrets = await box.send("GET", "/v1/secrets");
  deepStrictEqual(secrets.json, { secrets: box.engine.secretsValue });
  deepStrictEqual(box.logs, [], "reads are not logged");
});

Deno.test("startControlServer() routes by the URL's path, in origin form too", async () => {
  await using box = await serve();
  const conn = await Deno.connect({ transport: "unix", path: box.path });
  await conn.write(
    new TextEncoder().encode(
      "GET /v1/health HTTP/1.1\r\nHost: legerd\r\nConnection: close\r\n\r\n",
    ),
  );
  let text = "";
  const buffer = new Uint8Array(65536);
  while (true) {
    const read = await conn.read(buffer);
    if (read === null) break;
    text += new TextDecoder().decode(buffer.subarray(0, read));
  }
  conn.close();
  match(text, /^HTTP\/1\.1 200 OK\r\n/);
  match(text, /"status":"ok"/);
});

Deno.test("startControlServer() passes sync, rotate and purge requests to the engine", async () => {
  await using box = await serve();
  const sync = await box.send(
    "POST",
    "/v1/sync",
    JSON.stringify({
      service: "web",
      secrets: ["api_token"],
      force: true,
      dry_run: true,
    }),
  );
  strictEqual(sync.status, 200);
  strictEqual(sync.json.dry_run, true);
  deepStrictEqual(box.engine.syncRequests, [{
    service: "web",
    secrets: ["api_token"],
    force: true,
    dry_run: true,
  }]);
  const empty = await box.send("POST", "/v1/sync");
  strictEqual(empty.status, 200, "no body is an empty request");
  deepStrictEqual(box.engine.syncRequests[1], {});
  const rotate = await box.send(
    "POST",
    "/v1/rotate",
    JSON.stringify({ name: "api_token", restart: false }),
  );
  deepStrictEqual(rotate.json, {
    name: "api_token",
    version: 2,
    changed: true,
    restarted: [],
  });
  box.engine.onPurge = () =>
    Promise.resolve({ removed: ["api_token", "db_password"] });
  const purge = await box.send("POST", "/v1/purge", "{}");
  deepStrictEqual(purge.json, { removed: ["api_token", "db_password"] });
  deepStrictEqual(box.engine.calls, [
    'sync {"service":"web","secrets":["api_token"],"force":true,"dry_run":true}',
    "sync {}",
    'rotate {"name":"api_token","restart":false}',
    "purge",
  ]);
  strictEqual(box.logs.length, 4);
  for (const line of box.logs) {
    match(line, /^api: POST \/v1\/(sync|rotate|purge) answered 200 in \d+ ms$/);
  }
});

Deno.test("startControlServer() refuses bad requests with 4xx and an error body naming the field", async (t) => {
  await using box = await serve();
  const cases: {
    name: string;
    method: string;
    route: string;
    body?: string;
    status: number;
    message: RegExp;
  }[] = [
    {
      name: "not JSON",
      method: "POST",
      route: "/v1/sync",
      body: "{force: true}",
      status: 400,
      message: /^Cannot sync the secrets: the body is not JSON$/,
    },
    {
      name: "not an object",
      method: "POST",
      route: "/v1/sync",
      body: "[]",
      status: 400,
      message:
        /the body must be a JSON object \(with service, secrets, force, dry_run\)/,
    },
    {
      name: "a field of the wrong kind",
      method: "POST",
      route: "/v1/sync",
      body: '{"force": "yes"}',
      status: 400,
      message:
        /^Cannot sync the secrets: field "force" must be true or false, not a string$/,
    },
    {
      name: "a list with a number",
      method: "POST",
      route: "/v1/sync",
      body: '{"secrets": ["a", 1]}',
      status: 400,
      message:
        /field "secrets" must be a list of non-empty strings, not a list/,
    },
    {
      name: "an unknown field",
      method: "POST",
      route: "/v1/sync",
      body: '{"forse": true}',
      status: 400,
      message:
        /unknown field "forse" \(it takes service, secrets, force, dry_run\)/,
    },
    {
      name: "rotate without a name",
      method: "POST",
      route: "/v1/rotate",
      body: '{"restart": false}',
      status: 400,
      message: /^Cannot rotate the secret: field "name" is missing$/,
    },
    {
      name: "purge with a field",
      method: "POST",
      route: "/v1/purge",
      body: '{"all": true}',
      status: 400,
      message: /unknown field "all" \(it takes no fields\)/,
    },
    {
      name: "a body too large",
      method: "POST",
      route: "/v1/sync",
      body: JSON.stringify({ service: "x".repeat(70_000) }),
      status: 413,
      message: /the body is larger than 64 KiB/,
    },
    {
      name: "an unknown route",
      method: "GET",
      route: "/v2/health",
      status: 404,
      message: /^Cannot answer GET \/v2\/health: legerd has no such route$/,
    },
    {
      name: "a wrong method",
      method: "GET",
      route: "/v1/sync",
      status: 405,
      message: /^Cannot sync the secrets: \/v1\/sync takes POST, not GET$/,
    },
  ];
  for (const { name, method, route, body, status, message } of cases) {
    await t.step(name, async () => {
      const answer = await box.send(method, route, body);
      strictEqual(answer.status, status);
      strictEqual(answer.json.error.code, "ERR_USAGE");
      match(answer.json.error.message, message);
      strictEqual(answer.json.error.at, NOW.toISOString());
      ok(answer.json.error.fix.length > 0);
      if (status === 405) strictEqual(answer.headers.get("allow"), "POST");
    });
  }
  deepStrictEqual(box.engine.calls, [], "the engine saw none of them");
});

Deno.test("startControlServer() never echoes or logs what a request held", async () => {
  await using box = await serve();
  const answer = await box.send(
    "POST",
    "/v1/rotate",
    JSON.stringify({ name: "api_token", value: "s3cret-value" }),
  );
  strictEqual(answer.status, 400);
  match(answer.json.error.message, /unknown field "value"/);
  const wrongKind = await box.send(
    "POST",
    "/v1/sync",
    JSON.stringify({ service: ["s3cret-value"] }),
  );
  strictEqual(wrongKind.status, 400);
  const everything = JSON.stringify([answer.json, wrongKind.json, box.logs]);
  strictEqual(everything.includes("s3cret-value"), false, everything);
});

Deno.test("startControlServer() answers the engine's errors with their code, message, fix and a status", async (t) => {
  await using box = await serve();
  const cases: {
    name: string;
    error: unknown;
    status: number;
    code: string;
    message: RegExp;
  }[] = [
    {
      name: "leger.run down",
      error: new LegerError(
        "ERR_API_UNREACHABLE",
        "Cannot fetch the secrets: leger.run does not answer",
      ),
      status: 502,
      code: "ERR_API_UNREACHABLE",
      message: /^Cannot fetch the secrets: leger\.run does not answer$/,
    },
    {
      name: "no login",
      error: new LegerError(
        "ERR_LEGER_NOT_AUTHENTICATED",
        "Cannot fetch the secrets: no login",
      ),
      status: 503,
      code: "ERR_LEGER_NOT_AUTHENTICATED",
      message: /no login/,
    },
    {
      name: "a system error",
      error: new Deno.errors.PermissionDenied(
        "Permission denied (os error 13)",
      ),
      status: 500,
      code: "ERR_PERMISSION_DENIED",
      message: /permission denied/,
    },
    {
      name: "a bug",
      error: new TypeError("Cannot read properties of undefined"),
      status: 500,
      code: "ERR_INTERNAL",
      message: /Cannot read properties of undefined/,
    },
  ];
  for (const { name, error, status, code, message } of cases) {
    await t.step(name, async () => {
      box.engine.onSync = () => Promise.reject(error);
      const answer = await box.send("POST", "/v1/sync", "{}");
      strictEqual(answer.status, status);
      strictEqual(answer.json.error.code, code);
      match(answer.json.error.message, message);
      strictEqual(typeof answer.json.error.fix, "string");
    });
  }
  ok(
    box.logs.some((line) =>
      /^api: POST \/v1\/sync hit a bug: TypeError: Cannot read properties/.test(
        line,
      )
    ),
  );
});

Deno.test("startControlServer() speaks the contract leger's client reads (LegerdClient round trip)", async () => {
  await using box = await serve();
  const client = new LegerdClient(box.path, { scope: "user" });
  deepStrictEqual(await client.health(), stubHealth());
  strictEqual((await client.sync({ dry_run: true })).dry_run, true);
  box.engine.onRotate = () =>
    Promise.reject(
      new LegerError(
        "ERR_SECRET_NOT_FOUND",
        'Cannot rotate "api_token": leger.run has no such secret',
        {
          remedy: "Add it in the web UI",
        },
      ),
    );
  await rejects(client.rotate({ name: "api_token" }), {
    name: "LegerError",
    code: "ERR_SECRET_NOT_FOUND",
    message: 'Cannot rotate "api_token": leger.run has no such secret',
    remedy: "Add it in the web UI",
  });
});

Deno.test("startControlServer() makes the folder 0700 and the socket 0600, and removes the socket on shutdown", async () => {
  const runtime = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.mkdir(`${runtime}/leger`, { mode: 0o755 });
    await Deno.chmod(`${runtime}/leger`, 0o755);
    const path = `${runtime}/leger/legerd.sock`;
    const server = await startControlServer(new StubEngine(), { path });
    strictEqual((await Deno.stat(`${runtime}/leger`)).mode! & 0o777, 0o700);
    const socket = await Deno.lstat(path);
    strictEqual(socket.isSocket, true);
    strictEqual(socket.mode! & 0o777, 0o600);
    await server.shutdown();
    await rejects(Deno.lstat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(runtime, { recursive: true });
  }
});

Deno.test("startControlServer() removes a socket left by a legerd that died", async () => {
  const runtime = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.mkdir(`${runtime}/leger`, { mode: 0o700 });
    const path = `${runtime}/leger/legerd.sock`;
    // Deno removes a listener's file when it closes: a hard link keeps one
    // behind, as a legerd killed with SIGKILL leaves it.
    const listener = Deno.listen({ transport: "unix", path: `${path}.live` });
    await Deno.link(`${path}.live`, path);
    listener.close();
    strictEqual(
      (await Deno.lstat(path)).isSocket,
      true,
      "a socket file nobody listens on",
    );
    const logs: string[] = [];
    const server = await startControlServer(new StubEngine(), {
      path,
      log: (line) => logs.push(line),
    });
    deepStrictEqual(logs, [
      `removed the socket a previous legerd left at ${path}`,
    ]);
    await server.shutdown();
  } finally {
    await Deno.remove(runtime, { recursive: true });
  }
});

Deno.test("startControlServer() refuses to start when another legerd answers on the socket", async () => {
  await using box = await serve();
  await rejects(startControlServer(new StubEngine(), { path: box.path }), {
    name: "LegerError",
    code: "ERR_LEGERD_RUNNING",
    message: `Cannot start legerd: another legerd answers on ${box.path}`,
  });
  strictEqual(
    (await box.send("GET", "/v1/health")).status,
    200,
    "the first one still answers",
  );
});

Deno.test("startControlServer() refuses a path held by something that is not a socket, or a missing runtime folder", async () => {
  const runtime = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await Deno.mkdir(`${runtime}/leger`, { mode: 0o700 });
    await Deno.writeTextFile(`${runtime}/leger/legerd.sock`, "not a socket");
    await rejects(
      startControlServer(new StubEngine(), {
        path: `${runtime}/leger/legerd.sock`,
      }),
      {
        code: "ERR_PATH_EXISTS",
        message: /a file that is not a socket is in the way/,
      },
    );
    await rejects(
      startControlServer(new StubEngine(), {
        path: `${runtime}/gone/leger/legerd.sock`,
      }),
      {
        code: "ERR_PATH_NOT_FOUND",
        message: new RegExp(
          `Cannot make legerd's socket folder ${runtime}/gone/leger: ${runtime}/gone does not exist`,
        ),
      },
    );
  } finally {
    await Deno.remove(runtime, { recursive: true });
  }
});

Deno.test("httpStatusOf() maps codes to statuses", () => {
  const cases: [string, number][] = [
    ["ERR_USAGE", 400],
    ["ERR_SECRET_NOT_FOUND", 404],
    ["ERR_LOCKED", 409],
    ["ERR_API_UNREACHABLE", 502],
    ["ERR_COMMAND_FAILED", 502],
    ["ERR_LEGER_NOT_AUTHENTICATED", 503],
    ["ERR_INTERNAL", 500],
    ["ERR_SOMETHING_NEW", 500],
  ];
  for (const [code, status] of cases) {
    strictEqual(httpStatusOf(code), status, code);
  }
});
