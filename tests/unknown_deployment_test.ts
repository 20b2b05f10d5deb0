/**
 * Every command that acts on one deployment says the same when it cannot
 * find the one named: the deployments there are, in the scope looked in,
 * and the closest name when one is near (`ERR_DEPLOYMENT_NOT_FOUND`).
 *
 * @module
 */
import {
  deepStrictEqual,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { deployContextOf } from "../cli/deploy_context_of.ts";
import { runProgram } from "../cli/program.ts";
import { prepareUpdate } from "../lib/deploy/prepare_update.ts";
import { resolveSource } from "../lib/deploy/resolve_source.ts";
import {
  type CommandFixture,
  commandFixture,
} from "./fakes/command_fixture.ts";

/** `web` and `db` installed; `web` staged again (its source changed). */
async function twoDeployments(): Promise<CommandFixture> {
  const fixture = await commandFixture();
  const db = await fixture.writeSource("db", {
    "db.container": "[Container]\nImage=localhost/bb:latest\n",
  });
  const web = await fixture.writeSource("web");
  for (const source of [db, web]) {
    const code = await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    );
    strictEqual(code, 0, fixture.output.stderr);
  }
  await Deno.writeTextFile(`${web}/web.conf`, "greeting=hi\n");
  const staged = await runProgram(["staged", "stage", "web"], fixture.deps);
  strictEqual(staged, 0, fixture.output.stderr);
  fixture.clearOutput();
  return fixture;
}

const INSTALLED =
  'Cannot find the installed deployment "wbe" in the user scope: installed are db, web';
const STAGED =
  'Cannot find the staged deployment "wbe" in the user scope: staged are web';

Deno.test("every command names the deployments there are and the closest, for one it cannot find", async (t) => {
  await using fixture = await twoDeployments();
  const cases: { argv: string[]; message: string }[] = [
    { argv: ["deploy", "update", "wbe", "--yes"], message: INSTALLED },
    { argv: ["deploy", "remove", "wbe", "--yes"], message: INSTALLED },
    { argv: ["staged", "stage", "wbe"], message: INSTALLED },
    { argv: ["staged", "apply", "wbe", "--yes"], message: STAGED },
    { argv: ["staged", "discard", "wbe"], message: STAGED },
    { argv: ["diff", "wbe"], message: STAGED },
    { argv: ["config", "show", "wbe"], message: INSTALLED },
    { argv: ["backup", "create", "wbe"], message: INSTALLED },
    { argv: ["status", "wbe"], message: INSTALLED },
  ];
  for (const { argv, message } of cases) {
    await t.step(argv.join(" "), async () => {
      fixture.clearOutput();
      strictEqual(await runProgram(argv, fixture.deps), 1);
      const { stdout, stderr } = fixture.output;
      strictEqual(stdout, "");
      ok(
        stderr.startsWith(`Error: ${message}\n`) ||
          stderr.includes(`\nError: ${message}\n`),
        stderr,
      );
      match(
        stderr,
        /\nDid you mean `web`\?\n\[ERR_DEPLOYMENT_NOT_FOUND\]\n$/,
      );
    });
  }
  await t.step("--json: the same in the error document", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(
        ["deploy", "remove", "wbe", "--yes", "--json"],
        fixture.deps,
      ),
      1,
    );
    const { error } = JSON.parse(fixture.output.stdout);
    deepStrictEqual([error.code, error.message, error.remedy], [
      "ERR_DEPLOYMENT_NOT_FOUND",
      INSTALLED,
      "Did you mean `web`?",
    ]);
  });
  await t.step("a name near none: one of them, as an example", async () => {
    fixture.clearOutput();
    strictEqual(await runProgram(["config", "show", "mail"], fixture.deps), 1);
    match(
      fixture.output.stderr,
      /Cannot find the installed deployment "mail" in the user scope: installed are db, web\nName one of them, such as `db`\n/,
    );
  });
  // Nothing else was changed or removed meanwhile.
  deepStrictEqual(await fixture.quadletFiles(), [
    "db.container",
    "web-data.volume",
    "web.conf",
    "web.container",
  ]);
});

Deno.test("prepareUpdate() names the installed deployments and the closest, for one that is not installed", async () => {
  await using fixture = await twoDeployments();
  const pipeline = deployContextOf(fixture.deps, "user");
  const source = await fixture.writeSource("wbe");
  const deployment = await resolveSource(source, pipeline, { name: "wbe" });
  await rejects(prepareUpdate(deployment, pipeline), {
    code: "ERR_DEPLOYMENT_NOT_FOUND",
    message: INSTALLED,
    remedy: "Did you mean `web`?",
  });
  const other = await resolveSource(source, pipeline, { name: "mail" });
  await rejects(prepareUpdate(other, pipeline), {
    code: "ERR_DEPLOYMENT_NOT_FOUND",
    message:
      'Cannot find the installed deployment "mail" in the user scope: installed are db, web',
    remedy:
      "Install it with `leger deploy install mail --source …`, or pass --scope system",
  });
});
