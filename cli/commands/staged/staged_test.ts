import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import {
  commandFixture,
  WEB_FILES,
} from "../../../tests/fakes/command_fixture.ts";
import { runProgram } from "../../program.ts";

Deno.test("deploy update --dry-run stages, staged list and diff show it, config show describes it", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  await Deno.writeTextFile(`${source}/web.conf`, "greeting=hi\n");
  const steps: { argv: string[]; check: (stdout: string) => void }[] = [
    {
      argv: ["deploy", "update", "web", "--dry-run", "--json"],
      check: (stdout) =>
        deepStrictEqual(JSON.parse(stdout).summary, {
          modified: 1,
          added: 0,
          removed: 0,
          unchanged: 2,
        }),
    },
    {
      argv: ["staged", "list", "--json"],
      check: (stdout) =>
        deepStrictEqual(
          JSON.parse(stdout).map((r: { deployment: string }) => r.deployment),
          ["web"],
        ),
    },
    {
      argv: ["diff"],
      check: (stdout) => match(stdout, /-greeting=hello\n\+greeting=hi/),
    },
    {
      argv: ["config", "show", "web", "--json"],
      check: (stdout) =>
        deepStrictEqual(JSON.parse(stdout).volumes, ["systemd-web-data"]),
    },
  ];
  for (const step of steps) {
    fixture.clearOutput();
    strictEqual(
      await runProgram(step.argv, fixture.deps),
      0,
      fixture.output.stderr,
    );
    step.check(fixture.output.stdout);
  }
  // Staging changed nothing installed.
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/web.conf`),
    WEB_FILES["web.conf"],
  );
});

Deno.test("diff names the staged deployments when there are none", async () => {
  await using fixture = await commandFixture();
  strictEqual(await runProgram(["diff"], fixture.deps), 1);
  match(fixture.output.stderr, /ERR_DEPLOYMENT_NOT_FOUND/);
});

Deno.test("staged list with nothing staged prints nothing for scripts, and 'Nothing is staged.' on a terminal", async () => {
  await using fixture = await commandFixture();
  strictEqual(await runProgram(["staged", "list"], fixture.deps), 0);
  deepStrictEqual(fixture.output, { stdout: "", stderr: "" });
  fixture.deps.context = { ...fixture.deps.context, stderrIsTerminal: true };
  strictEqual(await runProgram(["staged", "list"], fixture.deps), 0);
  strictEqual(fixture.output.stdout, "");
  match(fixture.output.stderr, /^Nothing is staged\. /);
  fixture.clearOutput();
  strictEqual(
    await runProgram(["staged", "apply", "--yes"], fixture.deps),
    1,
  );
  match(
    fixture.output.stderr,
    /Cannot choose a deployment in the user scope: nothing is staged\n[\s\S]*\[ERR_DEPLOYMENT_NOT_FOUND\]/,
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["diff", "web"], fixture.deps), 1);
  match(
    fixture.output.stderr,
    /Cannot find the staged deployment "web" in the user scope: nothing is staged\n/,
  );
});
