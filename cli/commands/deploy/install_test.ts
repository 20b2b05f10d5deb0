import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { legerCommands } from "../../../tests/_shell_commands.ts";
import { commandFixture } from "../../../tests/fakes/command_fixture.ts";
import { parseArgs } from "../../parse_args.ts";
import { runProgram } from "../../program.ts";
import { installCommand } from "./_install_result.ts";
import { parse } from "./install.ts";

Deno.test("parse() reads every option of deploy install", () => {
  deepStrictEqual(
    parse({
      args: ["web"],
      options: {
        source: "./app",
        noStart: undefined,
        start: false,
        yes: true,
        timeout: "90",
      },
    }),
    {
      name: "web",
      source: "./app",
      version: undefined,
      dryRun: false,
      start: false,
      pull: true,
      force: false,
      yes: true,
      wait: false,
      timeoutMs: 90_000,
      scope: undefined,
      json: false,
    },
  );
});

Deno.test("deploy install installs, starts and records a deployment", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(fixture.output.stdout, "Installed web\n");
  deepStrictEqual(await fixture.quadletFiles(), [
    "web-data.volume",
    "web.conf",
    "web.container",
  ]);
  deepStrictEqual(fixture.host.services.get("web.service"), {
    activeState: "active",
    subState: "running",
  });
  const recorded = await Deno.readTextFile(
    `${fixture.stateDir}/deployments.yaml`,
  );
  match(recorded, /name: web/);
  // The staged copy became the active one.
  await Deno.stat(`${fixture.workDir}/active/web/web.container`);
  strictEqual(
    await Deno.stat(`${fixture.workDir}/staged/web`).then(
      () => true,
      () => false,
    ),
    false,
  );
});

Deno.test("deploy install changes nothing when it cannot or must not", async (t) => {
  const cases: {
    name: string;
    argv: (source: string) => string[];
    failing?: string[];
    code: number;
    stderr: RegExp;
  }[] = [
    {
      name: "--dry-run",
      argv: (source) => ["deploy", "install", "--source", source, "--dry-run"],
      code: 0,
      stderr: /Dry run: nothing was changed/,
    },
    {
      name: "no --yes without a terminal",
      argv: (source) => ["deploy", "install", "--source", source],
      code: 2,
      stderr: /Pass --yes[\s\S]*ERR_CONFIRMATION_REQUIRED/,
    },
    {
      name: "a service that fails to start is rolled back",
      argv: (source) => ["deploy", "install", "--source", source, "--yes"],
      failing: ["web.service"],
      code: 1,
      stderr: /ERR_SERVICE_START_FAILED/,
    },
    {
      name: "the system scope as a user",
      argv: (source) => [
        "deploy",
        "install",
        "--source",
        source,
        "--yes",
        "--scope",
        "system",
      ],
      code: 2,
      stderr: /needs root/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture({ failing: c.failing });
      const source = await fixture.writeSource("web");
      const code = await runProgram(c.argv(source), fixture.deps);
      strictEqual(code, c.code, fixture.output.stderr);
      match(fixture.output.stderr, c.stderr);
      deepStrictEqual(await fixture.quadletFiles(), []);
      strictEqual(
        await Deno.stat(`${fixture.stateDir}/deployments.yaml`).then(
          () => true,
          () => false,
        ),
        false,
      );
      for (const [service, state] of fixture.host.services) {
        strictEqual(state.activeState === "active", false, service);
      }
    });
  }
});

Deno.test("deploy install undoes everything on SIGINT while starting", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  // Ctrl-C arrives while systemd starts the services.
  const runner = fixture.deps.runner;
  fixture.deps.runner = async (bin, args, options) => {
    const result = await runner(bin, args, options);
    if (bin === "systemctl" && args.includes("start")) {
      fixture.signals.get("SIGINT")?.();
    }
    return result;
  };
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 130, fixture.output.stderr);
  deepStrictEqual(await fixture.quadletFiles(), []);
  strictEqual(fixture.host.services.get("web.service"), undefined);
  strictEqual(fixture.signals.size, 0, "the signal listeners were removed");
});

Deno.test("deploy install refuses a port conflict unless --force", async () => {
  await using fixture = await commandFixture();
  const first = await fixture.writeSource("web");
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", first, "--yes"],
      fixture.deps,
    ),
    0,
  );
  const other = await fixture.writeSource("other", {
    "other.container":
      "[Container]\nImage=localhost/bb:latest\nPublishPort=18080:80\n",
  });
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "install", "--source", other, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1);
  match(fixture.output.stderr, /18080[\s\S]*\[ERR_PORT_CONFLICT\]/);
  deepStrictEqual(await fixture.quadletFiles(), [
    "web-data.volume",
    "web.conf",
    "web.container",
  ]);
});

/** The `leger` commands of the next steps (`  COMMAND   what it does`). */
function suggested(lines: string): string[][] {
  return lines.split("\n").filter((l) => l.startsWith("  ")).flatMap((l) =>
    legerCommands(l.trim().split(/ {3,}/)[0])
  );
}

Deno.test("deploy install ends with what to do next, naming the deployment", async (t) => {
  const cases: {
    name: string;
    argv: string[];
    program?: string;
    next: string[];
  }[] = [
    {
      name: "started",
      argv: [],
      next: [
        "  leger status web            its services and their health",
        "  leger service logs web -f   follow the logs of all its services",
        "  leger deploy remove web     stop it and remove its units (its volumes are kept)",
      ],
    },
    {
      name: "--no-start: how to start it first",
      argv: ["--no-start"],
      next: [
        "  leger service start web     start its services",
        "  leger status web            its services and their health",
        "  leger service logs web -f   follow the logs of all its services",
        "  leger deploy remove web     stop it and remove its units (its volumes are kept)",
      ],
    },
    {
      name: "named otherwise, leger run as the demo runs it",
      argv: ["blog"],
      program: "deno task leger",
      next: [
        "  deno task leger status blog            its services and their health",
        "  deno task leger service logs blog -f   follow the logs of all its services",
        "  deno task leger deploy remove blog     stop it and remove its units (its volumes are kept)",
      ],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      fixture.deps.context.program = c.program;
      const source = await fixture.writeSource("web");
      const code = await runProgram(
        ["deploy", "install", "--source", source, "--yes", ...c.argv],
        fixture.deps,
      );
      const { stdout, stderr } = fixture.output;
      strictEqual(code, 0, stderr);
      const name = c.argv[0] === "blog" ? "blog" : "web";
      strictEqual(stdout, `Installed ${name}\n`);
      const next = ["Next:", ...c.next, ""].join("\n");
      ok(stderr.endsWith(`\n${next}`), stderr);
      // Every step is a command leger takes, about this deployment.
      for (const argv of suggested(next)) {
        const parsed = parseArgs(argv);
        deepStrictEqual(parsed.args, [name], argv.join(" "));
      }
    });
  }
});

Deno.test("deploy install of a deployment without services suggests no service command", async (t) => {
  for (const argv of [[], ["--no-start"]]) {
    await t.step(argv.join(" ") || "started", async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("vonly", {
        "vonly-data.volume": "[Volume]\n",
      });
      const code = await runProgram(
        ["deploy", "install", "--source", source, "--yes", ...argv],
        fixture.deps,
      );
      const { stdout, stderr } = fixture.output;
      strictEqual(code, 0, stderr);
      strictEqual(stdout, "Installed vonly\n");
      const next = [
        "Next:",
        "  leger status vonly          its source and version (it has no services)",
        "  leger deploy remove vonly   stop it and remove its units (its volumes are kept)",
        "",
      ].join("\n");
      ok(stderr.endsWith(`\n${next}`), stderr);
      ok(!stderr.includes("leger service"), stderr);
    });
  }
});

Deno.test("deploy install --json prints no next steps", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes", "--json"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  strictEqual(JSON.parse(fixture.output.stdout).deployment, "web");
  ok(!fixture.output.stderr.includes("Next:"), fixture.output.stderr);
});

Deno.test("deploy install --dry-run ends with the command that installs for real", async (t) => {
  const cases: { name: string; argv: string[]; install: string }[] = [
    { name: "plain", argv: [], install: "leger deploy install --source SRC" },
    {
      name: "its options kept, --dry-run and --yes dropped",
      argv: ["blog", "--no-start", "--no-pull", "--timeout", "90", "--yes"],
      install:
        "leger deploy install blog --source SRC --no-start --no-pull --timeout 90",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web");
      const code = await runProgram(
        ["deploy", "install", "--source", source, "--dry-run", ...c.argv],
        fixture.deps,
      );
      strictEqual(code, 0, fixture.output.stderr);
      const install = c.install.replace("SRC", source);
      ok(
        fixture.output.stderr.endsWith(
          `Dry run: nothing was changed on this host.\nTo install it: ${install}\n`,
        ),
        fixture.output.stderr,
      );
      const [argv] = legerCommands(install);
      deepStrictEqual(parseArgs(argv).path, "deploy install");
    });
  }
  await t.step("not when the plan has errors", async () => {
    await using fixture = await commandFixture();
    const source = await fixture.writeSource("bad", {
      "bad.container": "[Container]\nImag=localhost/bb:latest\n",
    });
    const code = await runProgram(
      ["deploy", "install", "--source", source, "--dry-run"],
      fixture.deps,
    );
    strictEqual(code, 1, fixture.output.stderr);
    ok(
      fixture.output.stderr.endsWith(
        "Dry run: nothing was changed on this host.\n",
      ),
      fixture.output.stderr,
    );
  });
});

Deno.test("installCommand() quotes what a shell would split", () => {
  strictEqual(
    installCommand({
      source: "/home/a/my app's",
      version: "v3",
      start: true,
      pull: true,
      force: true,
      scope: "system",
    }),
    `leger deploy install --source '/home/a/my app'\\''s' --version v3 --force --scope system`,
  );
  deepStrictEqual(
    legerCommands(installCommand({
      source: "/home/a/my app's",
      start: true,
      pull: true,
      force: false,
    })),
    [["deploy", "install", "--source", "/home/a/my app's"]],
  );
});
