import {
  deepStrictEqual,
  doesNotMatch,
  match,
  strictEqual,
} from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { GROUPS, TOP_COMMANDS } from "../cli/spec.ts";
import { runLeger } from "./_leger.ts";

Deno.test("leger --version prints the version of deno.json", async () => {
  for (const flag of ["--version", "-V"]) {
    const result = await runLeger([flag]);
    deepStrictEqual(result, {
      code: 0,
      stdout: `leger ${denoJson.version}\n`,
      stderr: "",
    });
  }
});

Deno.test("leger --help lists every command group and command", async () => {
  const result = await runLeger(["--help"]);
  strictEqual(result.code, 0);
  for (
    const name of [
      ...GROUPS.map((g) => g.name),
      ...TOP_COMMANDS.filter((c) => !c.hidden).map((c) => c.name),
    ]
  ) {
    match(result.stdout, new RegExp(`^  ${name} `, "m"));
  }
});

Deno.test("leger <group> --help lists the group's commands", async () => {
  for (const group of GROUPS) {
    for (
      const args of [[group.name, "--help"], ["help", group.name], [
        group.name,
        "-h",
      ]]
    ) {
      const result = await runLeger(args);
      strictEqual(result.code, 0, args.join(" "));
      for (const command of group.commands) {
        match(result.stdout, new RegExp(`^  ${command.name} `, "m"));
      }
    }
  }
});

Deno.test("leger <group> <command> --help shows its flags", async () => {
  const result = await runLeger(["deploy", "install", "--help"]);
  strictEqual(result.code, 0);
  match(result.stdout, /Usage:\n {2}leger deploy install \[name\] \[flags\]/);
  match(result.stdout, /--dry-run/);
  match(result.stdout, /--json/);
});

Deno.test("leger with an unknown command exits 2 with one line and a suggestion", async () => {
  const result = await runLeger(["deplo"]);
  deepStrictEqual(result, {
    code: 2,
    stdout: "",
    stderr: [
      "Error: Cannot run leger: unknown command 'deplo' (did you mean 'deploy'?)",
      "Run `leger --help` for usage",
      "[ERR_USAGE]",
      "",
    ].join("\n"),
  });
});

Deno.test("leger with a usage error prints the command's usage line, never its whole help", async (t) => {
  const cases: { argv: string[]; error: string; usage: string }[] = [
    {
      argv: ["deploy", "instal"],
      error: "unknown command 'deploy instal' (did you mean 'deploy install'?)",
      usage: "leger deploy <subcommand> [flags]",
    },
    {
      argv: ["deploy", "install", "--dryrun"],
      error: "unknown option '--dryrun' (did you mean '--dry-run'?)",
      usage: "leger deploy install [name] [flags]",
    },
    {
      argv: ["validate", "--frobnicate", "x"],
      error: "unknown option '--frobnicate'",
      usage: "leger validate <folder> [flags]",
    },
    {
      argv: ["deploy", "install", "--source", "--dry-run"],
      error: "option '--source <source>' needs a value, got option '--dry-run'",
      usage: "leger deploy install [name] [flags]",
    },
    {
      argv: ["validate", "x", "--scope", "galaxy"],
      error:
        `option '--scope <scope>' cannot be "galaxy": choose one of user, system`,
      usage: "leger validate <folder> [flags]",
    },
  ];
  for (const { argv, error, usage } of cases) {
    await t.step(argv.join(" "), async () => {
      const result = await runLeger(argv);
      const lines = result.stderr.split("\n");
      deepStrictEqual([result.code, result.stdout], [2, ""]);
      deepStrictEqual(lines.slice(0, 2), [
        `Error: Cannot run leger: ${error}`,
        `  usage: ${usage}`,
      ]);
      match(lines[2], /^Run `leger .* --help` for /);
      deepStrictEqual(lines.slice(3), ["[ERR_USAGE]", ""]);
    });
  }
});

Deno.test("leger takes global flags before the command, -n5 and --flag=value", async () => {
  const home = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const env = {
      HOME: home,
      XDG_DATA_HOME: `${home}/data`,
      XDG_CONFIG_HOME: `${home}/config`,
    };
    for (
      const argv of [
        ["--debug", "deploy", "list", "--json"],
        ["--json", "deploy", "list", "--scope=user"],
      ]
    ) {
      const result = await runLeger(argv, { env });
      deepStrictEqual([result.code, result.stdout, result.stderr], [
        0,
        "[]\n",
        "",
      ], argv.join(" "));
    }
    // -n5 reaches the command (no usage error), whatever journalctl says.
    const logs = await runLeger(["service", "logs", "web", "-n5"], { env });
    doesNotMatch(logs.stderr, /ERR_USAGE/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("deno task demo runs with exactly the leger binary's permissions", () => {
  const flags = (task: string) =>
    task.split(/\s+/).filter((w) => w.startsWith("--"));
  deepStrictEqual(flags(denoJson.tasks.demo), flags(denoJson.tasks.leger));
});
