import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  commandFixture,
  installDeployment,
} from "../../tests/fakes/command_fixture.ts";
import { CommandError } from "../../lib/adapters/command_error.ts";
import { healthyLegerd } from "../../tests/fakes/fake_legerd.ts";
import { runProgram } from "../program.ts";

const RUNNING = await Deno.readTextFile(
  new URL("../../tests/fakes/tailscale/running.json", import.meta.url),
);

/** A loopback server answering `status`, stopped when the fixture is disposed. */
function healthServer(
  fixture: { onDispose(cleanup: () => unknown): void },
  status: number,
): string {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(status === 204 ? null : "body", { status }),
  );
  fixture.onDispose(() => server.shutdown());
  return `http://127.0.0.1:${server.addr.port}/health`;
}

const unit = (extra = "", healthUrl?: string) =>
  [
    "[Container]",
    "Image=localhost/bb:latest",
    extra,
    ...(healthUrl === undefined ? [] : ["[X-Leger]", `HealthURL=${healthUrl}`]),
    "",
  ].join("\n");

Deno.test("status with nothing installed says how to install, and exits 0", async () => {
  await using fixture = await commandFixture();
  strictEqual(await runProgram(["status"], fixture.deps), 0);
  // Without a terminal, notes go to stderr and stdout holds rows alone.
  strictEqual(fixture.output.stdout, "");
  match(
    fixture.output.stderr,
    /No deployments installed in the user scope\. Install one with `leger deploy install --source <folder>`\./,
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["status", "--json"], fixture.deps), 0);
  const doc = JSON.parse(fixture.output.stdout);
  deepStrictEqual([doc.scope, doc.ok, doc.deployments], ["user", true, []]);
  // The fake host has no tailscale, no legerd and no login.
  strictEqual(doc.tailscale.installed, false);
  strictEqual(doc.legerd.running, false);
  strictEqual(doc.leger_run.state, "missing");
});

Deno.test("status shows Tailscale, legerd, the login and each service's state, since, image, ports and health", async () => {
  await using fixture = await commandFixture({ tailscaleStatus: RUNNING });
  await fixture.startLegerd({ health: () => healthyLegerd() });
  await installDeployment(fixture, "web");
  fixture.clearOutput();
  strictEqual(await runProgram(["status", "--json"], fixture.deps), 0);
  const doc = JSON.parse(fixture.output.stdout);
  strictEqual(doc.ok, true);
  strictEqual(doc.tailscale.backend_state, "Running");
  deepStrictEqual(
    [doc.legerd.running, doc.legerd.health.last_successful_sync_at],
    [true, "2026-11-30T11:58:00.000Z"],
  );
  const [web] = doc.deployments;
  deepStrictEqual(
    [web.deployment, web.source.type, web.version],
    ["web", "local", null],
  );
  deepStrictEqual(web.services, [{
    service: "web.service",
    load_state: "loaded",
    active_state: "active",
    sub_state: "running",
    since: web.services[0].since,
    image: "localhost/bb:latest",
    ports: ["0.0.0.0:18080->8080/tcp"],
    container: "systemd-web",
    health: {
      state: "none",
      check: null,
      url: null,
      detail: null,
      remedy: null,
      unreadable: false,
    },
  }]);
  match(
    web.services[0].since,
    /^2026-11-30T11:00:0\dZ$|^2026-11-30T11:00:0\d\.000Z$/,
  );

  fixture.clearOutput();
  fixture.deps.context = { ...fixture.deps.context, stdoutIsTerminal: true };
  strictEqual(await runProgram(["status"], fixture.deps), 0);
  const text = fixture.output.stdout;
  match(text, /^Tailscale {3}✓ Running, \S+ on \S+ \(\S+\)$/m);
  match(
    text,
    /^legerd {6}✓ running, last sync 2026-11-30T11:58:00\.000Z \(2m0s ago\)$/m,
  );
  match(text, /^leger\.run {3}✗ not logged in: run `leger auth login`$/m);
  match(text, /^web: local \S+\/src\/web, installed /m);
  match(text, /^ {2}SERVICE +STATE +SINCE +IMAGE +PORTS +HEALTH$/m);
  match(
    text,
    /^ {2}web\.service +active\/running +\d+m\d+s +localhost\/bb:latest +0\.0\.0\.0:18080->8080\/tcp +-$/m,
  );
});

Deno.test("status spawns the same processes for 1 service and for 30", async () => {
  await using fixture = await commandFixture();
  const spawnsFor = async (name: string, count: number) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[`${name}-${i}.container`] = unit();
    await installDeployment(fixture, name, files);
    const before = fixture.host.calls.length;
    fixture.clearOutput();
    strictEqual(await runProgram(["status", name, "--json"], fixture.deps), 0);
    strictEqual(
      JSON.parse(fixture.output.stdout).deployments[0].services.length,
      count,
    );
    return fixture.host.calls.slice(before).map((c) =>
      c.split(" ").slice(0, 2).join(" ")
    ).sort();
  };
  const one = await spawnsFor("one", 1);
  const thirty = await spawnsFor("thirty", 30);
  deepStrictEqual(one, [
    "podman ps",
    "systemctl --user",
    "tailscale status",
  ]);
  deepStrictEqual(thirty, one);
});

Deno.test("status exits 1 and says why for an unhealthy HTTP check, a refused one, Podman's unhealthy check and a stopped service", async (t) => {
  await using fixture = await commandFixture();
  fixture.deps.fetch = globalThis.fetch;
  const good = healthServer(fixture, 204);
  const failing = healthServer(fixture, 500);
  await installDeployment(fixture, "app", {
    "good.container": unit("", good),
    "bad.container": unit("", failing),
    "far.container": unit("", "http://app.internal:8080/health"),
    "db.container": unit("HealthCmd=pg_isready"),
    "idle.container": unit(),
  });
  await t.step("all but good and idle count against it", async () => {
    fixture.host.containerHealth.set("db.service", "unhealthy");
    fixture.clearOutput();
    strictEqual(await runProgram(["status", "--json"], fixture.deps), 1);
    const doc = JSON.parse(fixture.output.stdout);
    strictEqual(doc.ok, false);
    deepStrictEqual(
      doc.deployments[0].services.map((
        s: { service: string; health: { state: string; check: string } },
      ) => [s.service, s.health.state, s.health.check]),
      [
        ["bad.service", "unhealthy", "http"],
        ["db.service", "unhealthy", "podman"],
        ["far.service", "refused", "http"],
        ["good.service", "healthy", "http"],
        ["idle.service", "none", null],
      ],
    );
  });
  await t.step("the text says why under the table, with the fix", async () => {
    fixture.clearOutput();
    strictEqual(await runProgram(["status"], fixture.deps), 1);
    const text = fixture.output.stderr;
    // stdout holds the service rows alone, tab-separated, as deploy list's.
    for (const line of fixture.output.stdout.trimEnd().split("\n")) {
      match(line, /^app\t\S+\.service\t/);
    }
    match(
      text,
      new RegExp(
        `^ {2}bad\\.service is unhealthy \\(${
          failing.replaceAll(".", "\\.")
        }\\): HTTP 500 Internal Server Error \\(3 attempts\\)\\n {4}See why with \`leger service logs bad\`$`,
        "m",
      ),
    );
    match(
      text,
      /^ {2}far\.service is refused \(http:\/\/app\.internal:8080\/health\): not checked: health checks reach only 127\.0\.0\.1, localhost, \[::1\], not "app\.internal"\n {4}Publish the port on 127\.0\.0\.1 \(PublishPort=127\.0\.0\.1:8080:PORT\) and check http:\/\/127\.0\.0\.1:8080\/health$/m,
    );
    match(
      text,
      /^ {2}db\.service is unhealthy: Podman's health check of systemd-db: unhealthy$/m,
    );
    // Without a terminal, the rows are tab-separated and led by the deployment.
    match(
      fixture.output.stdout,
      /^app\tgood\.service\tactive\/running\t\S+Z\tlocalhost\/bb:latest\t-\thealthy$/m,
    );
  });
  await t.step("a stopped service, healthy checks elsewhere", async () => {
    fixture.host.containerHealth.set("db.service", "healthy");
    fixture.clearOutput();
    strictEqual(await runProgram(["status", "app"], fixture.deps), 1);
    await runProgram(["service", "stop", "bad"], fixture.deps);
    fixture.clearOutput();
    const code = await runProgram(["status", "app", "--json"], fixture.deps);
    strictEqual(code, 1);
    const bad = JSON.parse(fixture.output.stdout).deployments[0].services[0];
    deepStrictEqual(
      [bad.active_state, bad.health.state, bad.health.detail],
      ["inactive", "unknown", "not checked: the service is inactive (dead)"],
    );
  });
});

Deno.test("status exits 0 once every service is active and healthy", async () => {
  await using fixture = await commandFixture();
  fixture.deps.fetch = globalThis.fetch;
  await installDeployment(fixture, "ok", {
    "web.container": unit("", healthServer(fixture, 200)),
    "db.container": unit("HealthCmd=pg_isready"),
  });
  fixture.host.containerHealth.set("db.service", "starting");
  strictEqual(await runProgram(["status"], fixture.deps), 0);
  fixture.host.containerHealth.set("db.service", "healthy");
  strictEqual(await runProgram(["status", "ok"], fixture.deps), 0);
});

Deno.test("status NAME of a deployment that is not installed names those that are", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  fixture.clearOutput();
  strictEqual(await runProgram(["status", "nosuch"], fixture.deps), 1);
  match(
    fixture.output.stderr,
    /Cannot find the installed deployment "nosuch"[^\n]*: installed are web\n[\s\S]*\[ERR_DEPLOYMENT_NOT_FOUND\]/,
  );
});

// The other scope's hint is not tested here: the system scope's folders are
// the machine's own (/var/lib/leger), which a test must not write.
Deno.test("status NAME of a service says which deployment it belongs to", async (t) => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "hz", {
    "web.container": unit(),
    "db.container": unit(),
  });
  for (
    const [name, remedy] of [
      [
        "web",
        /`web` is a service of the deployment `hz`: run `leger status hz`/,
      ],
      ["db.service", /`db\.service` is a service of the deployment `hz`/],
      ["hzz", /Did you mean `hz`\?/],
    ] as const
  ) {
    await t.step(name, async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(["status", name, "--json"], fixture.deps),
        1,
      );
      const { error } = JSON.parse(fixture.output.stdout);
      strictEqual(error.code, "ERR_DEPLOYMENT_NOT_FOUND");
      match(error.remedy, remedy);
    });
  }
});

Deno.test("status --watch refuses --json and a stdout that is no terminal", async () => {
  await using fixture = await commandFixture();
  strictEqual(
    await runProgram(["status", "--watch", "--json"], fixture.deps),
    2,
  );
  strictEqual(
    JSON.parse(fixture.output.stdout).error.code,
    "ERR_USAGE",
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["status", "-w"], fixture.deps), 2);
  match(
    fixture.output.stderr,
    /Cannot watch the status: stdout is not a terminal\n[\s\S]*ERR_USAGE/,
  );
});

Deno.test("status --watch redraws on a terminal until Ctrl-C", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  fixture.clearOutput();
  let frames = 0;
  const out = fixture.deps.context.out;
  fixture.deps.context = {
    ...fixture.deps.context,
    stdoutIsTerminal: true,
    out(text) {
      out(text);
      // The first frame is drawn: press Ctrl-C.
      if (++frames === 1) fixture.signals.get("SIGINT")!();
    },
  };
  // Ctrl-C ends it as it ends every leger command: 130.
  strictEqual(await runProgram(["status", "--watch"], fixture.deps), 130);
  strictEqual(frames, 1);
  ok(fixture.output.stdout.startsWith("\x1b[H\x1b[2JEvery 2 s: leger status"));
  match(fixture.output.stdout, /^ {2}web\.service +active\/running/m);
  // It stopped listening.
  strictEqual(fixture.signals.has("SIGINT"), false);
});

Deno.test("status never shows a health URL's credentials, in text or JSON, and deploy list neither", async () => {
  await using fixture = await commandFixture();
  fixture.deps.fetch = globalThis.fetch;
  const failing = healthServer(fixture, 500).replace(
    "http://",
    "http://admin:hunter2SECRET@",
  );
  await installDeployment(fixture, "w", { "w9.container": unit("", failing) });
  for (
    const args of [["status"], ["status", "--json"], [
      "deploy",
      "list",
      "--json",
    ], ["deploy", "list"]]
  ) {
    fixture.clearOutput();
    await runProgram(args, fixture.deps);
    const all = fixture.output.stdout + fixture.output.stderr;
    strictEqual(all.includes("hunter2SECRET"), false, args.join(" "));
  }
  fixture.clearOutput();
  await runProgram(["status"], fixture.deps);
  match(
    fixture.output.stderr,
    /w9\.service is unhealthy \(http:\/\/127\.0\.0\.1:\d+\/health\)/,
  );
});

Deno.test("status and deploy list show a deployment whose copy is damaged, with a note naming the problem and `leger doctor`, and the others as usual", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "web");
  await installDeployment(fixture, "app", { "app.container": unit() });
  await Deno.remove(`${fixture.workDir}/active/app/app.container`);

  fixture.clearOutput();
  strictEqual(await runProgram(["status", "--json"], fixture.deps), 1);
  const doc = JSON.parse(fixture.output.stdout);
  strictEqual(doc.ok, false);
  const [app, web] = doc.deployments;
  deepStrictEqual(
    [app.deployment, app.problem.code, web.deployment, web.problem],
    ["app", "ERR_STATE_INVALID", "web", null],
  );
  // What can be known without the copy: the services, their state and
  // their containers, no unit facts (no check).
  deepStrictEqual(
    app.services.map((
      s: { service: string; active_state: string; health: { state: string } },
    ) => [s.service, s.active_state, s.health.state]),
    [["app.service", "active", "none"]],
  );
  strictEqual(web.services[0].image, "localhost/bb:latest");

  fixture.clearOutput();
  strictEqual(await runProgram(["status"], fixture.deps), 1);
  match(
    fixture.output.stderr,
    /^ {2}leger's copy of app cannot be read: .*names a file that is not in the folder.*\n {4}`leger doctor` says how to fix it$/m,
  );
  match(fixture.output.stdout, /^app\tapp\.service\tactive\/running\t/m);

  // Another deployment's status is not its concern.
  fixture.clearOutput();
  strictEqual(await runProgram(["status", "web"], fixture.deps), 0);

  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
  deepStrictEqual(
    fixture.output.stdout.trim().split("\n").map((l) =>
      l.split("\t").slice(0, 3)
    ),
    [["app", "app.service", "active/running"], [
      "web",
      "web.service",
      "active/running",
    ]],
  );
  match(
    fixture.output.stderr,
    /^Note: leger's copy of "app" cannot be read: .*; `leger doctor` says how to fix it\.$/m,
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list", "--json"], fixture.deps), 0);
  deepStrictEqual(
    JSON.parse(fixture.output.stdout).map((
      d: { deployment: string; problem: { code: string } | null },
    ) => [d.deployment, d.problem?.code ?? null]),
    [["app", "ERR_STATE_INVALID"], ["web", null]],
  );
});

Deno.test("status exits 1 when podman ps fails and a HealthCmd= service's health is so unknown", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "ok", {
    "db.container": unit("HealthCmd=pg_isready"),
  });
  fixture.host.containerHealth.set("db.service", "healthy");
  strictEqual(await runProgram(["status"], fixture.deps), 0);
  const runner = fixture.deps.runner;
  fixture.deps.runner = (bin, args, options) =>
    bin === "podman" && args[0] === "ps"
      ? Promise.reject(
        new CommandError("podman", args, 125, "Error: database is locked\n"),
      )
      : runner(bin, args, options);
  fixture.clearOutput();
  strictEqual(await runProgram(["status", "--json"], fixture.deps), 1);
  const { health } = JSON.parse(fixture.output.stdout).deployments[0]
    .services[0];
  deepStrictEqual([health.state, health.detail], [
    "unknown",
    "podman ps failed: Error: database is locked",
  ]);
});

Deno.test("status and deploy list show a template instance's ports with %i resolved, its container running or not", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "workers", {
    "worker@.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "PublishPort=127.0.0.1:2317%i:8080",
      "",
      "[Install]",
      "WantedBy=default.target",
      "DefaultInstance=1",
      "",
    ].join("\n"),
  });
  await runProgram(["service", "stop", "worker@1"], fixture.deps);
  fixture.clearOutput();
  await runProgram(["status", "--json"], fixture.deps);
  deepStrictEqual(
    JSON.parse(fixture.output.stdout).deployments[0].services[0].ports,
    ["127.0.0.1:23171->8080/tcp"],
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
  strictEqual(
    fixture.output.stdout.split("\t")[4],
    "127.0.0.1:23171->8080/tcp",
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list", "--json"], fixture.deps), 0);
  deepStrictEqual(JSON.parse(fixture.output.stdout)[0].services[0].ports, [{
    host_ip: "127.0.0.1",
    host_port: "23171",
    container_port: "8080",
    protocol: "tcp",
  }]);
});

Deno.test("status of a deployment without services says so, with no empty table", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "vonly", {
    "vonly-data.volume": "[Volume]\n",
  });
  for (const terminal of [true, false]) {
    fixture.clearOutput();
    fixture.deps.context = {
      ...fixture.deps.context,
      stdoutIsTerminal: terminal,
    };
    strictEqual(await runProgram(["status", "vonly"], fixture.deps), 0);
    const all = fixture.output.stdout + fixture.output.stderr;
    strictEqual(all.includes("SERVICE"), false, `terminal: ${terminal}`);
    strictEqual(fixture.output.stdout.includes("vonly\t"), false);
    match(
      all,
      /^ {2}vonly has no services \(only volumes\/networks\)$/m,
    );
  }
});
