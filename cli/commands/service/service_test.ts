import { match, strictEqual } from "node:assert/strict";
import { commandFixture } from "../../../tests/fakes/command_fixture.ts";
import { runProgram } from "../../program.ts";

Deno.test("service start|stop|restart change a service and print its new state", async (t) => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  const cases = [
    {
      argv: ["service", "stop", "web"],
      code: 0,
      stdout: "web.service: inactive (dead)\n",
      state: "inactive",
    },
    {
      argv: ["service", "start", "web.container"],
      code: 0,
      stdout: "web.service: active (running)\n",
      state: "active",
    },
    {
      argv: ["service", "restart", "web.service"],
      code: 0,
      stdout: "web.service: active (running)\n",
      state: "active",
    },
  ];
  for (const c of cases) {
    await t.step(c.argv.join(" "), async () => {
      fixture.clearOutput();
      strictEqual(
        await runProgram(c.argv, fixture.deps),
        c.code,
        fixture.output.stderr,
      );
      strictEqual(fixture.output.stdout, c.stdout);
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        c.state,
      );
    });
  }
  await t.step(
    "an unknown service lists the known ones and changes nothing",
    async () => {
      fixture.clearOutput();
      const before = fixture.host.calls.length;
      strictEqual(
        await runProgram(["service", "stop", "nosuch"], fixture.deps),
        1,
      );
      match(
        fixture.output.stderr,
        /installed: web.service[\s\S]*ERR_SERVICE_NOT_FOUND/,
      );
      strictEqual(fixture.host.calls.length, before);
    },
  );
  await t.step("service logs -n takes a whole number", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(["service", "logs", "web", "-n", "x"], fixture.deps),
      2,
    );
    match(fixture.output.stderr, /expected a whole number/);
  });
  await t.step("service logs streams the service's journal", async () => {
    fixture.clearOutput();
    let asked: unknown[] = [];
    fixture.deps.streamJournal = (...args) => {
      asked = args;
      return Promise.resolve(0);
    };
    strictEqual(
      await runProgram(["service", "logs", "web", "-n5", "-f"], fixture.deps),
      0,
    );
    strictEqual(
      JSON.stringify(asked),
      JSON.stringify(["user", "web.service", {
        lines: 5,
        follow: true,
        json: false,
      }]),
    );
  });
});

Deno.test("service start names a missing secret as the cause, with the fix", async () => {
  await using fixture = await commandFixture({
    failing: ["api.service"],
    journals: {
      "api.service": [
        'Error: no secret with name or id "api_token": no such secret',
      ],
    },
  });
  const source = await fixture.writeSource("api", {
    "api.container":
      "[Container]\nImage=localhost/bb:latest\nSecret=api_token,type=env,target=TOKEN\n",
  });
  // The secret is missing: the install leaves the service stopped.
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    ),
    0,
    fixture.output.stderr,
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["service", "start", "api"], fixture.deps), 1);
  match(
    fixture.output.stderr,
    /Add it to leger\.run with `leger secrets set api_token`/,
  );
  match(fixture.output.stderr, /\[ERR_SECRET_MISSING\]/);
});
