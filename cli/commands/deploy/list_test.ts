import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { commandFixture } from "../../../tests/fakes/command_fixture.ts";
import { runProgram } from "../../program.ts";

Deno.test("deploy list shows installed deployments and their services' states", async (t) => {
  await using fixture = await commandFixture();
  await t.step("none installed: an empty JSON list", async () => {
    strictEqual(
      await runProgram(["deploy", "list", "--json"], fixture.deps),
      0,
    );
    deepStrictEqual(JSON.parse(fixture.output.stdout), []);
  });
  const source = await fixture.writeSource("web");
  await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  await t.step("one installed, as JSON", async () => {
    fixture.clearOutput();
    const before = fixture.host.calls.length;
    strictEqual(
      await runProgram(["deploy", "list", "--json"], fixture.deps),
      0,
    );
    // One podman and one systemctl process, however many services there are.
    deepStrictEqual(
      fixture.host.calls.slice(before).map((c) =>
        c.split(" ").slice(0, 3).join(" ")
      ),
      [
        "systemctl --user show",
        "podman quadlet list",
      ],
    );
    const [listed] = JSON.parse(fixture.output.stdout);
    strictEqual(listed.deployment, "web");
    deepStrictEqual(
      listed.services.map((
        s: Record<string, string>,
      ) => [s.service, s.active_state, s.status]),
      [["web.service", "active", "active/running"]],
    );
  });
  await t.step(
    "one installed, as tab-separated rows without a terminal",
    async () => {
      fixture.clearOutput();
      fixture.host.services.set("web.service", {
        activeState: "failed",
        subState: "failed",
      });
      strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
      const rows = fixture.output.stdout.trim().split("\n").map((line) =>
        line.split("\t")
      );
      deepStrictEqual(rows.map((row) => row.slice(0, 4)), [
        ["web", "web.service", "failed/failed", "18080->8080/tcp"],
      ]);
    },
  );
});
