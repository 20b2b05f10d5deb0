import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
  FIXTURE_USER_UUID,
} from "../../../tests/fakes/command_fixture.ts";
import { TESTDATA } from "../../../tests/_leger.ts";
import { fakeVolumes } from "../../../tests/fakes/fake_volumes.ts";
import type { UpdateDocument } from "../shared/update_flow.ts";
import { CommandError } from "../../../lib/adapters/command_error.ts";
import { ERROR_CODES } from "../../../lib/errors/codes.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { runProgram } from "../../program.ts";
import { parse } from "./update.ts";

const container = (...lines: string[]) =>
  ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");

/**
 * Three containers (web with a volume, a config file and the network; api on
 * the network; worker alone), a volume and a network.
 */
const PORTS: Record<string, number> = {
  app: 18080,
  aa: 18081,
  bb: 18082,
  cc: 18083,
};

function appFiles(prefix = "app"): Record<string, string> {
  return {
    [`${prefix}-web.container`]: container(
      `PublishPort=${PORTS[prefix]}:8080`,
      `Volume=${prefix}-data.volume:/data`,
      `Volume=./${prefix}-web.conf:/etc/web.conf:ro`,
      `Network=${prefix}.network`,
    ),
    [`${prefix}-api.container`]: container(`Network=${prefix}.network`),
    [`${prefix}-worker.container`]: container(),
    [`${prefix}-data.volume`]: "[Volume]\n",
    [`${prefix}.network`]: "[Network]\n",
    [`${prefix}-web.conf`]: "greeting=hello\n",
  };
}

const SERVICES = ["app-web.service", "app-api.service", "app-worker.service"];

async function install(
  fixture: CommandFixture,
  name = "app",
  files = appFiles(name),
): Promise<string> {
  const source = await fixture.writeSource(name, files);
  const code = await runProgram(
    ["deploy", "install", name, "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  fixture.clearOutput();
  return source;
}

/** When each service last became active (systemd's ActiveEnterTimestamp). */
function started(fixture: CommandFixture): Record<string, number | undefined> {
  return Object.fromEntries(
    [...fixture.host.services.keys()].sort().map((
      s,
    ) => [s, fixture.host.activeEnter.get(s)]),
  );
}

/** The systemctl calls that name one of `services`, after `from`. */
function touching(
  fixture: CommandFixture,
  services: readonly string[],
  from = 0,
): string[] {
  return fixture.host.calls.slice(from).filter((call) =>
    call.startsWith("systemctl") && !/ (show|list-units) /.test(call) &&
    services.some((s) => call.split(" ").includes(s))
  );
}

async function update(
  fixture: CommandFixture,
  args: string[],
): Promise<{ code: number; doc: UpdateDocument }> {
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", ...args, "--json"],
    fixture.deps,
  );
  return { code, doc: JSON.parse(fixture.output.stdout) };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("parse() reads every option of deploy update, and refuses --all with a name or source", () => {
  deepStrictEqual(
    parse({
      args: ["web"],
      options: { backup: false, yes: true, source: "./app", timeout: "5" },
    }),
    {
      deployment: "web",
      all: false,
      source: "./app",
      version: undefined,
      dryRun: false,
      backup: false,
      pull: true,
      yes: true,
      force: false,
      wait: false,
      timeoutMs: 5000,
      scope: undefined,
      json: false,
    },
  );
  strictEqual(parse({ args: ["web"], options: { pull: false } }).pull, false);
  for (
    const options of [{ source: "./app" }, { version: "v2" }]
  ) {
    try {
      parse({ args: [], options: { all: true, ...options } });
      throw new Error("parse() accepted --all with a source");
    } catch (error) {
      strictEqual((error as { code?: string }).code, "ERR_USAGE");
    }
  }
});

Deno.test("deploy update of one changed unit of three restarts exactly that service", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  const calls = fixture.host.calls.length;
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Environment=LEVEL=debug"),
  );
  const { code, doc } = await update(fixture, ["app", "--yes", "--no-backup"]);
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(doc.outcome, "updated");
  deepStrictEqual(doc.restarted, ["app-api.service"]);
  deepStrictEqual(doc.changed, ["app-api.container"]);
  deepStrictEqual(doc.started, []);
  deepStrictEqual(doc.stopped, []);
  // The others were never named to systemd, and kept their start time.
  const after = started(fixture);
  ok(after["app-api.service"]! > before["app-api.service"]!);
  for (const service of Object.keys(before)) {
    if (service !== "app-api.service") {
      strictEqual(after[service], before[service], service);
    }
  }
  deepStrictEqual(
    touching(fixture, [
      "app-web.service",
      "app-worker.service",
      "app-data-volume.service",
      "app-network.service",
    ], calls),
    [],
  );
  match(
    await Deno.readTextFile(`${fixture.quadletDir}/app-api.container`),
    /LEVEL=debug/,
  );
  const [entry] = await readDeployments(fixture.stateDir);
  match(
    entry.files.find((f) => f.name === "app-api.container")!.sha256,
    /^[0-9a-f]{64}$/,
  );
  match(
    await Deno.readTextFile(`${fixture.workDir}/active/app/app-api.container`),
    /LEVEL=debug/,
  );
  strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
  strictEqual(await exists(`${fixture.workDir}/staged/app`), false);
});

Deno.test("deploy update of a config file a container mounts restarts that container only", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  // A local folder has no versions: say where the new one came from.
  strictEqual(
    fixture.output.stdout,
    `Updated app from ${source}: restarted app-web.service\n`,
  );
  match(
    fixture.output.stderr,
    /changed {4}app-web\.container: app-web\.conf \(Volume=\) changed \(restarts app-web\.service\)/,
  );
  match(fixture.output.stderr, /\+greeting=bye/);
  const after = started(fixture);
  strictEqual(after["app-api.service"], before["app-api.service"]);
  strictEqual(after["app-worker.service"], before["app-worker.service"]);
  ok(after["app-web.service"]! > before["app-web.service"]!);
});

Deno.test("deploy update that drops a unit stops and removes only it, file by file", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  await Deno.remove(`${source}/app-worker.container`);
  const { code, doc } = await update(fixture, ["app", "--yes", "--no-backup"]);
  strictEqual(code, 0, fixture.output.stderr);
  deepStrictEqual(doc.removed, ["app-worker.container"]);
  deepStrictEqual(doc.stopped, ["app-worker.service"]);
  deepStrictEqual(doc.restarted, []);
  deepStrictEqual(await fixture.quadletFiles(), [
    "app-api.container",
    "app-data.volume",
    "app-web.conf",
    "app-web.container",
    "app.network",
  ]);
  strictEqual(fixture.host.services.has("app-worker.service"), false);
  // Never `podman quadlet rm`: on Podman 5.8 it removes the whole application.
  strictEqual(
    fixture.host.calls.some((c) => c.startsWith("podman quadlet rm")),
    false,
  );
  const after = started(fixture);
  for (const service of ["app-web.service", "app-api.service"]) {
    strictEqual(after[service], before[service], service);
    strictEqual(fixture.host.services.get(service)?.activeState, "active");
  }
  const [entry] = await readDeployments(fixture.stateDir);
  strictEqual(entry.units.includes("app-worker.container"), false);
  strictEqual(entry.services.includes("app-worker.service"), false);
});

Deno.test("deploy update that adds a unit starts it and leaves the rest alone", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  await Deno.writeTextFile(`${source}/app-cache.container`, container());
  const { code, doc } = await update(fixture, ["app", "--yes", "--no-backup"]);
  strictEqual(code, 0, fixture.output.stderr);
  deepStrictEqual(doc.added, ["app-cache.container"]);
  deepStrictEqual(doc.started, ["app-cache.service"]);
  deepStrictEqual(doc.restarted, []);
  strictEqual(
    fixture.host.services.get("app-cache.service")?.activeState,
    "active",
  );
  const after = started(fixture);
  for (const service of SERVICES) {
    strictEqual(after[service], before[service], service);
  }
});

/**
 * A runner over the fixture's host under which a container whose installed
 * unit runs `/bin/false` dies as it starts.
 */
function dyingWhenBroken(fixture: CommandFixture, failing: string[]): void {
  const runner = fixture.deps.runner;
  fixture.deps.runner = async (bin, args, options) => {
    if (bin === "systemctl" && /^(start|restart)$/.test(args[1] ?? "")) {
      failing.length = 0;
      for (const file of await fixture.quadletFiles()) {
        if (!file.endsWith(".container")) continue;
        const text = await Deno.readTextFile(`${fixture.quadletDir}/${file}`);
        if (text.includes("Exec=/bin/false")) {
          failing.push(file.replace(".container", ".service"));
        }
      }
    }
    return await runner(bin, args, options);
  };
}

Deno.test("deploy update backs up first, live: the data in the volume is in the backup and survives the update", async () => {
  await using fixture = await commandFixture();
  const volumes = fakeVolumes(fixture.host);
  fixture.deps.runner = volumes.runner;
  const source = await install(fixture);
  volumes.data.set("systemd-app-data", "precious data\n");
  const before = started(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  const { code, doc } = await update(fixture, ["app", "--yes"]);
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(doc.outcome, "updated");
  match(doc.backup ?? "", /^\d{8}T\d{6}Z-app-[0-9a-f]{4}$/);
  match(fixture.output.stderr, /Backed up "app" as \S+ \(/);
  strictEqual(
    await Deno.readTextFile(
      `${fixture.workDir}/backups/${doc.backup}/volumes/systemd-app-data.tar`,
    ),
    "precious data\n",
  );
  strictEqual(volumes.data.get("systemd-app-data"), "precious data\n");
  // Taken live: the services the update does not change kept running.
  const after = started(fixture);
  for (const service of ["app-api.service", "app-worker.service"]) {
    strictEqual(after[service], before[service], service);
  }
});

Deno.test("deploy update whose backup fails changes nothing", async () => {
  await using fixture = await commandFixture();
  const volumes = fakeVolumes(fixture.host, {
    beforeCall: (line) => {
      if (line.startsWith("podman volume export")) {
        throw new CommandError("podman", [], 125, "Error: disk on fire");
      }
    },
  });
  fixture.deps.runner = volumes.runner;
  const source = await install(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  const calls = fixture.host.calls.length;
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /\[ERR_BACKUP_FAILED\]/);
  deepStrictEqual(touching(fixture, SERVICES, calls), []);
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/app-web.conf`),
    "greeting=hello\n",
  );
});

Deno.test("deploy update whose new unit dies is rolled back: the previous version runs, the rest untouched", async () => {
  const failing: string[] = [];
  await using fixture = await commandFixture({ failing });
  dyingWhenBroken(fixture, failing);
  const source = await install(fixture);
  const v1 = await Deno.readTextFile(
    `${fixture.quadletDir}/app-api.container`,
  );
  const [installed] = await readDeployments(fixture.stateDir);
  const before = started(fixture);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Exec=/bin/false"),
  );
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /\[ERR_SERVICE_START_FAILED\]/);
  match(
    fixture.output.stderr,
    /Rolled back: the previous version of "app" is installed and app-api\.service running again/,
  );
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/app-api.container`),
    v1,
  );
  strictEqual(
    fixture.host.services.get("app-api.service")?.activeState,
    "active",
  );
  const after = started(fixture);
  for (const service of ["app-web.service", "app-worker.service"]) {
    strictEqual(after[service], before[service], service);
  }
  deepStrictEqual(await readDeployments(fixture.stateDir), [installed]);
  strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
  // Nothing of what failed stays staged: `leger staged apply --yes` cannot
  // apply it again.
  strictEqual(await exists(`${fixture.workDir}/staged/app`), false);
  strictEqual(/still staged/.test(fixture.output.stderr), false);
});

Deno.test("deploy update rolls back on each signal that ends a process, touching only what it changed", async (t) => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    await t.step(signal, async () => {
      await using fixture = await commandFixture();
      const source = await install(fixture);
      const v1 = await Deno.readTextFile(
        `${fixture.quadletDir}/app-api.container`,
      );
      const before = started(fixture);
      await Deno.writeTextFile(
        `${source}/app-api.container`,
        container("Network=app.network", "Environment=LEVEL=debug"),
      );
      await Deno.writeTextFile(`${source}/app-cache.container`, container());
      const runner = fixture.deps.runner;
      fixture.deps.runner = async (bin, args, options) => {
        const result = await runner(bin, args, options);
        if (bin === "systemctl" && args.includes("restart")) {
          fixture.signals.get(signal)?.();
          fixture.signals.get(signal)?.();
        }
        return result;
      };
      fixture.clearOutput();
      const code = await runProgram(
        ["deploy", "update", "app", "--yes", "--no-backup"],
        fixture.deps,
      );
      strictEqual(code, 130, fixture.output.stderr);
      match(
        fixture.output.stderr,
        new RegExp(`${signal}: rolling the update back, please wait`),
      );
      // Said once: not again by the update itself.
      strictEqual(
        fixture.output.stderr.match(
          /^(\w+: )?rolling the update back, please wait…$/gim,
        )?.length,
        1,
        fixture.output.stderr,
      );
      match(fixture.output.stderr, /still rolling the update back/);
      match(fixture.output.stderr, /Rolled back: the previous version/);
      strictEqual(
        await Deno.readTextFile(`${fixture.quadletDir}/app-api.container`),
        v1,
      );
      strictEqual(
        await exists(`${fixture.quadletDir}/app-cache.container`),
        false,
      );
      strictEqual(fixture.host.services.has("app-cache.service"), false);
      strictEqual(
        fixture.host.services.get("app-api.service")?.activeState,
        "active",
      );
      const after = started(fixture);
      for (const service of ["app-web.service", "app-worker.service"]) {
        strictEqual(after[service], before[service], service);
      }
      strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
    });
  }
});

Deno.test("an update cut short (leger killed) is rolled back by the next command that takes the lock", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const v1 = await Deno.readTextFile(
    `${fixture.quadletDir}/app-api.container`,
  );
  const before = started(fixture);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Environment=LEVEL=debug"),
  );
  await Deno.remove(`${source}/app-worker.container`);
  // After the restart, nothing the process asks of the host happens any
  // more, as if it had been killed: its own rollback cannot run.
  const runner = fixture.deps.runner;
  let dead = false;
  fixture.deps.runner = async (bin, args, options) => {
    if (dead) throw new Error("leger was killed");
    const result = await runner(bin, args, options);
    if (bin === "systemctl" && args.includes("restart")) dead = true;
    return result;
  };
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /could not roll everything back/);
  strictEqual(await exists(`${fixture.stateDir}/journal.json`), true);
  fixture.deps.runner = runner;
  fixture.clearOutput();
  strictEqual(await runProgram(["staged", "list"], fixture.deps), 0);
  const listed = await runProgram(["deploy", "list", "--json"], fixture.deps);
  strictEqual(listed, 0);
  match(fixture.output.stdout, /"operation": "update"/);
  fixture.clearOutput();
  // Any command that takes the lock finishes the rollback first.
  strictEqual(await runProgram(["staged", "discard"], fixture.deps), 0);
  match(
    fixture.output.stderr,
    /Rolled back an interrupted update of "app" \(leger process \d+, started .*\): the previous version is installed and app-api\.service, app-worker\.service running again/,
  );
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/app-api.container`),
    v1,
  );
  ok(await exists(`${fixture.quadletDir}/app-worker.container`));
  for (const service of ["app-api.service", "app-worker.service"]) {
    strictEqual(fixture.host.services.get(service)?.activeState, "active");
  }
  strictEqual(
    started(fixture)["app-web.service"],
    before["app-web.service"],
  );
  strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
});

Deno.test("deploy update of an unchanged version says so and touches nothing", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const calls = fixture.host.calls.length;
  const state = await Deno.readTextFile(`${fixture.stateDir}/deployments.yaml`);
  fixture.clearOutput();
  const code = await runProgram(["deploy", "update", "app"], fixture.deps);
  // No --yes needed: there is nothing to confirm.
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(fixture.output.stdout, `app is up to date with ${source}\n`);
  deepStrictEqual(
    fixture.host.calls.slice(calls).filter((c) =>
      /^systemctl \S+ (start|restart|stop|try-restart|daemon-reload)/.test(c) ||
      c.startsWith("podman quadlet") || c.startsWith("podman volume export")
    ),
    [],
  );
  strictEqual(
    await Deno.readTextFile(`${fixture.stateDir}/deployments.yaml`),
    state,
  );
  strictEqual(await exists(`${fixture.workDir}/staged/app`), false);
});

Deno.test("deploy update --dry-run validates: an invalid change is refused and not staged", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Volume=missing.volume:/x"),
  );
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--dry-run"],
    fixture.deps,
  );
  strictEqual(code, 1);
  match(fixture.output.stderr, /Cannot update "app"/);
  match(fixture.output.stderr, /\[ERR_UNIT_MISSING_REFERENCE\]/);
  strictEqual(/Staged/.test(fixture.output.stderr), false);
  strictEqual(await exists(`${fixture.workDir}/staged/app`), false);
});

Deno.test("deploy update --dry-run of a valid change stages it and shows what would restart", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const calls = fixture.host.calls.length;
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  const { code, doc } = await update(fixture, ["app", "--dry-run"]);
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(doc.outcome, "staged");
  strictEqual(doc.dry_run, true);
  deepStrictEqual(doc.restarted, ["app-web.service"]);
  deepStrictEqual(doc.summary, {
    modified: 1,
    added: 0,
    removed: 0,
    unchanged: 5,
  });
  ok(await exists(`${fixture.workDir}/staged/app/app-web.conf`));
  deepStrictEqual(touching(fixture, SERVICES, calls), []);
});

Deno.test("deploy update without --yes and without a terminal asks for --yes and changes nothing", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  const calls = fixture.host.calls.length;
  fixture.clearOutput();
  const code = await runProgram(["deploy", "update", "app"], fixture.deps);
  strictEqual(code, ERROR_CODES.ERR_CONFIRMATION_REQUIRED.exit);
  match(fixture.output.stderr, /\[ERR_CONFIRMATION_REQUIRED\]/);
  match(fixture.output.stderr, /Pass --yes/);
  deepStrictEqual(touching(fixture, SERVICES, calls), []);
});

Deno.test("deploy update --all updates each deployment on its own: one failing does not stop the others", async () => {
  const failing: string[] = [];
  await using fixture = await commandFixture({ failing });
  dyingWhenBroken(fixture, failing);
  const sources: Record<string, string> = {};
  for (const name of ["aa", "bb", "cc"]) {
    sources[name] = await install(fixture, name);
  }
  await Deno.writeTextFile(`${sources.aa}/aa-web.conf`, "greeting=bye\n");
  await Deno.writeTextFile(
    `${sources.bb}/bb-api.container`,
    container("Network=bb.network", "Exec=/bin/false"),
  );
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "--all", "--yes", "--no-backup", "--json"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  const docs: UpdateDocument[] = JSON.parse(fixture.output.stdout);
  deepStrictEqual(
    docs.map((d) => [d.deployment, d.outcome, d.error?.code ?? null]),
    [
      ["aa", "updated", null],
      ["bb", "rolled-back", "ERR_SERVICE_START_FAILED"],
      ["cc", "unchanged", null],
    ],
  );
  strictEqual(docs[1].error?.rollback_complete, true);
  strictEqual(docs[0].trigger, "manual");
  match(fixture.output.stderr, /\[ERR_SERVICE_START_FAILED\]/);
  strictEqual(
    fixture.host.services.get("bb-api.service")?.activeState,
    "active",
  );
  match(
    await Deno.readTextFile(`${fixture.quadletDir}/aa-web.conf`),
    /bye/,
  );
});

Deno.test("deploy update --all under the update timer marks its results as the timer's", async () => {
  await using fixture = await commandFixture();
  await install(fixture);
  const env = fixture.deps.context.env;
  fixture.deps.context = {
    ...fixture.deps.context,
    env: (name) => name === "LEGER_UPDATE_TRIGGER" ? "timer" : env(name),
  };
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "--all", "--yes", "--json"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  const [doc] = JSON.parse(fixture.output.stdout);
  strictEqual(doc.trigger, "timer");
  strictEqual(doc.outcome, "unchanged");
});

Deno.test("staged stage then staged apply: the same update, from the staged copy", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  fixture.clearOutput();
  strictEqual(
    await runProgram(["staged", "stage", "app"], fixture.deps),
    0,
    fixture.output.stderr,
  );
  match(fixture.output.stdout, /\+greeting=bye/);
  fixture.clearOutput();
  strictEqual(await runProgram(["diff", "app"], fixture.deps), 0);
  match(fixture.output.stdout, /-greeting=hello\n\+greeting=bye/);
  // The source changes again: apply installs what was staged, not this.
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=later\n");
  fixture.clearOutput();
  const code = await runProgram(
    ["staged", "apply", "app", "--yes", "--no-backup", "--json"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  const doc: UpdateDocument = JSON.parse(fixture.output.stdout);
  deepStrictEqual(doc.restarted, ["app-web.service"]);
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/app-web.conf`),
    "greeting=bye\n",
  );
  const after = started(fixture);
  strictEqual(after["app-api.service"], before["app-api.service"]);
  strictEqual(await exists(`${fixture.workDir}/staged/app`), false);
});

Deno.test("staged apply refuses a staged file changed since it was staged, and changes nothing", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  strictEqual(await runProgram(["staged", "stage", "app"], fixture.deps), 0);
  await Deno.writeTextFile(
    `${fixture.workDir}/staged/app/app-web.conf`,
    "greeting=tampered\n",
  );
  const calls = fixture.host.calls.length;
  fixture.clearOutput();
  const code = await runProgram(
    ["staged", "apply", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 1);
  match(fixture.output.stderr, /app-web\.conf changed since it was staged/);
  match(fixture.output.stderr, /\[ERR_CHECKSUM_MISMATCH\]/);
  deepStrictEqual(touching(fixture, SERVICES, calls), []);
});

Deno.test("deploy update of the rendered leger.run releases v1 → v2 drops qdrant and leaves the volumes running", async () => {
  const images = [
    "docker.io/caddy:2-alpine",
    "docker.io/postgres:16-alpine",
    "docker.io/qdrant/qdrant:latest",
    "docker.io/redis:7-alpine",
    "ghcr.io/berriai/litellm:main-latest",
    "ghcr.io/mostlygeek/llama-swap:latest",
    "ghcr.io/open-webui/open-webui:main",
    "quay.io/cockpit/ws:latest",
  ];
  await using fixture = await commandFixture({
    registry: images,
    secrets: ["openai_api_key", "postgres_password"],
    unprivilegedPortStart: 0,
  });
  const server = await fixture.useLegerRun();
  const env = fixture.deps.context.env;
  fixture.deps.context = {
    ...fixture.deps.context,
    env: (name) => name === "LEGER_STATIC_URL" ? server.staticUrl : env(name),
  };
  const fixtures = `${TESTDATA}/leger-run-rendered`;
  await server.addStaticDir(`${FIXTURE_USER_UUID}/v1`, `${fixtures}/v1`);
  await server.addStaticDir(`${FIXTURE_USER_UUID}/v2`, `${fixtures}/v2`);
  server.addRelease(FIXTURE_USER_UUID, { name: "first" });
  server.addRelease(FIXTURE_USER_UUID, { name: "second" });
  strictEqual(
    await runProgram(
      ["deploy", "install", "--version", "v1", "--yes"],
      fixture.deps,
    ),
    0,
    fixture.output.stderr,
  );
  const before = started(fixture);
  const { code, doc } = await update(fixture, [
    "leger-run",
    "--version",
    "v2",
    "--yes",
    "--no-backup",
  ]);
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(doc.from?.version, "v1");
  strictEqual(doc.to?.version, "v2");
  deepStrictEqual(doc.removed, ["qdrant.container", "qdrant.volume"]);
  deepStrictEqual(doc.kept_volumes, ["systemd-qdrant"]);
  // llm.network lost Subnet=, which Podman never applies to the network it
  // made: only litellm (whose file changed) restarts, not all ten.
  deepStrictEqual(doc.restarted, ["litellm.service"]);
  deepStrictEqual(
    doc.not_applied.map((n) => [n.unit, n.resource]),
    [["llm.network", "systemd-llm"]],
  );
  match(
    fixture.output.stderr,
    /llm\.network changed, but Podman keeps the existing network systemd-llm with its old settings: to apply it, stop the services that use it \(.*\) and `podman network rm systemd-llm`, then start them/,
  );
  strictEqual(await exists(`${fixture.quadletDir}/qdrant.container`), false);
  strictEqual(await exists(`${fixture.quadletDir}/qdrant.volume`), false);
  ok(fixture.host.volumes.has("systemd-qdrant"), "qdrant's data was kept");
  strictEqual(fixture.host.services.has("qdrant.service"), false);
  const after = started(fixture);
  const volumes = Object.keys(before).filter((s) =>
    s.endsWith("-volume.service") && s !== "qdrant-volume.service"
  );
  ok(volumes.length >= 5, volumes.join(", "));
  for (const service of volumes) {
    strictEqual(after[service], before[service], service);
  }
  const [entry] = await readDeployments(fixture.stateDir);
  strictEqual(entry.source.version, "v2");
  // A version the space does not have: the remedy is of the update.
  fixture.clearOutput();
  const missing = await runProgram(
    ["deploy", "update", "leger-run", "--version", "v9", "--yes"],
    fixture.deps,
  );
  strictEqual(missing, 1, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /pick one with `leger deploy update leger-run --version vN`/,
  );
  strictEqual(/deploy install/.test(fixture.output.stderr), false);
});

Deno.test("deploy update --dry-run refuses a port conflict as install --dry-run does, and stages nothing; --force stages it", async () => {
  await using fixture = await commandFixture();
  await install(fixture, "aa");
  const source = await install(fixture, "bb");
  await Deno.writeTextFile(
    `${source}/bb-web.container`,
    appFiles("bb")["bb-web.container"].replace(
      `PublishPort=${PORTS.bb}:8080`,
      `PublishPort=${PORTS.aa}:8080`,
    ),
  );
  fixture.clearOutput();
  const installCode = await runProgram(
    ["deploy", "install", "bb", "--source", source, "--dry-run"],
    fixture.deps,
  );
  match(fixture.output.stdout + fixture.output.stderr, /ERR_PORT_CONFLICT/);
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "bb", "--dry-run"],
    fixture.deps,
  );
  strictEqual(code, installCode);
  strictEqual(code, 1);
  match(
    fixture.output.stderr,
    new RegExp(
      `Cannot update "bb": .*${PORTS.aa}[\\s\\S]*\\[ERR_PORT_CONFLICT\\]`,
    ),
  );
  strictEqual(/Staged/.test(fixture.output.stderr), false);
  strictEqual(await exists(`${fixture.workDir}/staged/bb`), false);
  // --force stages it, with the conflict as a warning, as install does.
  const forced = await update(fixture, ["bb", "--dry-run", "--force"]);
  strictEqual(forced.code, 0, fixture.output.stderr);
  strictEqual(forced.doc.outcome, "staged");
  match(fixture.output.stderr, /Warning: --force skips 1 conflict/);
  ok(await exists(`${fixture.workDir}/staged/bb/bb-web.container`));
});

Deno.test("deploy update of a changed .network restarts nothing, writes the file and says once how to apply it", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  const calls = fixture.host.calls.length;
  await Deno.writeTextFile(
    `${source}/app.network`,
    "[Network]\nSubnet=10.89.7.0/24\n",
  );
  const { code, doc } = await update(fixture, ["app", "--yes", "--no-backup"]);
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(doc.outcome, "updated");
  deepStrictEqual(doc.restarted, []);
  deepStrictEqual(doc.changed, ["app.network"]);
  deepStrictEqual(
    doc.not_applied.map((n) => [n.unit, n.kind, n.resource, n.users, n.reason]),
    [[
      "app.network",
      "network",
      "systemd-app",
      ["app-api.service", "app-web.service"],
      "Podman keeps the existing network systemd-app with its old settings",
    ]],
  );
  // No service was stopped or restarted for it, its own included.
  deepStrictEqual(started(fixture), before);
  deepStrictEqual(
    touching(fixture, [
      ...SERVICES,
      "app-network.service",
      "app-data-volume.service",
    ], calls),
    [],
  );
  match(
    await Deno.readTextFile(`${fixture.quadletDir}/app.network`),
    /Subnet=10\.89\.7\.0\/24/,
  );
  match(
    await Deno.readTextFile(`${fixture.workDir}/active/app/app.network`),
    /Subnet=/,
  );
  const said = fixture.output.stderr.match(/Podman keeps the existing/g) ?? [];
  strictEqual(said.length, 1, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /^app\.network changed, but Podman keeps the existing network systemd-app with its old settings: to apply it, stop the services that use it \(app-api\.service, app-web\.service\) and `podman network rm systemd-app`, then start them$/m,
  );
  strictEqual(/restarts app-network/.test(fixture.output.stderr), false);
});

Deno.test("deploy update of a changed .volume restarts nothing and warns that removing the volume deletes its data", async () => {
  await using fixture = await commandFixture();
  const source = await install(fixture);
  const before = started(fixture);
  await Deno.writeTextFile(
    `${source}/app-data.volume`,
    "[Volume]\nLabel=tier=gold\n",
  );
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(fixture.output.stdout, `Updated app from ${source}\n`);
  match(
    fixture.output.stderr,
    /^app-data\.volume changed, but Podman keeps the existing volume systemd-app-data with its old settings: to apply it, stop the services that use it \(app-web\.service\) and `podman volume rm systemd-app-data` \(which deletes its data: `leger backup create app` saves it first\), then start them$/m,
  );
  deepStrictEqual(started(fixture), before);
  match(
    await Deno.readTextFile(`${fixture.quadletDir}/app-data.volume`),
    /tier=gold/,
  );
});

Deno.test("deploy update --version refuses a deployment whose source is no leger.run space, as staged stage does", async () => {
  await using fixture = await commandFixture();
  await install(fixture);
  const calls = fixture.host.calls.length;
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--version", "v2", "--yes"],
    fixture.deps,
  );
  strictEqual(code, ERROR_CODES.ERR_USAGE.exit, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /Cannot update "app" with --version v2: its source is the local folder \S+\/src\/app, and --version applies to leger\.run sources/,
  );
  match(fixture.output.stderr, /Drop --version to update "app" from /);
  match(fixture.output.stderr, /\[ERR_USAGE\]/);
  strictEqual(/Fetching/.test(fixture.output.stderr), false);
  fixture.clearOutput();
  strictEqual(
    await runProgram(
      ["staged", "stage", "app", "--version", "v2"],
      fixture.deps,
    ),
    ERROR_CODES.ERR_USAGE.exit,
  );
  match(fixture.output.stderr, /Cannot stage "app" with --version v2/);
  strictEqual(await exists(`${fixture.workDir}/staged/app`), false);
  deepStrictEqual(fixture.host.calls.slice(calls), []);
});

Deno.test("a failed deploy update leaves a version the user staged before as it was", async () => {
  const failing: string[] = [];
  await using fixture = await commandFixture({ failing });
  dyingWhenBroken(fixture, failing);
  const source = await install(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  strictEqual(await runProgram(["staged", "stage", "app"], fixture.deps), 0);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Exec=/bin/false"),
  );
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /Rolled back/);
  strictEqual(
    await Deno.readTextFile(`${fixture.workDir}/staged/app/app-web.conf`),
    "greeting=bye\n",
  );
  strictEqual(
    /bin\/false/.test(
      await Deno.readTextFile(
        `${fixture.workDir}/staged/app/app-api.container`,
      ),
    ),
    false,
  );
});

Deno.test("a failed staged apply keeps the version the user staged, and says how to drop it", async () => {
  const failing: string[] = [];
  await using fixture = await commandFixture({ failing });
  dyingWhenBroken(fixture, failing);
  const source = await install(fixture);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Exec=/bin/false"),
  );
  strictEqual(await runProgram(["staged", "stage", "app"], fixture.deps), 0);
  fixture.clearOutput();
  const code = await runProgram(
    ["staged", "apply", "app", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /\[ERR_SERVICE_START_FAILED\]/);
  match(
    fixture.output.stderr,
    /Rolled back: the previous version of "app" is installed[\s\S]*The version that failed is still staged: `leger staged discard app` drops it/,
  );
  ok(await exists(`${fixture.workDir}/staged/app/app-api.container`));
});

Deno.test("deploy update whose image cannot be pulled changes nothing, takes no backup and says to update again; --no-pull skips the pull", async () => {
  await using fixture = await commandFixture();
  const volumes = fakeVolumes(fixture.host);
  fixture.deps.runner = volumes.runner;
  const source = await install(fixture);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    "[Container]\nImage=registry.invalid/app/api:2\nNetwork=app.network\n",
  );
  const calls = fixture.host.calls.length;
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /\[ERR_IMAGE_PULL_FAILED\]/);
  match(
    fixture.output.stderr,
    /then update again; or pass --no-pull to let systemd pull at start/,
  );
  strictEqual(/install again/.test(fixture.output.stderr), false);
  // The pull failed before the backup: no retention slot was used.
  strictEqual(/Backing up/.test(fixture.output.stderr), false);
  deepStrictEqual(await backups(fixture), []);
  deepStrictEqual(touching(fixture, SERVICES, calls), []);
  const beforeNoPull = fixture.host.calls.length;
  ok(
    fixture.host.calls.slice(calls).some((c) => c.startsWith("podman pull")),
    "the first update tried to pull",
  );
  const { code: noPull, doc } = await update(fixture, [
    "app",
    "--yes",
    "--no-pull",
  ]);
  strictEqual(noPull, 0, fixture.output.stderr);
  deepStrictEqual(doc.restarted, ["app-api.service"]);
  ok(doc.backup !== null);
  deepStrictEqual(
    fixture.host.calls.slice(beforeNoPull).filter((c) =>
      c.startsWith("podman pull") || c.startsWith("podman image exists")
    ),
    [],
  );
});

/** The backups kept (`backups/<id>/`). */
async function backups(fixture: CommandFixture): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${fixture.workDir}/backups`)) {
      if (!entry.name.startsWith(".")) ids.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ids.sort();
}

Deno.test("deploy update --all ends with a line that sums up each deployment, and says of each rollback what runs again", async () => {
  const failing: string[] = [];
  await using fixture = await commandFixture({ failing });
  dyingWhenBroken(fixture, failing);
  const sources: Record<string, string> = {};
  for (const name of ["aa", "bb", "cc"]) {
    sources[name] = await install(fixture, name);
  }
  await Deno.writeTextFile(`${sources.aa}/aa-web.conf`, "greeting=bye\n");
  await Deno.writeTextFile(
    `${sources.bb}/bb-api.container`,
    container("Network=bb.network", "Exec=/bin/false"),
  );
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "--all", "--yes", "--no-backup"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /Rolled back: the previous version of "bb" is installed and bb-api\.service running again/,
  );
  strictEqual(
    fixture.output.stderr.trimEnd().split("\n").at(-1),
    "3 deployments: 1 updated, 1 up to date, 1 rolled back (bb: ERR_SERVICE_START_FAILED)",
  );
  match(fixture.output.stdout, /^Updated aa from .*\ncc is up to date with /m);
});

Deno.test("deploy update whose automatic backup finds the disk full names --no-backup and leger backup list", async () => {
  await using fixture = await commandFixture();
  const volumes = fakeVolumes(fixture.host, {
    beforeCall: (line) => {
      if (line.startsWith("podman volume export")) {
        throw new CommandError(
          "podman",
          [],
          125,
          "Error: writing volume: no space left on device",
        );
      }
    },
  });
  fixture.deps.runner = volumes.runner;
  const source = await install(fixture);
  await Deno.writeTextFile(`${source}/app-web.conf`, "greeting=bye\n");
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "app", "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(fixture.output.stderr, /the disk is full/);
  match(
    fixture.output.stderr,
    /`leger backup list` shows the backups kept there/,
  );
  match(
    fixture.output.stderr,
    /or pass --no-backup to update without the automatic backup\n\[ERR_STATE_UNWRITABLE\]/,
  );
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/app-web.conf`),
    "greeting=hello\n",
  );
});

Deno.test("deploy update rolled back after its automatic backup names the backup, and says volume data is not rolled back", async () => {
  const failing: string[] = [];
  await using fixture = await commandFixture({ failing });
  const volumes = fakeVolumes(fixture.host);
  fixture.deps.runner = volumes.runner;
  dyingWhenBroken(fixture, failing);
  const source = await install(fixture);
  await Deno.writeTextFile(
    `${source}/app-api.container`,
    container("Network=app.network", "Exec=/bin/false"),
  );
  // --all prints each deployment's document, a rolled-back one included.
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "update", "--all", "--yes", "--json"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  const [doc] = JSON.parse(fixture.output.stdout) as UpdateDocument[];
  strictEqual(doc.outcome, "rolled-back");
  match(doc.backup ?? "", /^\d{8}T\d{6}Z-app-[0-9a-f]{4}$/);
  match(
    fixture.output.stderr,
    new RegExp(
      `Volume data is not rolled back: what the new version wrote to systemd-app-data stays; \`leger backup restore ${doc.backup}\``,
    ),
  );
});
