/**
 * `-h`/`--help` never runs a command, wherever it stands before `--`: each
 * case runs the real CLI with a temporary home and with `podman`,
 * `systemctl`, `journalctl`, `git` and `tailscale` replaced by scripts that
 * only note that they ran, and checks that nothing ran and nothing was
 * written.
 *
 * @module
 */
import { deepStrictEqual, doesNotMatch, match } from "node:assert/strict";
import { ROOT, runLeger } from "./_leger.ts";

const FAKED_TOOLS = ["podman", "systemctl", "journalctl", "git", "tailscale"];

/** A temporary home and a PATH on which the host tools only note their calls. */
interface Sandbox extends AsyncDisposable {
  env: Record<string, string>;
  /** The file the fake tools append their arguments to. */
  marker: string;
  /** Every file and folder under the temporary home and XDG folders. */
  written(): Promise<string[]>;
}

async function sandbox(): Promise<Sandbox> {
  const dir = await Deno.makeTempDir({ prefix: "leger_help_" });
  const marker = `${dir}/ran.log`;
  const homes = ["home", "data", "config"].map((name) => `${dir}/${name}`);
  for (const folder of [`${dir}/bin`, ...homes]) await Deno.mkdir(folder);
  for (const tool of FAKED_TOOLS) {
    const script = `${dir}/bin/${tool}`;
    await Deno.writeTextFile(
      script,
      `#!/bin/sh\necho "${tool} $*" >> "${marker}"\n`,
    );
    await Deno.chmod(script, 0o755);
  }
  const [home, data, config] = homes;
  return {
    env: {
      PATH: `${dir}/bin:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      HOME: home,
      XDG_DATA_HOME: data,
      XDG_CONFIG_HOME: config,
    },
    marker,
    written: async () => (await Promise.all(homes.map(walk))).flat(),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

async function walk(folder: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const path = `${folder}/${entry.name}`;
    found.push(path);
    if (entry.isDirectory) found.push(...await walk(path));
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("leger … --help prints the help and runs nothing, wherever the flag is", async (t) => {
  const reader = `${ROOT}/examples/reader`;
  const cases: { argv: string[]; usage: string }[] = [
    {
      argv: ["service", "stop", "web", "--help"],
      usage: "leger service stop <service|deployment> [flags]",
    },
    {
      argv: ["validate", "./examples/reader", "--help"],
      usage: "leger validate <folder> [flags]",
    },
    {
      argv: ["deploy", "install", "--source", reader, "--yes", "--help"],
      usage: "leger deploy install [name] [flags]",
    },
    {
      argv: ["deploy", "install", "--source", reader, "-yh"],
      usage: "leger deploy install [name] [flags]",
    },
    {
      argv: ["deploy", "install", "--source", "--help"],
      usage: "leger deploy install [name] [flags]",
    },
    {
      argv: ["deploy", "remove", "web", "--yes", "-h", "--", "x"],
      usage: "leger deploy remove <deployment> [flags]",
    },
    {
      argv: ["--debug", "service", "restart", "web", "--help"],
      usage: "leger service restart <service|deployment> [flags]",
    },
    {
      argv: ["-h", "service", "logs", "web", "-f"],
      usage: "leger service logs <service|deployment> [flags]",
    },
    {
      argv: ["help", "deploy", "install"],
      usage: "leger deploy install [name] [flags]",
    },
    {
      argv: ["deploy", "--yes", "--help"],
      usage: "leger deploy <subcommand> [flags]",
    },
    { argv: ["--debug", "--help"], usage: "leger <command> [subcommand]" },
  ];
  for (const { argv, usage } of cases) {
    await t.step(argv.join(" "), async () => {
      await using box = await sandbox();
      const result = await runLeger(argv, { env: box.env });
      deepStrictEqual([result.code, result.stderr], [0, ""]);
      match(result.stdout, new RegExp(`^Usage:\\n  ${escape(usage)}`, "m"));
      deepStrictEqual(await exists(box.marker), false, "a host tool ran");
      deepStrictEqual(await box.written(), []);
    });
  }
});

Deno.test("leger … -- --help passes --help on as an argument", async () => {
  await using box = await sandbox();
  const result = await runLeger(["deploy", "remove", "--yes", "--", "--help"], {
    env: box.env,
  });
  deepStrictEqual([result.code, result.stdout], [1, ""]);
  match(result.stderr, /"--help"/);
  match(result.stderr, /\[ERR_DEPLOYMENT_NOT_FOUND\]/);
  doesNotMatch(result.stderr, /Usage:/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("leger <group> --help and leger help <group> show the group's examples, and leger --help ends with Get started", async (t) => {
  for (
    const argv of [["deploy", "--help"], ["help", "service"], ["backup", "-h"]]
  ) {
    await t.step(argv.join(" "), async () => {
      await using box = await sandbox();
      const result = await runLeger(argv, { env: box.env });
      deepStrictEqual([result.code, result.stderr], [0, ""]);
      match(
        result.stdout,
        /\nExamples:\n( {2}\$ leger [^\n]+\n)+\nRun `leger \w+ <subcommand> --help`/,
      );
      deepStrictEqual(await exists(box.marker), false, "a host tool ran");
    });
  }
  await t.step("--help", async () => {
    await using box = await sandbox();
    const result = await runLeger(["--help"], { env: box.env });
    deepStrictEqual([result.code, result.stderr], [0, ""]);
    match(
      result.stdout,
      /\n\nGet started:\n {2}leger deploy install --source \.\/my-app {3}[^\n]+\n {2}leger status {3,}[^\n]+\n {2}leger doctor {3,}[^\n]+\n$/,
    );
  });
});
