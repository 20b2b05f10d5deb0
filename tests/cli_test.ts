import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
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
      ...TOP_COMMANDS.map((c) => c.name),
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

Deno.test("leger with an unknown command exits 2 with a usage error", async () => {
  const result = await runLeger(["deplo"]);
  strictEqual(result.code, 2);
  strictEqual(result.stdout, "");
  match(result.stderr, /unknown command 'deplo'/);
  match(result.stderr, /\[ERR_USAGE\]/);
});

Deno.test("leger with an unknown flag exits 2 and shows the command's usage", async () => {
  const result = await runLeger(["validate", "--frobnicate", "x"]);
  strictEqual(result.code, 2);
  match(result.stderr, /unknown option '--frobnicate'/);
  match(result.stderr, /leger validate <folder> \[flags\]/);
});

Deno.test("leger with a bad --scope value exits 2 naming the choices", async () => {
  const result = await runLeger(["validate", "x", "--scope", "galaxy"]);
  strictEqual(result.code, 2);
  match(result.stderr, /user, system/);
});

Deno.test("deno task demo runs with exactly the leger binary's permissions", () => {
  const flags = (task: string) =>
    task.split(/\s+/).filter((w) => w.startsWith("--"));
  deepStrictEqual(flags(denoJson.tasks.demo), flags(denoJson.tasks.leger));
});
