import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { LegerError } from "../errors/leger_error.ts";
import {
  healthyLegerd,
  startFakeLegerd,
  syncResult,
} from "../../tests/fakes/fake_legerd.ts";
import { LegerdClient } from "./legerd_client.ts";

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "leger_legerd_" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

Deno.test("LegerdClient speaks each route of legerd's API over its unix socket", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const path = `${dir}/leger/legerd.sock`;
  const secrets = [{
    name: "api_token",
    state: "synced" as const,
    version: 3,
    used_by: ["web.container"],
    synced_at: "2026-11-30T11:58:00.000Z",
  }];
  const sync = syncResult({
    plan: { create: [{ name: "a", version: 1, created_at: "x", digest: "d" }] },
    applied: { created: ["a"], restarted: ["web.service"] },
  });
  await using legerd = await startFakeLegerd(path, {
    engine: {
      health: () => healthyLegerd(),
      secrets: () => secrets,
      sync: () => sync,
      rotate: (r) => ({
        name: r.name,
        version: 4,
        changed: true,
        restarted: ["web.service"],
      }),
      purge: () => ({ removed: ["a", "b"] }),
    },
  });
  const client = new LegerdClient(path);
  deepStrictEqual(await client.health(), healthyLegerd());
  deepStrictEqual(await client.secrets(), secrets);
  deepStrictEqual(await client.sync({ service: "web", dry_run: true }), sync);
  deepStrictEqual(await client.rotate({ name: "api_token", restart: false }), {
    name: "api_token",
    version: 4,
    changed: true,
    restarted: ["web.service"],
  });
  deepStrictEqual(await client.purge(), { removed: ["a", "b"] });
  deepStrictEqual(legerd.requests, [
    { method: "GET", path: "/v1/health", body: null },
    { method: "GET", path: "/v1/secrets", body: null },
    {
      method: "POST",
      path: "/v1/sync",
      body: { service: "web", dry_run: true },
    },
    {
      method: "POST",
      path: "/v1/rotate",
      body: { name: "api_token", restart: false },
    },
    { method: "POST", path: "/v1/purge", body: {} },
  ]);
});

Deno.test("LegerdClient says legerd is not running, with the command that starts it in its scope and the one that says why it stopped", async (t) => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  // Connecting to what is no listening socket fails as for a socket a
  // killed legerd left behind: ECONNREFUSED.
  const keep = `${dir}/stale.sock`;
  await Deno.writeTextFile(keep, "");
  const cases = [
    {
      name: "no socket, user scope",
      path: `${dir}/run/leger/legerd.sock`,
      scope: "user" as const,
      message:
        `Cannot read legerd's health: legerd is not running (no control socket at ${dir}/run/leger/legerd.sock)`,
      remedy:
        "Start it with `systemctl --user enable --now legerd.service`; if it does not stay up, `systemctl --user status legerd.service` says why",
    },
    {
      name: "no socket, system scope",
      path: `${dir}/run/leger/legerd.sock`,
      scope: "system" as const,
      message:
        `Cannot read legerd's health: legerd is not running (no control socket at ${dir}/run/leger/legerd.sock)`,
      remedy:
        "Start it with `systemctl enable --now legerd.service`; if it does not stay up, `systemctl status legerd.service` says why",
    },
    {
      name: "nothing listens there",
      path: keep,
      scope: "user" as const,
      message:
        `Cannot read legerd's health: legerd is not running (nothing listens on ${keep})`,
      remedy:
        "Start it with `systemctl --user enable --now legerd.service`; if it does not stay up, `systemctl --user status legerd.service` says why",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const client = new LegerdClient(c.path, { scope: c.scope });
      await rejects(client.health(), (error) => {
        strictEqual(error instanceof LegerError, true);
        const e = error as LegerError;
        strictEqual(e.code, "ERR_LEGERD_NOT_RUNNING");
        strictEqual(e.message, c.message);
        strictEqual(e.remedy, c.remedy);
        return true;
      });
    });
  }
});

Deno.test({
  name:
    `LegerdClient says the socket refuses this user (ERR_LEGERD_ACCESS_DENIED) when it is another user's 0600 socket${
      Deno.uid() === 0
        ? " (ignored: root may open any socket; the next test runs this case as nobody)"
        : ""
    }`,
  ignore: Deno.uid() === 0,
  async fn() {
    await using tmp = await tempDir();
    const dir = tmp.path;
    const path = `${dir}/legerd.sock`;
    await using _legerd = await startFakeLegerd(path, {
      engine: { health: () => healthyLegerd() },
    });
    await Deno.chmod(path, 0o000);
    await rejects(new LegerdClient(path).health(), {
      code: "ERR_LEGERD_ACCESS_DENIED",
      message:
        `Cannot read legerd's health: legerd's control socket ${path} refuses this user`,
    });
  },
});

Deno.test("LegerdClient reports legerd's own error with its code, message and fix", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const path = `${dir}/legerd.sock`;
  await using _legerd = await startFakeLegerd(path, {
    engine: {
      rotate: (r) => {
        throw new LegerError(
          "ERR_SECRET_FETCH_FAILED",
          `Cannot rotate "${r.name}": leger.run has no secret of that name`,
          { remedy: `Add it with \`leger secrets set ${r.name}\`` },
        );
      },
    },
    raw: {
      // A code of a newer legerd.
      "/v1/purge": () =>
        Response.json({
          error: {
            code: "ERR_FROM_THE_FUTURE",
            message: "Podman's store is being moved",
            fix: "Wait a minute",
            at: "2026-11-30T12:00:00.000Z",
          },
        }, { status: 503 }),
    },
  });
  const client = new LegerdClient(path);
  await rejects(client.rotate({ name: "nope" }), {
    name: "LegerError",
    code: "ERR_SECRET_FETCH_FAILED",
    message: 'Cannot rotate "nope": leger.run has no secret of that name',
    remedy: "Add it with `leger secrets set nope`",
  });
  await rejects(client.purge(), {
    code: "ERR_LEGERD_PROTOCOL",
    message:
      "Cannot remove the Podman secrets legerd manages: Podman's store is being moved (legerd's code ERR_FROM_THE_FUTURE, which this leger does not know)",
    remedy: "Wait a minute",
  });
});

Deno.test("LegerdClient refuses an answer it cannot read as ERR_LEGERD_PROTOCOL, naming the field", async (t) => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const path = `${dir}/legerd.sock`;
  const cases: { name: string; response: () => Response; message: RegExp }[] = [
    {
      name: "not JSON",
      response: () => new Response("<html>hello</html>"),
      message: /legerd answered HTTP 200 with a body that is not JSON/,
    },
    {
      name: "a field of the wrong type",
      response: () => Response.json({ ...healthyLegerd(), pid: "4242" }),
      message: /a document leger does not understand: pid is not a number/,
    },
    {
      name: "an unknown status",
      response: () => Response.json({ ...healthyLegerd(), status: "fine" }),
      message: /status is "fine", not one of ok, degraded, starting/,
    },
    {
      name: "a nested error of the wrong shape",
      response: () =>
        Response.json(
          healthyLegerd({
            leger_run: {
              api_url: "x",
              reachable: false,
              auth: "ok",
              last_error: { code: "ERR_API_UNREACHABLE" } as never,
            },
          }),
        ),
      message: /leger_run\.last_error\.message is not a string/,
    },
    {
      name: "an error status without an error body",
      response: () => new Response("{}", { status: 502 }),
      message:
        /HTTP 502 without an error leger understands: error is not an object/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using _legerd = await startFakeLegerd(path, {
        raw: { "/v1/health": c.response },
      });
      await rejects(new LegerdClient(path).health(), (error) => {
        strictEqual((error as LegerError).code, "ERR_LEGERD_PROTOCOL");
        match((error as LegerError).message, c.message);
        return true;
      });
    });
  }
  await t.step("the list of secrets", async () => {
    await using _legerd = await startFakeLegerd(path, {
      raw: {
        "/v1/secrets": () =>
          Response.json({ secrets: [{ name: "a", state: "lost" }] }),
      },
    });
    await rejects(new LegerdClient(path).secrets(), {
      code: "ERR_LEGERD_PROTOCOL",
      message: new RegExp(
        'secrets\\[0\\]\\.state is "lost", not one of synced, missing, pending, unmanaged, orphan',
      ),
    });
  });
});

Deno.test("LegerdClient gives up after its time limit with ERR_LEGERD_TIMEOUT", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const path = `${dir}/legerd.sock`;
  await using legerd = await startFakeLegerd(path, {
    engine: { health: () => healthyLegerd(), sync: () => syncResult() },
  });
  const held = legerd.hold();
  try {
    const client = new LegerdClient(path, {
      scope: "system",
      readTimeoutMs: 30,
      changeTimeoutMs: 40,
    });
    await rejects(client.health(), {
      code: "ERR_LEGERD_TIMEOUT",
      message:
        `Cannot read legerd's health: legerd did not answer within 30 ms (${path})`,
      remedy:
        "Read legerd's log with `journalctl -u legerd.service`, then run the command again",
    });
    await rejects(client.sync(), {
      code: "ERR_LEGERD_TIMEOUT",
      message: /Cannot sync the secrets: legerd did not answer within 40 ms/,
    });
  } finally {
    held.release();
  }
});

Deno.test("LegerdClient stops waiting when its signal is aborted, with the signal's reason", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const path = `${dir}/legerd.sock`;
  await using legerd = await startFakeLegerd(path, {
    engine: { sync: () => syncResult() },
  });
  const held = legerd.hold();
  const controller = new AbortController();
  const reason = new LegerError("ERR_INTERRUPTED", "Cannot sync: interrupted");
  try {
    const sync = new LegerdClient(path, { signal: controller.signal }).sync();
    await held.arrived;
    controller.abort(reason);
    await rejects(sync, (error) => error === reason);
  } finally {
    held.release();
  }
});

/** Runs `health()` in a child Deno with `flags` (as `user` when given) and returns the error's code and message. */
async function healthInChild(
  path: string,
  options: { flags: string[]; runAs?: string; dir: string },
): Promise<{ code: string; message: string; remedy: string }> {
  const script = `${options.dir}/child.ts`;
  await Deno.writeTextFile(
    script,
    `import { LegerdClient } from ${
      JSON.stringify(new URL("./legerd_client.ts", import.meta.url).href)
    };
try {
  await new LegerdClient(${JSON.stringify(path)}).health();
  console.log(JSON.stringify({ code: "none", message: "", remedy: "" }));
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message, remedy: error.remedy }));
}
`,
  );
  const deno = [Deno.execPath(), "run", "--quiet", ...options.flags, script];
  const argv = options.runAs === undefined
    ? deno
    : ["runuser", "-u", options.runAs, "--", ...deno];
  const { stdout, stderr } = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { DENO_DIR: `${options.dir}/deno`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (text === "") throw new Error(new TextDecoder().decode(stderr));
  return JSON.parse(text);
}

Deno.test({
  name:
    "LegerdClient says the socket refuses this user (ERR_LEGERD_ACCESS_DENIED) when another user runs it (as nobody, from root)",
  ignore: Deno.uid() !== 0 ||
    !(await Deno.lstat("/usr/sbin/runuser").then(() => true, () => false)),
  async fn() {
    await using tmp = await tempDir();
    const dir = tmp.path;
    await Deno.chmod(dir, 0o755);
    const path = `${dir}/legerd.sock`;
    await using _legerd = await startFakeLegerd(path, {
      engine: { health: () => healthyLegerd() },
    });
    await Deno.mkdir(`${dir}/deno`, { mode: 0o777 });
    await Deno.chmod(`${dir}/deno`, 0o777);
    const error = await healthInChild(path, {
      flags: ["--allow-all"],
      runAs: "nobody",
      dir,
    });
    deepStrictEqual(error, {
      code: "ERR_LEGERD_ACCESS_DENIED",
      message:
        `Cannot read legerd's health: legerd's control socket ${path} refuses this user`,
      remedy: "Run the command as the user legerd runs for: its socket is 0600",
    });
  },
});

Deno.test("LegerdClient names the permission it lacks when leger's flags do not name the socket", async () => {
  await using tmp = await tempDir();
  const dir = tmp.path;
  const path = `${dir}/legerd.sock`;
  await using _legerd = await startFakeLegerd(path, {
    engine: { health: () => healthyLegerd() },
  });
  const error = await healthInChild(path, {
    flags: ["--allow-read", "--allow-write", "--allow-net=legerd,127.0.0.1"],
    dir,
  });
  strictEqual(error.code, "ERR_NETWORK_NOT_ALLOWED");
  strictEqual(
    error.message,
    `Cannot read legerd's health: leger's permissions do not let it connect to legerd's socket ${path}`,
  );
  match(error.remedy, new RegExp(`--allow-net=unix:${path}`));
  const allowed = await healthInChild(path, {
    flags: ["--allow-read", "--allow-write", `--allow-net=unix:${path}`],
    dir,
  });
  strictEqual(allowed.code, "none");
});

Deno.test("LegerdClient answers every one of many requests, each from a new client", async () => {
  // With fetch over Deno.createHttpClient, about one in 25 new clients hung.
  await using tmp = await tempDir();
  const path = `${tmp.path}/legerd.sock`;
  await using legerd = await startFakeLegerd(path, {
    engine: { health: () => healthyLegerd() },
  });
  for (let i = 0; i < 100; i++) {
    await new LegerdClient(path, { readTimeoutMs: 2000 }).health();
  }
  strictEqual(legerd.requests.length, 100);
});

Deno.test("LegerdClient reads an answer sent in chunks", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.path}/legerd.sock`;
  const text = JSON.stringify(healthyLegerd());
  await using _legerd = await startFakeLegerd(path, {
    raw: {
      // A stream has no length: Deno.serve sends it chunked.
      "/v1/health": () =>
        new Response(
          new ReadableStream({
            start(controller) {
              const bytes = new TextEncoder().encode(text);
              controller.enqueue(bytes.subarray(0, 10));
              controller.enqueue(bytes.subarray(10));
              controller.close();
            },
          }),
        ),
    },
  });
  deepStrictEqual(await new LegerdClient(path).health(), healthyLegerd());
});

Deno.test("LegerdClient says what answers on the socket is no legerd when it does not speak HTTP", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.path}/legerd.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const served = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(1024));
    await conn.write(new TextEncoder().encode("SSH-2.0-OpenSSH_9.6\r\n"));
    conn.close();
  })();
  try {
    await rejects(new LegerdClient(path).health(), {
      code: "ERR_LEGERD_PROTOCOL",
      message:
        `Cannot read legerd's health: what answers on the socket does not speak HTTP: the answer has no end of headers (${path})`,
    });
  } finally {
    await served;
    listener.close();
  }
});

Deno.test("LegerdClient says legerd went away when it closes the connection before answering (ERR_LEGERD_DISCONNECTED)", async (t) => {
  await using tmp = await tempDir();
  const path = `${tmp.path}/legerd.sock`;
  /** A legerd that dies with each request in hand: it reads it (or not), then closes. */
  async function dyingLegerd(read: boolean, fn: () => Promise<void>) {
    const listener = Deno.listen({ transport: "unix", path });
    const served = (async () => {
      for await (const conn of listener) {
        if (read) await conn.read(new Uint8Array(64 * 1024));
        conn.close();
      }
    })();
    try {
      await fn();
    } finally {
      listener.close();
      await served.catch(() => {});
    }
  }
  const cases = [
    { name: "after reading the request", read: true },
    { name: "without reading it (the connection is reset)", read: false },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await dyingLegerd(c.read, async () => {
        await rejects(
          new LegerdClient(path).sync({ secrets: ["a".repeat(200_000)] }),
          {
            code: "ERR_LEGERD_DISCONNECTED",
            message:
              `Cannot sync the secrets: legerd closed the connection before answering: it stopped or restarted during the request, so the step may be half done (${path})`,
            remedy:
              "Check `systemctl --user status legerd.service`; a sync or rotate is safe to run again",
          },
        );
        await rejects(new LegerdClient(path, { scope: "system" }).health(), {
          code: "ERR_LEGERD_DISCONNECTED",
          message:
            `Cannot read legerd's health: legerd closed the connection before answering: it stopped or restarted during the request (${path})`,
          remedy:
            "Check `systemctl status legerd.service`, then run the command again",
        });
      });
    });
  }
});

Deno.test("LegerdClient reads a secret legerd cannot tell about yet (pending)", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.path}/legerd.sock`;
  const secrets = [{
    name: "api_token",
    state: "pending" as const,
    version: null,
    used_by: ["web.container"],
    synced_at: null,
  }];
  await using _legerd = await startFakeLegerd(path, {
    engine: { secrets: () => secrets },
  });
  deepStrictEqual(await new LegerdClient(path).secrets(), secrets);
});

Deno.test("LegerdClient reads legerd.yaml's reload error in health, and health without it from an older legerd", async (t) => {
  await using tmp = await tempDir();
  const path = `${tmp.path}/legerd.sock`;
  const failed = healthyLegerd({
    config: {
      file: "/home/u/.config/leger/legerd.yaml",
      error: {
        code: "ERR_CONFIG_INVALID",
        message:
          'Cannot reload /home/u/.config/leger/legerd.yaml: poll_interval "5 minutes" is not a duration',
        fix: "Write it as 30s, 5m or 1h",
        at: "2026-11-30T12:00:00.000Z",
      },
    },
  });
  const { config: _, ...older } = healthyLegerd();
  const cases: { name: string; answer: unknown; error?: RegExp }[] = [
    { name: "a failed reload", answer: failed },
    { name: "an older legerd", answer: older },
    {
      name: "config of the wrong shape",
      answer: { ...healthyLegerd(), config: { file: 3, error: null } },
      error: /config\.file is not a string/,
    },
    {
      name: "a reload error of the wrong shape",
      answer: { ...healthyLegerd(), config: { file: "x", error: "bad" } },
      error: /config\.error is not an object/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using _legerd = await startFakeLegerd(path, {
        raw: { "/v1/health": () => Response.json(c.answer) },
      });
      const health = new LegerdClient(path).health();
      if (c.error === undefined) {
        deepStrictEqual(await health, c.answer);
      } else {
        await rejects(health, {
          code: "ERR_LEGERD_PROTOCOL",
          message: c.error,
        });
      }
    });
  }
});
