import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { commandFixture } from "../../../tests/fakes/command_fixture.ts";
import { runProgram } from "../../program.ts";

Deno.test("deploy remove takes a deployment away, keeping or removing its volumes", async (t) => {
  const cases = [
    {
      flags: [],
      stdout:
        /^Removed web \(kept the volume systemd-web-data; `podman volume rm` removes it\)/,
      volumes: ["systemd-web-data"],
    },
    { flags: ["--remove-volumes"], stdout: /^Removed web\n$/, volumes: [] },
  ];
  for (const c of cases) {
    await t.step(c.flags.join(" ") || "by default", async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web");
      strictEqual(
        await runProgram(
          ["deploy", "install", "--source", source, "--yes"],
          fixture.deps,
        ),
        0,
      );
      fixture.clearOutput();
      const code = await runProgram(
        ["deploy", "remove", "web", "--yes", ...c.flags],
        fixture.deps,
      );
      strictEqual(code, 0, fixture.output.stderr);
      match(fixture.output.stdout, c.stdout);
      deepStrictEqual(await fixture.quadletFiles(), []);
      deepStrictEqual([...fixture.host.volumes], c.volumes);
      strictEqual(fixture.host.services.size, 0);
      match(
        await Deno.readTextFile(`${fixture.stateDir}/deployments.yaml`),
        /^deployments: \[\]/m,
      );
    });
  }
});

Deno.test("deploy remove refuses what it cannot do, changing nothing", async (t) => {
  const cases = [
    {
      name: "an unknown deployment, after -- (a name like an option)",
      argv: ["deploy", "remove", "--yes", "--", "--help"],
      code: 1,
      stderr:
        /Cannot find the installed deployment "--help"[\s\S]*ERR_DEPLOYMENT_NOT_FOUND/,
    },
    {
      name: "both --keep-volumes and --remove-volumes",
      argv: ["deploy", "remove", "web", "--keep-volumes", "--remove-volumes"],
      code: 2,
      stderr: /Cannot both keep and remove the volumes/,
    },
    {
      name: "no --yes without a terminal",
      argv: ["deploy", "remove", "web"],
      code: 2,
      stderr: /ERR_CONFIRMATION_REQUIRED/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web");
      await runProgram(
        ["deploy", "install", "--source", source, "--yes"],
        fixture.deps,
      );
      fixture.clearOutput();
      strictEqual(await runProgram(c.argv, fixture.deps), c.code);
      match(fixture.output.stderr, c.stderr);
      deepStrictEqual(await fixture.quadletFiles(), [
        "web-data.volume",
        "web.conf",
        "web.container",
      ]);
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        "active",
      );
    });
  }
});
