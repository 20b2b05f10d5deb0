/**
 * `leger completion bash|zsh|fish` run for real: each script is loaded in
 * its shell, which completes command lines against a `leger` on PATH that
 * runs cli/main.ts exactly as the shipped command would (deno.json's `leger`
 * task flags), over a HOME whose state files were written by lib/state's
 * writers, so that the dynamic values (deployments, services, staged
 * deployments, backup ids) come from real `leger __complete` runs.
 *
 * The fish and zsh tests are ignored where those shells are not installed
 * (`.ci/run` installs them, and requires them); bash is always there.
 *
 * @module
 */
import { onPath } from "./_on_path.ts";
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { bashScript } from "../cli/completion/bash_script.ts";
import { completionModel } from "../cli/completion/completion_model.ts";
import { fishScript } from "../cli/completion/fish_script.ts";
import { zshScript } from "../cli/completion/zsh_script.ts";
import type { CommandSpec, GroupSpec } from "../cli/spec.ts";
import { writeDeploymentFolder } from "../lib/state/deployment_folder.ts";
import {
  type InstalledDeployment,
  readDeployments,
  writeDeployments,
} from "../lib/state/deployments_file.ts";
import { acquireLock } from "../lib/state/lock.ts";
import { legerPaths } from "../lib/state/paths.ts";
import { DENO_DIR, permissionFlags, ROOT, runLeger } from "./_leger.ts";
import { spawnCaptured } from "./_spawn.ts";
import { installedDeployment } from "./fakes/installed_deployment.ts";

/**
 * CI installs fish and zsh and sets `LEGER_COMPLETION_SHELLS=required`, so
 * that their tests fail there, rather than being ignored, if one goes missing.
 */
const shellsRequired = Deno.env.get("LEGER_COMPLETION_SHELLS") === "required";
const hasFish = onPath("fish") || shellsRequired;
const hasZsh = onPath("zsh") || shellsRequired;
/** What an ignored test's name says when its shell is missing. */
function missing(shell: string, has: boolean): string {
  return has
    ? ""
    : ` (ignored: ${shell} is not installed; CI installs it and requires this test)`;
}

/**
 * What the system scope holds on this machine, which a root user's
 * completions also offer (`leger deploy list`'s scopes); nothing for others.
 */
const SYSTEM: InstalledDeployment[] = Deno.uid() === 0
  ? await readDeployments("/var/lib/leger").catch(() => [])
  : [];
const SYSTEM_NAMES = SYSTEM.map((d) => d.name);
/** Those with services: what `leger service` is offered. */
const SYSTEM_SERVED = SYSTEM.filter((d) => d.services.length > 0)
  .map((d) => d.name);
const SYSTEM_SERVICES = SYSTEM.flatMap((d) => d.services)
  .filter((s) => !s.endsWith("@.service")).map((s) =>
    s.replace(/\.service$/, "")
  );

const BACKUP_IDS = [
  "20261129T080000Z-reader-0a1b",
  "20261130T163000Z-blog-ab12",
];

/** A HOME with two installed deployments, a staged one, backups and a `leger` on PATH. */
interface Fixture extends AsyncDisposable {
  dir: string;
  home: string;
  stateDir: string;
  workDir: string;
  /** The environment of the shells: PATH starts with the `leger` wrapper's folder. */
  env: Record<string, string>;
}

async function fixture(): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "leger_completion_" });
  const home = `${dir}/home`;
  const { stateDir, workDir } = legerPaths("user", {
    home,
    env: () => undefined,
  });
  await Deno.mkdir(stateDir, { recursive: true });
  await writeDeployments(stateDir, [
    installedDeployment("reader", [
      "caddy.service",
      "miniflux.service",
      "postgres.service",
      "worker@.service",
    ]),
    installedDeployment("blog", ["web.service"]),
    // Volumes only: no services for `leger service` to act on.
    { ...installedDeployment("vols", []), units: ["data.volume"] },
  ]);
  await writeDeploymentFolder(`${workDir}/staged/blog`, {
    deployment: "blog",
    source: { type: "local", location: "/srv/blog" },
    fetched_at: "2026-11-30T13:00:00.000Z",
    files: [],
    normalisations: [],
  }, new Map());
  // A staging in progress (a hidden temporary folder) is not offered.
  await Deno.mkdir(`${workDir}/staged/.reader.x1y2`, { recursive: true });
  for (const id of [...BACKUP_IDS, ".tmp-20261130T170000Z-blog-cd34"]) {
    await Deno.mkdir(`${workDir}/backups/${id}`, { recursive: true });
  }
  await Deno.mkdir(`${dir}/my-app`);
  await Deno.mkdir(`${dir}/my-other-app`);
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  const env: Record<string, string> = {
    PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    HOME: home,
    NO_COLOR: "1",
    DENO_DIR,
  };
  // `leger` as the shipped command runs: deno.json's task flags.
  const words = [
    Deno.execPath(),
    "run",
    "--quiet",
    ...permissionFlags("leger"),
    `${ROOT}/cli/main.ts`,
  ];
  await Deno.writeTextFile(
    `${bin}/leger`,
    `#!/bin/sh\nexec ${words.map(shQuote).join(" ")} "$@"\n`,
    { mode: 0o755 },
  );
  return {
    dir,
    home,
    stateDir,
    workDir,
    env,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

function shQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * What bash's `_leger` offers for the words (the last one is under the
 * cursor), as bash would call it: `COMP_WORDS` split at `=` as bash splits
 * them.
 */
async function bash(
  fx: Fixture,
  words: readonly string[],
  options: { script?: string } = {},
): Promise<string[]> {
  const load = options.script === undefined
    ? "source <(leger completion bash)"
    : `source ${shQuote(options.script)}`;
  const result = await spawnCaptured("bash", [
    "--norc",
    "--noprofile",
    "-c",
    `${load} || exit 3
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _leger
printf '%s\\n' "\${COMPREPLY[@]}"`,
    "bash",
    ...words,
  ], { env: fx.env, clearEnv: true, cwd: fx.dir });
  strictEqual(result.code, 0, result.stderr);
  strictEqual(result.stderr, "");
  return lines(result.stdout);
}

/** What fish offers for the line (`complete -C`), without the descriptions. */
async function fish(fx: Fixture, line: string): Promise<string[]> {
  const result = await spawnCaptured("fish", [
    "--no-config",
    "-c",
    "leger completion fish | source; or exit 3; complete -C $argv[1]",
    line,
  ], { env: fx.env, clearEnv: true, cwd: fx.dir });
  strictEqual(result.code, 0, result.stderr);
  strictEqual(result.stderr, "");
  return lines(result.stdout).map((entry) => entry.split("\t")[0]);
}

/**
 * What zsh's `_leger` offers for the words, with zsh's completion builtins
 * (`compadd`, `_describe`, `_files`, `compset`) replaced by functions that
 * print what they were given: the script's own logic runs for real, zsh's
 * completion system does not (driving it needs a terminal).
 */
async function zsh(fx: Fixture, words: readonly string[]): Promise<string[]> {
  const result = await spawnCaptured("zsh", [
    "-f",
    "-c",
    `compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -rl -- "$@"; }
_describe() { local -a described; described=("\${(@P)\${@[-1]}}"); print -rl -- "\${described[@]%%:*}"; }
_files() { print -r -- "<folders>"; }
compset() { return 0; }
source <(leger completion zsh) || exit 3
words=("$@"); CURRENT=$#; _leger`,
    "zsh",
    ...words,
  ], { env: fx.env, clearEnv: true, cwd: fx.dir });
  strictEqual(result.code, 0, result.stderr);
  strictEqual(result.stderr, "");
  return lines(result.stdout);
}

/**
 * Types each line into an interactive zsh (driven through `zpty`, a
 * pseudo-terminal) that loaded the script from `$fpath` with `compinit`, as
 * the README says, TAB included, and returns the command lines that ran: a
 * `leger` function stands in for the command (the completion's own
 * `command leger __complete` still runs the real one on PATH).
 */
async function zshTyped(
  fx: Fixture,
  typed: readonly string[],
): Promise<string[]> {
  const folder = `${fx.dir}/zfunc`;
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeTextFile(`${folder}/_leger`, zshScript());
  const result = await spawnCaptured("timeout", [
    "60",
    "zsh",
    "-f",
    "-c",
    `zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PS1='%% '; fpath=(\${(q)1} \\$fpath); autoload -Uz compinit; compinit -u -D; leger() { print -r -- \\"RAN[\\$*]\\" }"
shift
for line; do zpty -w z "$line"; done
zpty -w z $'exit\\n'
out=
while zpty -r z chunk; do out+=$chunk; done
print -r -- "$out"`,
    "zsh",
    folder,
    ...typed.map((line) => `${line}\n`),
  ], { env: fx.env, clearEnv: true, cwd: fx.dir });
  strictEqual(result.code, 0, result.stderr);
  return [...result.stdout.matchAll(/^RAN\[([^\]$]*)\]/gm)].map((m) => m[1]);
}

const SERVICES_AND_DEPLOYMENTS = sorted([
  "caddy",
  "miniflux",
  "postgres",
  "web",
  ...SYSTEM_SERVICES,
  "blog",
  "reader",
  ...SYSTEM_SERVED,
]);

Deno.test("bash completes groups, commands and flags from the command table", async () => {
  await using fx = await fixture();
  deepStrictEqual(await bash(fx, ["leger", "dep"]), ["deploy"]);
  deepStrictEqual(await bash(fx, ["leger", "s"]), [
    "service",
    "staged",
    "secrets",
    "status",
  ]);
  const first = await bash(fx, ["leger", ""]);
  ok(first.includes("completion") && first.includes("deploy"), `${first}`);
  ok(
    !first.some((word) => word.startsWith("_")),
    "a hidden command is offered",
  );
  deepStrictEqual(await bash(fx, ["leger", "deploy", "re"]), ["remove"]);
  deepStrictEqual(await bash(fx, ["leger", "--debug", "backup", "r"]), [
    "restore",
  ]);
  deepStrictEqual(await bash(fx, ["leger", "deploy", "install", "--d"]), [
    "--dry-run",
    "--debug",
  ]);
  deepStrictEqual(await bash(fx, ["leger", "-"]), [
    "--debug",
    "-h",
    "--help",
    "-V",
    "--version",
  ]);
  deepStrictEqual(await bash(fx, ["leger", "deploy", "list", "--scope", ""]), [
    "user",
    "system",
  ]);
  // bash splits --scope=sy into three words.
  deepStrictEqual(
    await bash(fx, ["leger", "deploy", "list", "--scope", "=", "sy"]),
    ["system"],
  );
  deepStrictEqual(await bash(fx, ["leger", "completion", ""]), [
    "bash",
    "zsh",
    "fish",
  ]);
  deepStrictEqual(await bash(fx, ["leger", "bogus", ""]), []);
  deepStrictEqual(await bash(fx, ["leger", "--", "dep"]), []);
  deepStrictEqual(
    await bash(fx, ["leger", "deploy", "remove", "--", "bl"]),
    ["blog"],
  );
  deepStrictEqual(
    await bash(fx, ["leger", "deploy", "remove", "blog", ""]),
    [],
  );
});

Deno.test("bash completes deployments, services, staged deployments and backup ids from leger's state", async () => {
  await using fx = await fixture();
  deepStrictEqual(
    sorted(await bash(fx, ["leger", "deploy", "remove", ""])),
    sorted(["blog", "reader", "vols", ...SYSTEM_NAMES]),
  );
  deepStrictEqual(
    sorted(await bash(fx, ["leger", "service", "logs", ""])),
    SERVICES_AND_DEPLOYMENTS,
  );
  // After a flag's value (`-n 5`, `-fn 5`), the next word is the argument.
  deepStrictEqual(
    await bash(fx, ["leger", "service", "logs", "-fn", "5", "m"]),
    ["miniflux"],
  );
  deepStrictEqual(
    await bash(fx, ["leger", "service", "restart", "--json", "re"]),
    ["reader"],
  );
  // vols has no services: `leger service` would refuse it.
  deepStrictEqual(await bash(fx, ["leger", "service", "start", "v"]), []);
  deepStrictEqual(await bash(fx, ["leger", "deploy", "remove", "v"]), [
    "vols",
  ]);
  // The line's --scope is the one read.
  deepStrictEqual(
    await bash(fx, ["leger", "service", "stop", "--scope", "user", ""]),
    sorted(["caddy", "miniflux", "postgres", "web"]).concat(
      ["blog", "reader"],
    ),
  );
  deepStrictEqual(
    sorted(
      await bash(fx, ["leger", "service", "stop", "--scope", "system", ""]),
    ),
    sorted([...SYSTEM_SERVICES, ...SYSTEM_SERVED]),
  );
  deepStrictEqual(await bash(fx, ["leger", "staged", "apply", ""]), ["blog"]);
  deepStrictEqual(await bash(fx, ["leger", "diff", ""]), ["blog"]);
  deepStrictEqual(await bash(fx, ["leger", "backup", "info", ""]), BACKUP_IDS);
  deepStrictEqual(await bash(fx, ["leger", "backup", "restore", "2026113"]), [
    BACKUP_IDS[1],
  ]);
});

Deno.test("bash completes folders for validate and --source", async () => {
  await using fx = await fixture();
  deepStrictEqual(sorted(await bash(fx, ["leger", "validate", "my"])), [
    "my-app",
    "my-other-app",
  ]);
  deepStrictEqual(
    sorted(
      await bash(fx, ["leger", "deploy", "install", "--source", "./my-o"]),
    ),
    ["./my-other-app"],
  );
});

Deno.test("a command and a flag added to the command table are completed without touching the generators", async () => {
  await using fx = await fixture();
  const groups: GroupSpec[] = [{
    name: "volume",
    summary: "Volumes",
    commands: [{
      name: "prune",
      summary: "Prune",
      args: ["<deployment>"],
      complete: [["deployments"]],
      options: [{
        flags: "--older-than <age>",
        description: "age",
        choices: ["1d", "1w"],
      }],
      module: "volume/prune",
    }],
  }];
  const topCommands: CommandSpec[] = [
    { name: "hello", summary: "Hello", module: "hello" },
    { name: "__secret", summary: "Hidden", module: "x", hidden: true },
  ];
  const model = completionModel({ groups, topCommands });
  const script = `${fx.dir}/table.bash`;
  await Deno.writeTextFile(script, bashScript(model));
  deepStrictEqual(await bash(fx, ["leger", ""], { script }), [
    "volume",
    "hello",
  ]);
  deepStrictEqual(await bash(fx, ["leger", "volume", ""], { script }), [
    "prune",
  ]);
  deepStrictEqual(
    await bash(fx, ["leger", "volume", "prune", "--older-than", ""], {
      script,
    }),
    ["1d", "1w"],
  );
  deepStrictEqual(
    sorted(
      await bash(fx, ["leger", "volume", "prune", "--older-than", "1d", ""], {
        script,
      }),
    ),
    sorted(["blog", "reader", "vols", ...SYSTEM_NAMES]),
  );
  for (const text of [zshScript(model), fishScript(model)]) {
    match(text, /volume/);
    match(text, /older-than/);
    ok(!text.includes("__secret"));
  }
});

Deno.test("a flag that takes the place of the arguments (deploy update --all) leaves them unoffered in bash, zsh and fish", async (t) => {
  await using fx = await fixture();
  const deployments = sorted(["blog", "reader", "vols", ...SYSTEM_NAMES]);
  await t.step("bash", async () => {
    deepStrictEqual(
      sorted(await bash(fx, ["leger", "deploy", "update", ""])),
      deployments,
    );
    // Another flag keeps the arguments offered.
    deepStrictEqual(
      sorted(await bash(fx, ["leger", "deploy", "update", "--yes", ""])),
      deployments,
    );
    deepStrictEqual(
      await bash(fx, ["leger", "deploy", "update", "--all", ""]),
      [],
    );
    deepStrictEqual(
      await bash(fx, ["leger", "deploy", "update", "--all", "--yes", "bl"]),
      [],
    );
    deepStrictEqual(
      await bash(fx, [
        "leger",
        "--scope",
        "user",
        "deploy",
        "update",
        "--all",
        "",
      ]),
      [],
    );
  });
  await t.step({
    name: `zsh${missing("zsh", hasZsh)}`,
    ignore: !hasZsh,
    async fn() {
      deepStrictEqual(
        sorted(await zsh(fx, ["leger", "deploy", "update", ""])),
        deployments,
      );
      deepStrictEqual(
        await zsh(fx, ["leger", "deploy", "update", "--all", ""]),
        [],
      );
      deepStrictEqual(
        await zsh(fx, ["leger", "deploy", "update", "--yes", "--all", "re"]),
        [],
      );
    },
  });
  await t.step({
    name: `fish${missing("fish", hasFish)}`,
    ignore: !hasFish,
    async fn() {
      deepStrictEqual(
        sorted(await fish(fx, "leger deploy update ")),
        deployments,
      );
      deepStrictEqual(
        sorted(await fish(fx, "leger deploy update --yes ")),
        deployments,
      );
      deepStrictEqual(await fish(fx, "leger deploy update --all "), []);
      deepStrictEqual(await fish(fx, "leger deploy update --all --yes bl"), []);
    },
  });
  await t.step(
    "any flag of the table marked replacesArgs, short form too",
    async () => {
      const model = completionModel({
        groups: [{
          name: "volume",
          summary: "Volumes",
          commands: [{
            name: "prune",
            summary: "Prune",
            args: ["[deployment]"],
            complete: [["deployments"]],
            options: [
              {
                flags: "-e, --every",
                description: "every one",
                replacesArgs: true,
              },
              { flags: "--older-than <age>", description: "age" },
            ],
            module: "volume/prune",
          }],
        }],
        topCommands: [],
      });
      const script = `${fx.dir}/replaces.bash`;
      await Deno.writeTextFile(script, bashScript(model));
      deepStrictEqual(
        sorted(
          await bash(
            fx,
            ["leger", "volume", "prune", "--older-than", "1d", ""],
            { script },
          ),
        ),
        deployments,
      );
      for (const flag of ["-e", "--every"]) {
        deepStrictEqual(
          await bash(fx, ["leger", "volume", "prune", flag, ""], { script }),
          [],
          flag,
        );
      }
      match(
        fishScript(model),
        /__leger_arg 'volume prune' 0; and not __leger_given --every -e"/,
      );
      match(
        zshScript(model),
        /'volume prune:0'\) \[\[ "\$seen " == \*" --every "\* \|\| "\$seen " == \*" -e "\* \]\] \|\| \{ _leger_dynamic deployments; \} ;;/,
      );
    },
  );
});

Deno.test({
  name: `fish completes commands, flags and leger's state (complete -C)${
    missing("fish", hasFish)
  }`,
  ignore: !hasFish,
  async fn() {
    await using fx = await fixture();
    deepStrictEqual(await fish(fx, "leger dep"), ["deploy"]);
    deepStrictEqual(await fish(fx, "leger deploy "), [
      "install",
      "list",
      "remove",
      "update",
    ]);
    deepStrictEqual(
      sorted(await fish(fx, "leger deploy remove ")),
      sorted(["blog", "reader", "vols", ...SYSTEM_NAMES]),
    );
    deepStrictEqual(
      sorted(await fish(fx, "leger service logs -n 5 ")),
      SERVICES_AND_DEPLOYMENTS,
    );
    deepStrictEqual(
      sorted(await fish(fx, "leger service logs --scope system ")),
      sorted([...SYSTEM_SERVICES, ...SYSTEM_SERVED]),
    );
    deepStrictEqual(await fish(fx, "leger staged discard "), ["blog"]);
    deepStrictEqual(await fish(fx, "leger backup info "), BACKUP_IDS);
    deepStrictEqual(await fish(fx, "leger completion "), [
      "bash",
      "fish",
      "zsh",
    ]);
    deepStrictEqual(await fish(fx, "leger deploy list --scope "), [
      "system",
      "user",
    ]);
    deepStrictEqual(await fish(fx, "leger deploy list --scope=s"), [
      "--scope=system",
    ]);
    const flags = await fish(fx, "leger deploy install --");
    ok(flags.includes("--dry-run") && flags.includes("--debug"), `${flags}`);
    ok(!flags.includes("--remove-volumes"), `${flags}`);
    deepStrictEqual(await fish(fx, "leger validate my-o"), ["my-other-app/"]);
    deepStrictEqual(await fish(fx, "leger bogus "), []);
    deepStrictEqual(await fish(fx, "leger -- "), []);
    deepStrictEqual(await fish(fx, "leger deploy remove blog "), []);
  },
});

Deno.test({
  name: `zsh loads the script and its _leger offers what bash's does${
    missing("zsh", hasZsh)
  }`,
  ignore: !hasZsh,
  async fn() {
    await using fx = await fixture();
    const file = `${fx.dir}/_leger`;
    await Deno.writeTextFile(file, zshScript());
    const syntax = await spawnCaptured("zsh", ["-n", file]);
    deepStrictEqual(syntax, { code: 0, stdout: "", stderr: "" });
    deepStrictEqual(await zsh(fx, ["leger", "dep"]), [
      "deploy",
      "service",
      "staged",
      "backup",
      "config",
      "secrets",
      "auth",
      "status",
      "doctor",
      "diff",
      "validate",
      "completion",
    ]);
    ok((await zsh(fx, ["leger", "deploy", ""])).includes("remove"));
    deepStrictEqual(
      sorted(await zsh(fx, ["leger", "deploy", "remove", ""])),
      sorted(["blog", "reader", "vols", ...SYSTEM_NAMES]),
    );
    deepStrictEqual(
      sorted(await zsh(fx, ["leger", "service", "logs", "-fn", "5", ""])),
      SERVICES_AND_DEPLOYMENTS,
    );
    deepStrictEqual(
      sorted(
        await zsh(fx, ["leger", "service", "logs", "--scope=system", ""]),
      ),
      sorted([...SYSTEM_SERVICES, ...SYSTEM_SERVED]),
    );
    deepStrictEqual(await zsh(fx, ["leger", "backup", "restore", ""]), [
      ...BACKUP_IDS,
    ]);
    deepStrictEqual(await zsh(fx, ["leger", "deploy", "list", "--scope=u"]), [
      "user",
      "system",
    ]);
    ok(
      (await zsh(fx, ["leger", "deploy", "install", "--"])).includes(
        "--dry-run",
      ),
    );
    deepStrictEqual(await zsh(fx, ["leger", "validate", ""]), ["<folders>"]);
    deepStrictEqual(await zsh(fx, ["leger", "completion", ""]), [
      "bash",
      "zsh",
      "fish",
    ]);
  },
});

Deno.test({
  name:
    `zsh completes for real from $fpath with compinit (TAB typed on a terminal)${
      missing("zsh", hasZsh)
    }`,
  ignore: !hasZsh,
  async fn() {
    await using fx = await fixture();
    deepStrictEqual(
      await zshTyped(fx, [
        "leger deploy rem\t",
        "leger comp\tfi\t",
        "leger deploy remove bl\t",
        "leger service logs -n 5 mini\t",
        "leger --debug backup info 2026113\t",
        "leger deploy list --scope=sy\t",
      ]),
      [
        "deploy remove",
        "completion fish",
        "deploy remove blog",
        "service logs -n 5 miniflux",
        `--debug backup info ${BACKUP_IDS[1]}`,
        "deploy list --scope=system",
      ],
    );
  },
});

Deno.test("leger __complete prints values one a line, nothing on a damaged file, and takes no lock", async () => {
  await using fx = await fixture();
  const env = { HOME: fx.home };
  const services = await runLeger(
    ["__complete", "services,deployments-with-services", "--scope", "user"],
    { env },
  );
  deepStrictEqual(services, {
    code: 0,
    stdout: "caddy\nminiflux\npostgres\nweb\nblog\nreader\n",
    stderr: "",
  });
  // Another leger holding the deploy lock does not stop a completion.
  {
    await using _lock = await acquireLock(`${fx.stateDir}/deploy.lock`, {
      what: "the test",
    });
    deepStrictEqual(
      await runLeger(["__complete", "deployments", "--scope", "user"], { env }),
      { code: 0, stdout: "blog\nreader\nvols\n", stderr: "" },
    );
  }
  deepStrictEqual(
    await runLeger(["__complete", "no-such-kind", "--scope", "user"], { env }),
    { code: 0, stdout: "", stderr: "" },
  );
  await Deno.writeTextFile(`${fx.stateDir}/deployments.yaml`, "deployments: [");
  deepStrictEqual(
    await runLeger(["__complete", "deployments,staged", "--scope", "user"], {
      env,
    }),
    { code: 0, stdout: "blog\n", stderr: "" },
  );
  // A line of another shape prints nothing either.
  for (
    const args of [
      ["__complete"],
      ["__complete", "deployments", "--scope", "nowhere"],
      ["__complete", "deployments", "extra"],
      ["__complete", "--json"],
    ]
  ) {
    deepStrictEqual(await runLeger(args, { env }), {
      code: 0,
      stdout: "",
      stderr: "",
    }, args.join(" "));
  }
  // It is nowhere in help or in the suggestions for a misspelt command.
  const help = await runLeger(["--help"]);
  ok(!help.stdout.includes("__complete"));
  const misspelt = await runLeger(["__complet"]);
  strictEqual(misspelt.code, 2);
  ok(!misspelt.stderr.includes("did you mean"), misspelt.stderr);
});

Deno.test("leger completion refuses another shell, naming the three", async () => {
  const result = await runLeger(["completion", "powershell"]);
  strictEqual(result.code, 2);
  strictEqual(result.stdout, "");
  match(
    result.stderr,
    /Cannot write a completion script for the shell "powershell": leger completes bash, zsh, fish/,
  );
  match(result.stderr, /ERR_USAGE/);
  for (const shell of ["bash", "zsh", "fish"]) {
    const script = await runLeger(["completion", shell]);
    strictEqual(script.code, 0);
    strictEqual(script.stderr, "");
    match(script.stdout, /leger __complete|__leger_values/);
  }
});

Deno.test("leger __complete loads neither the parser nor any command's dependencies, let alone the deploy pipeline", async () => {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${ROOT}/cli/commands/complete.ts`],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph: {
    modules: {
      specifier: string;
      dependencies?: {
        code?: { specifier: string };
        isDynamic?: boolean;
      }[];
    }[];
  } = JSON.parse(new TextDecoder().decode(stdout));
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  // What runs: the code imports (type-only imports are erased).
  const loaded = new Set<string>();
  const next = [`file://${ROOT}/cli/commands/complete.ts`];
  while (next.length > 0) {
    const specifier = next.pop()!;
    if (loaded.has(specifier)) continue;
    loaded.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dependency.code !== undefined && !dependency.isDynamic) {
        next.push(dependency.code.specifier);
      }
    }
  }
  const names = [...loaded].map((s) => s.replace(`file://${ROOT}/`, ""));
  ok(names.includes("lib/state/deployments_file.ts"), `${names}`);
  for (const name of names) {
    ok(
      !/^(lib\/(deploy|adapters|quadlet|source|backup)\/|cli\/(program|parse_args|deps)\.ts|node:)/
        .test(name),
      `leger __complete loads ${name}`,
    );
  }
  ok(names.length <= 25, `leger __complete loads ${names.length} modules`);
});
