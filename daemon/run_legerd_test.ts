import {
  deepStrictEqual,
  fail,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { ALLOWED_NET_HOSTS } from "../lib/api/allowed_net_hosts.ts";
import type { RuntimeFolder } from "../lib/auth/user_session_error.ts";
import { LegerError } from "../lib/errors/mod.ts";
import { LegerdClient } from "../lib/secrets/legerd_client.ts";
import type { SyncResult } from "../lib/secrets/control_api.ts";
import { FakeTimers, settle } from "./_fake_timers.ts";
import { LegerdConfigError } from "./legerd_config_error.ts";
import { StubEngine, stubHealth, stubSyncResult } from "./_stub_engine.ts";
import {
  type EngineFactoryOptions,
  type LegerdHost,
  type LegerdSignal,
  runLegerd,
  statusLine,
} from "./run_legerd.ts";

/** Waits for a condition, checking after each turn of the event loop, up to a bound. */
async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A temporary home and runtime folder, a fake systemd notify socket, and a host over them. */
async function sandbox(
  options: { env?: Record<string, string>; engine?: StubEngine } = {},
) {
  const root = await Deno.makeTempDir({ prefix: "leger_" });
  const runtime = `${root}/run`;
  const config = `${root}/config`;
  await Deno.mkdir(runtime, { mode: 0o700 });
  await Deno.mkdir(`${runtime}/systemd`);
  await Deno.mkdir(`${config}/leger`, { recursive: true });
  const notifyPath = `${runtime}/systemd/notify`;
  const systemd = Deno.listenDatagram({
    transport: "unixpacket",
    path: notifyPath,
  });
  const messages: string[] = [];
  (async () => {
    try {
      for (;;) {
        const [data] = await systemd.receive();
        messages.push(new TextDecoder().decode(data));
      }
    } catch {
      // closed
    }
  })();
  const env: Record<string, string> = {
    XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: config,
    XDG_DATA_HOME: `${root}/data`,
    NOTIFY_SOCKET: notifyPath,
    LEGER_API_URL: "http://127.0.0.1:9",
    ...options.env,
  };
  const engine = options.engine ?? new StubEngine();
  const handlers = new Map<LegerdSignal, () => void>();
  const logs: string[] = [];
  const engineOptions: EngineFactoryOptions[] = [];
  const timers = new FakeTimers();
  let ready: (path: string) => void = () => {};
  const readyPromise = new Promise<string>((resolve) => ready = resolve);
  const host: LegerdHost = {
    env: (name) => env[name],
    home: `${root}/home`,
    uid: 1000,
    pid: 4242,
    log: (line) => logs.push(line),
    createEngine: (created) => {
      engineOptions.push(created);
      return engine;
    },
    onSignal: (signal, handler) => {
      handlers.set(signal, handler);
      return () => handlers.delete(signal);
    },
    netAllowed: () => true,
    // The sandbox's runtime folder is root's or the tester's: it counts as
    // the fake uid's own.
    stat: () => ({ kind: "folder", uid: 1000 }),
    random: () => 0.5,
    startTimer: timers.startTimer,
    now: timers.now,
    onReady: (path) => ready(path),
  };
  return {
    root,
    runtime,
    socketPath: `${runtime}/leger/legerd.sock`,
    configFile: `${config}/leger/legerd.yaml`,
    quadletDir: `${config}/containers/systemd`,
    env,
    host,
    engine,
    engineOptions,
    logs,
    messages,
    timers,
    ready: readyPromise,
    signal(name: LegerdSignal) {
      const handler = handlers.get(name);
      if (handler === undefined) throw new Error(`no ${name} handler`);
      handler();
    },
    listening: () => handlers.size > 0,
    async [Symbol.asyncDispose]() {
      systemd.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("runLegerd() serves the socket, tells systemd it is ready, reloads on SIGHUP and stops on SIGTERM", async () => {
  await using box = await sandbox();
  await Deno.writeTextFile(box.configFile, "poll_interval: 2m\n");
  const running = runLegerd({}, box.host);
  strictEqual(await box.ready, box.socketPath);

  // The engine got the config, the scope's context and leger.run's URLs.
  const [created] = box.engineOptions;
  strictEqual(created.scope, "user");
  strictEqual(created.context.scope, "user");
  strictEqual(created.restart, "on-rotation");
  strictEqual(created.pollIntervalMs, 120_000);
  strictEqual(created.apiUrl, "http://127.0.0.1:9");
  strictEqual(created.webUrl, "https://app.leger.run");
  strictEqual(created.configFile, box.configFile);
  deepStrictEqual(box.engine.calls, ["sync {}"], "the first sync ran at start");
  strictEqual(box.engine.tailscaleChecks, 1, "tailscaled asked once at start");

  const client = new LegerdClient(box.socketPath);
  const health = await client.health();
  strictEqual(health.poll_interval_ms, 300_000, "the stub's own health");
  ok(
    health.next_poll_at !== null,
    "the loop told the engine when it polls next",
  );
  strictEqual(
    Date.parse(health.next_poll_at!) - box.timers.now(),
    120_000,
    "2m from now (random 0.5: no jitter)",
  );
  await until(
    "READY=1",
    () => box.messages.some((m) => m.startsWith("READY=1\n")),
  );
  const readyMessage = box.messages.find((m) => m.startsWith("READY=1\n"))!;
  match(readyMessage, /^READY=1\nSTATUS=ok: next poll /);
  strictEqual((await Deno.lstat(box.socketPath)).mode! & 0o777, 0o600);

  // SIGHUP: a new config is applied to the engine and the loop.
  await Deno.writeTextFile(
    box.configFile,
    "poll_interval: 1m\nrestart: never\n",
  );
  box.signal("SIGHUP");
  await until(
    "the reload",
    () => box.logs.some((line) => line.startsWith("reloaded ")),
  );
  deepStrictEqual(box.engine.settings, [
    { restart: "never" },
    { pollIntervalMs: 60_000 },
    { configError: null },
  ]);
  strictEqual((await client.health()).poll_interval_ms, 60_000);
  strictEqual(
    Date.parse(box.engine.healthValue.next_poll_at!) - box.timers.now(),
    60_000,
  );
  await until("RELOADING=1 then READY=1", () => {
    const at = box.messages.indexOf("RELOADING=1");
    return at !== -1 &&
      box.messages.slice(at + 1).some((m) => m.startsWith("READY=1"));
  });

  // SIGHUP with a file that does not parse: the running config stays.
  await Deno.writeTextFile(box.configFile, "poll_interval: soon\n");
  box.signal("SIGHUP");
  await until(
    "the failed reload",
    () => box.logs.some((line) => line.startsWith("reload failed: ")),
  );
  const failed = box.logs.find((line) => line.startsWith("reload failed: "))!;
  match(
    failed,
    /^reload failed: Cannot read .*legerd\.yaml: poll_interval at line 1 is "soon": .* \[ERR_CONFIG_INVALID\]; keeping poll_interval 1m, restart never$/,
  );
  // Nothing applied; health says why, and is degraded meanwhile.
  strictEqual(box.engine.settings.length, 4);
  const { configError } = (box.engine as StubEngine).settings[3];
  strictEqual(configError?.code, "ERR_CONFIG_INVALID");
  match(configError!.message, /poll_interval at line 1 is "soon"/);
  strictEqual(configError!.at, new Date(box.timers.now()).toISOString());
  deepStrictEqual((await client.health()).config, {
    file: "/etc/leger/legerd.yaml",
    error: configError,
  });
  await until(
    "STATUS= with the reload's error",
    () =>
      box.messages.some((m) =>
        /STATUS=degraded, Cannot read .*poll_interval .*\[ERR_CONFIG_INVALID\]/
          .test(m)
      ),
  );

  // A good reload clears it.
  await Deno.writeTextFile(box.configFile, "poll_interval: 1m\n");
  box.signal("SIGHUP");
  await until("the good reload", () => box.engine.settings.length === 7);
  deepStrictEqual(box.engine.settings[6], { configError: null });

  // The poll runs on the loop's schedule.
  await box.timers.advance(60_000);
  await until("the poll", () => box.engine.calls.length === 2);

  box.signal("SIGTERM");
  await running;
  await rejects(Deno.lstat(box.socketPath), Deno.errors.NotFound);
  await rejects(
    Deno.lstat(`${box.runtime}/leger/notify.sock`),
    Deno.errors.NotFound,
  );
  await until("STOPPING=1", () => box.messages.includes("STOPPING=1"));
  strictEqual(box.logs.at(-1), "stopped");
  ok(box.logs.includes("SIGTERM: stopping after the sync in flight"));
  strictEqual(box.listening(), false, "signal handlers removed");
  match(
    box.logs[0],
    /^legerd serving the user scope \(uid 1000, pid 4242\) on .*\/run\/leger\/legerd\.sock: poll_interval 2m, restart on-rotation; config .*legerd\.yaml; leger\.run http:\/\/127\.0\.0\.1:9$/,
  );
});

Deno.test("runLegerd() finishes the sync in flight on SIGTERM, and never says READY when stopped first", async () => {
  await using box = await sandbox();
  let release: (result: SyncResult) => void = () => {};
  let finished = false;
  box.engine.onSync = () =>
    new Promise<SyncResult>((resolve) => release = resolve).finally(() =>
      finished = true
    );
  const running = runLegerd({}, box.host);
  await until("the first sync", () => box.engine.calls.length === 1);
  await until(
    "the socket",
    async () => (await Deno.lstat(box.socketPath).catch(() => null)) !== null,
  );
  box.signal("SIGTERM");
  box.signal("SIGINT");
  let done = false;
  running.then(() => done = true);
  await settle();
  strictEqual(done, false, "waits for the sync in flight");
  ok(
    box.logs.includes("SIGINT: already stopping, finishing the sync in flight"),
  );
  release({ dry_run: false } as SyncResult);
  await running;
  strictEqual(finished, true);
  ok(
    !box.messages.some((m) => m.startsWith("READY=1")),
    box.messages.join(" | "),
  );
});

Deno.test("runLegerd() says READY after readyCapMs when the first sync hangs", async () => {
  await using box = await sandbox();
  let release: () => void = () => {};
  box.engine.onSync = () =>
    new Promise<SyncResult>((resolve) =>
      release = () => resolve({} as SyncResult)
    );
  const running = runLegerd({}, box.host);
  await until("the first sync", () => box.engine.calls.length === 1);
  await box.timers.advance(29_999);
  ok(!box.messages.some((m) => m.startsWith("READY=1")));
  await box.timers.advance(1);
  await box.ready;
  ok(box.logs.includes("first sync still running after 30s: ready meanwhile"));
  release();
  box.signal("SIGTERM");
  await running;
});

Deno.test("runLegerd() feeds the watchdog, and stops when a sync hangs", async () => {
  await using box = await sandbox({ env: { WATCHDOG_USEC: "60000000" } });
  const running = runLegerd({}, box.host);
  await box.ready;
  const pings = () => box.messages.filter((m) => m === "WATCHDOG=1").length;
  await until("the first ping", () => pings() === 1);
  await box.timers.advance(30_000);
  await until("the second ping", () => pings() === 2);
  // A sync that hangs past stuckSyncMs (15 min): the pings stop.
  let release: () => void = () => {};
  box.engine.onSync = () =>
    new Promise<SyncResult>((resolve) =>
      release = () => resolve({} as SyncResult)
    );
  await box.timers.advance(270_000); // the poll at 5m starts a sync that hangs
  await until("the hanging sync", () => box.engine.calls.length === 2);
  const before = pings();
  await box.timers.advance(16 * 60_000);
  const withheld = box.logs.find((line) =>
    line.startsWith("a sync has run for more than 15m")
  );
  ok(withheld !== undefined, box.logs.join("\n"));
  const after = pings();
  await box.timers.advance(5 * 60_000);
  strictEqual(pings(), after, "no ping while the sync hangs");
  ok(after - before <= 30, "pings stopped after 15 minutes");
  release();
  box.signal("SIGTERM");
  await running;
});

Deno.test("runLegerd() logs each failed sync with its reason and back-off, and says degraded to systemd", async () => {
  await using box = await sandbox();
  box.engine.onSync = () => {
    box.engine.healthValue = {
      ...box.engine.healthValue,
      status: "degraded",
      leger_run: {
        ...box.engine.healthValue.leger_run,
        reachable: false,
        last_error: {
          code: "ERR_API_UNREACHABLE",
          message: "Cannot fetch the secrets: leger.run does not answer",
          at: new Date(box.timers.now()).toISOString(),
        },
      },
    };
    return Promise.reject(
      new LegerError(
        "ERR_API_UNREACHABLE",
        "Cannot fetch the secrets: leger.run does not answer",
      ),
    );
  };
  const running = runLegerd({}, box.host);
  await box.ready;
  await box.timers.advance(1_000);
  await until("the retry", () => box.engine.calls.length === 2);
  const failures = box.logs.filter((line) => line.startsWith("sync failed"));
  deepStrictEqual(failures, [
    "sync failed (1 in a row): Cannot fetch the secrets: leger.run does not answer [ERR_API_UNREACHABLE]; next attempt in 1.0s",
    "sync failed (2 in a row): Cannot fetch the secrets: leger.run does not answer [ERR_API_UNREACHABLE]; next attempt in 2.0s",
  ]);
  ok(
    box.messages.some((m) =>
      m.startsWith(
        "STATUS=degraded, Cannot fetch the secrets: leger.run does not answer [ERR_API_UNREACHABLE]",
      )
    ),
    box.messages.join(" | "),
  );
  box.signal("SIGTERM");
  await running;
});

Deno.test("runLegerd() backs off after a sync with a failed step, naming it, but not for a secret leger.run lacks", async () => {
  await using box = await sandbox();
  const at = new Date(box.timers.now()).toISOString();
  const missing = {
    code: "ERR_SECRET_NOT_FOUND",
    name: "db_pass",
    message:
      'Cannot sync secret "db_pass": leger.run has no secret of that name',
    at,
  };
  let errors: SyncResult["errors"] = [missing, {
    code: "ERR_SECRET_SYNC_FAILED",
    name: "api_token",
    message:
      'Cannot write secret "api_token" to Podman: no space left on device',
    at,
  }];
  box.engine.onSync = (request) =>
    Promise.resolve({
      ...stubSyncResult(request.dry_run ?? false),
      errors,
    });
  const running = runLegerd({}, box.host);
  await box.ready;
  deepStrictEqual(box.logs.filter((line) => line.startsWith("sync failed")), [
    'sync failed (1 in a row): Cannot write secret "api_token" to Podman: no space left on device [ERR_SECRET_SYNC_FAILED]; next attempt in 1.0s',
  ]);
  errors = [missing];
  await box.timers.advance(1_000);
  await until(
    "the retry",
    () => box.logs.includes("sync succeeded after 1 failed attempt"),
  );
  // Back to the poll interval (5m, no jitter at random 0.5).
  strictEqual(
    Date.parse(box.engine.healthValue.next_poll_at!) - box.timers.now(),
    300_000,
  );
  box.signal("SIGTERM");
  await running;
});

Deno.test("runLegerd() does not back off while only a failed reload makes health degraded", async () => {
  await using box = await sandbox();
  const running = runLegerd({}, box.host);
  await box.ready;
  box.engine.setConfigError({
    code: "ERR_CONFIG_INVALID",
    message: "Cannot read legerd.yaml",
    at: new Date(box.timers.now()).toISOString(),
  });
  strictEqual(box.engine.health().status, "degraded");
  await box.timers.advance(300_000);
  await until("the poll", () => box.engine.calls.length === 2);
  deepStrictEqual(
    box.logs.filter((line) => line.startsWith("sync failed")),
    [],
  );
  box.signal("SIGTERM");
  await running;
});

Deno.test("runLegerd() syncs when a unit appears in the quadlet folder", async () => {
  await using box = await sandbox();
  const running = runLegerd({}, box.host);
  await box.ready;
  await until(
    "the watch",
    () => box.logs.some((line) => line.startsWith("watching ")),
  );
  await Deno.mkdir(box.quadletDir, { recursive: true });
  await Deno.writeTextFile(
    `${box.quadletDir}/web.container`,
    "[Container]\nImage=web\n",
  );
  await until("the triggered sync", async () => {
    await box.timers.advance(500);
    return box.engine.calls.length >= 2;
  });
  box.signal("SIGTERM");
  await running;
});

Deno.test("runLegerd() refuses to start with a bad config, a foreign scope, no login session or a socket its permission does not allow", async (t) => {
  await t.step("bad config", async () => {
    await using box = await sandbox();
    await Deno.writeTextFile(box.configFile, "restart: sometimes\n");
    await rejects(runLegerd({}, box.host), {
      code: "ERR_CONFIG_INVALID",
      message: /restart at line 1 is "sometimes"/,
    });
  });
  await t.step("--config naming a missing file", async () => {
    await using box = await sandbox();
    await rejects(runLegerd({ config: `${box.root}/nope.yaml` }, box.host), {
      code: "ERR_CONFIG_INVALID",
      message: /there is no such file/,
    });
  });
  await t.step("the system scope for a user", async () => {
    await using box = await sandbox();
    await rejects(runLegerd({ scope: "system" }, box.host), {
      code: "ERR_USAGE",
      message: /it needs root/,
    });
  });
  const outside: [
    string,
    string | undefined,
    RuntimeFolder,
    string,
  ][] = [
    [
      "XDG_RUNTIME_DIR unset, no /run/user/1000",
      undefined,
      { kind: "missing" },
      "unset and /run/user/1000 does not exist",
    ],
    [
      "XDG_RUNTIME_DIR empty",
      "",
      { kind: "folder", uid: 1000 },
      "empty",
    ],
    [
      "XDG_RUNTIME_DIR relative",
      "run",
      { kind: "folder", uid: 1000 },
      '"run", not an absolute path',
    ],
    [
      "XDG_RUNTIME_DIR a missing folder",
      "/run/user/1000",
      { kind: "missing" },
      '"/run/user/1000", which does not exist',
    ],
    [
      "XDG_RUNTIME_DIR another user's folder",
      "/run",
      { kind: "folder", uid: 0 },
      '"/run", a folder of uid 0, not of uid 1000',
    ],
  ];
  for (const [name, value, folder, why] of outside) {
    await t.step(name, async () => {
      await using box = await sandbox();
      if (value === undefined) delete box.env.XDG_RUNTIME_DIR;
      else box.env.XDG_RUNTIME_DIR = value;
      const looked: string[] = [];
      box.host.stat = (path) => {
        looked.push(path);
        return folder;
      };
      let asked = false;
      box.host.netAllowed = () => asked = true;
      const error = await runLegerd({}, box.host).then(
        () => fail("legerd started"),
        (error) => error,
      );
      // A configuration error: main() exits 78 for it, and systemd does not restart legerd.
      ok(error instanceof LegerdConfigError, String(error));
      deepStrictEqual(
        {
          code: error.code,
          message: error.message,
          details: error.details,
          remedy: error.remedy,
        },
        {
          code: "ERR_SYSTEMD_NOT_RUNNING",
          message:
            `Cannot start legerd for the user scope: XDG_RUNTIME_DIR is ${why}, so this is not a login session of uid 1000`,
          details: [
            "systemctl --user, rootless Podman and legerd's socket need /run/user/1000, the runtime folder systemd makes for each login session of uid 1000 (or for good, with linger)",
          ],
          remedy:
            "Log in as the user (not with su or sudo -u), or run `loginctl enable-linger $USER` and `export XDG_RUNTIME_DIR=/run/user/$(id -u)`",
        },
      );
      // An empty or relative value is refused without looking at a folder.
      deepStrictEqual(
        looked,
        value === "" || value === "run" ? [] : [value ?? "/run/user/1000"],
      );
      strictEqual(asked, false);
      strictEqual(box.engineOptions.length, 0);
    });
  }
  await t.step(
    "XDG_RUNTIME_DIR unset, with /run/user/1000 the user's: legerd starts there",
    async () => {
      await using box = await sandbox();
      delete box.env.XDG_RUNTIME_DIR;
      const looked: string[] = [];
      box.host.stat = (path) => {
        looked.push(path);
        return { kind: "folder", uid: 1000 };
      };
      // It gets as far as the socket, which the permission refuses here.
      box.host.netAllowed = (descriptor) =>
        descriptor !== "unix:/run/user/1000/leger/legerd.sock";
      await rejects(runLegerd({}, box.host), {
        code: "ERR_NETWORK_NOT_ALLOWED",
        message:
          "Cannot listen on /run/user/1000/leger/legerd.sock: legerd's network permission does not allow it",
      });
      deepStrictEqual(looked, ["/run/user/1000"]);
    },
  );
  await t.step("the system scope needs no XDG_RUNTIME_DIR", async () => {
    await using box = await sandbox();
    delete box.env.XDG_RUNTIME_DIR;
    // As root, but the permission refuses the socket: the check after it.
    box.host.uid = 0;
    await Deno.writeTextFile(box.configFile, "poll_interval: 2m\n");
    box.host.netAllowed = (descriptor) =>
      descriptor !== "unix:/run/leger/legerd.sock";
    await rejects(runLegerd({ config: box.configFile }, box.host), {
      code: "ERR_NETWORK_NOT_ALLOWED",
      message:
        "Cannot listen on /run/leger/legerd.sock: legerd's network permission does not allow it",
    });
  });
  await t.step("a socket its network permission does not allow", async () => {
    await using box = await sandbox();
    box.host.netAllowed = (descriptor) =>
      descriptor !== `unix:${box.socketPath}`;
    await rejects(runLegerd({}, box.host), {
      code: "ERR_NETWORK_NOT_ALLOWED",
      message:
        `Cannot listen on ${box.socketPath}: legerd's network permission does not allow it`,
      remedy:
        "Run legerd with `--allow-net`, as the legerd binary leger ships and `deno task legerd` do",
    });
    strictEqual(box.engineOptions.length, 0);
  });
  await t.step("another legerd running", async () => {
    await using box = await sandbox();
    const first = runLegerd({}, box.host);
    await box.ready;
    const second = { ...box.host, onSignal: () => () => {}, onReady: () => {} };
    await rejects(runLegerd({}, second), { code: "ERR_LEGERD_RUNNING" });
    box.signal("SIGTERM");
    await first;
  });
});

Deno.test("runLegerd() reports each error of its configuration (files and environment) as a LegerdConfigError, which main() ends with 78", async (t) => {
  const ALLOWED = `leger may connect only to ${ALLOWED_NET_HOSTS.join(", ")}`;
  const cases: {
    name: string;
    env?: Record<string, string | undefined>;
    configYaml?: string;
    legerdYaml?: string | "folder";
    code: string;
    message: (box: { root: string }) => string | RegExp;
  }[] = [
    {
      name: "a host leger may not reach in config.yaml's api_url",
      env: { LEGER_API_URL: undefined },
      configYaml: "api_url: http://evil.test:18788\n",
      code: "ERR_NETWORK_NOT_ALLOWED",
      message: (box) =>
        `Cannot use api_url in ${box.root}/config/leger/config.yaml "http://evil.test:18788": ${ALLOWED}, not to "evil.test"`,
    },
    {
      name: "plain http to leger.run in config.yaml's static_url",
      configYaml: "static_url: http://static.leger.run\n",
      code: "ERR_NETWORK_NOT_ALLOWED",
      message: (box) =>
        `Cannot use static_url in ${box.root}/config/leger/config.yaml "http://static.leger.run": only loopback may be reached over plain http`,
    },
    {
      name: "a host leger may not reach in LEGER_API_URL",
      env: { LEGER_API_URL: "https://api.example.com" },
      code: "ERR_NETWORK_NOT_ALLOWED",
      message: () =>
        `Cannot use LEGER_API_URL "https://api.example.com": ${ALLOWED}, not to "api.example.com"`,
    },
    {
      name: "LEGER_WEB_URL that is not a URL",
      env: { LEGER_WEB_URL: "app.leger.run" },
      code: "ERR_USAGE",
      message: () =>
        'Cannot use LEGER_WEB_URL "app.leger.run": it is not an http(s) URL',
    },
    {
      name: "config.yaml that does not parse",
      configYaml: "api_url: [\n",
      code: "ERR_CONFIG_INVALID",
      message: (box) =>
        new RegExp(`^Cannot .*${box.root}/config/leger/config\\.yaml`),
    },
    {
      name: "legerd.yaml with a bad value",
      legerdYaml: "restart: sometimes\n",
      code: "ERR_CONFIG_INVALID",
      message: () => /restart at line 1 is "sometimes"/,
    },
    {
      name: "legerd.yaml naming the system scope for a user",
      legerdYaml: "scope: system\n",
      code: "ERR_CONFIG_INVALID",
      message: () => /scope at line 1 is "system" but legerd runs as uid 1000/,
    },
    {
      name: "legerd.yaml that is a folder",
      legerdYaml: "folder",
      code: "ERR_PATH_TYPE",
      message: (box) => new RegExp(`${box.root}/config/leger/legerd\\.yaml`),
    },
    {
      name: "XDG_RUNTIME_DIR outside a login session",
      env: { XDG_RUNTIME_DIR: "" },
      code: "ERR_SYSTEMD_NOT_RUNNING",
      message: () =>
        "Cannot start legerd for the user scope: XDG_RUNTIME_DIR is empty, so this is not a login session of uid 1000",
    },
  ];
  for (
    const { name, env = {}, configYaml, legerdYaml, code, message } of cases
  ) {
    await t.step(name, async () => {
      await using box = await sandbox();
      for (const [key, value] of Object.entries(env)) {
        if (value === undefined) delete box.env[key];
        else box.env[key] = value;
      }
      const dir = `${box.root}/config/leger`;
      if (configYaml !== undefined) {
        await Deno.writeTextFile(`${dir}/config.yaml`, configYaml);
      }
      if (legerdYaml === "folder") await Deno.mkdir(box.configFile);
      else if (legerdYaml !== undefined) {
        await Deno.writeTextFile(box.configFile, legerdYaml);
      }
      const error = await runLegerd({}, box.host).then(
        () => fail("legerd started"),
        (error) => error,
      );
      ok(error instanceof LegerdConfigError, String(error?.stack));
      strictEqual(error.code, code);
      const want = message(box);
      if (typeof want === "string") strictEqual(error.message, want);
      else match(error.message, want);
      strictEqual(box.engineOptions.length, 0, "no engine: nothing started");
    });
  }
  await t.step(
    "not a configuration error: --scope, the socket's permission, another legerd",
    async () => {
      await using box = await sandbox();
      const refused = async (
        run: Promise<void>,
        code: string,
      ) => {
        const error = await run.then(() => fail("legerd started"), (e) => e);
        strictEqual(error.code, code);
        ok(!(error instanceof LegerdConfigError), String(error));
      };
      await refused(runLegerd({ scope: "system" }, box.host), "ERR_USAGE");
      const denied = {
        ...box.host,
        netAllowed: (descriptor: string) =>
          descriptor !== `unix:${box.socketPath}`,
      };
      await refused(runLegerd({}, denied), "ERR_NETWORK_NOT_ALLOWED");
      const first = runLegerd({}, box.host);
      await box.ready;
      const second = {
        ...box.host,
        onSignal: () => () => {},
        onReady: () => {},
      };
      await refused(runLegerd({}, second), "ERR_LEGERD_RUNNING");
      box.signal("SIGTERM");
      await first;
    },
  );
});

Deno.test("statusLine() is one line of health without values", () => {
  strictEqual(
    statusLine(
      stubHealth({
        status: "starting",
        podman: { reachable: null, secrets: null, last_error: null },
      }),
    ),
    "starting",
  );
  strictEqual(
    statusLine(
      stubHealth({
        last_successful_sync_at: "2025-06-01T12:00:00.000Z",
        next_poll_at: "2025-06-01T12:05:00.000Z",
      }),
    ),
    "ok: last sync 2025-06-01T12:00:00Z, next poll 2025-06-01T12:05:00Z, 0 Podman secrets",
  );
  strictEqual(
    statusLine(
      stubHealth({
        podman: { reachable: true, secrets: 1, last_error: null },
      }),
    ),
    "ok: 1 Podman secret",
  );
  strictEqual(
    statusLine(
      stubHealth({
        status: "degraded",
        config: {
          file: "/etc/leger/legerd.yaml",
          error: {
            code: "ERR_CONFIG_INVALID",
            message: "Cannot read /etc/leger/legerd.yaml: unknown field",
            at: "x",
          },
        },
      }),
    ),
    "degraded, Cannot read /etc/leger/legerd.yaml: unknown field [ERR_CONFIG_INVALID]; 0 Podman secrets",
  );
  strictEqual(
    statusLine(
      stubHealth({
        status: "degraded",
        podman: {
          reachable: false,
          secrets: null,
          last_error: {
            code: "ERR_COMMAND_FAILED",
            message: "Cannot list\nPodman's secrets",
            at: "x",
          },
        },
      }),
    ),
    "degraded, Cannot list Podman's secrets [ERR_COMMAND_FAILED]",
  );
});
