import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  commandFixture,
  installDeployment,
} from "../../../tests/fakes/command_fixture.ts";
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
    // One systemctl list-units, however many services there are; Podman only
    // when a service has its health check (see below).
    deepStrictEqual(
      fixture.host.calls.slice(before).map((c) =>
        c.split(" ").slice(0, 3).join(" ")
      ),
      ["systemctl --user list-units"],
    );
    const [listed] = JSON.parse(fixture.output.stdout);
    strictEqual(listed.deployment, "web");
    deepStrictEqual(
      listed.services.map((
        s: Record<string, string>,
      ) => [s.service, s.active_state, s.status]),
      [["web.service", "active", "active/running"]],
    );
    deepStrictEqual(listed.services[0].health, {
      state: "none",
      check: null,
      url: null,
      detail: null,
      remedy: null,
      unreadable: false,
    });
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
      deepStrictEqual(rows.map((row) => row.slice(0, 5)), [
        ["web", "web.service", "failed/failed", "-", "18080->8080/tcp"],
      ]);
    },
  );
});

Deno.test("deploy list shows each service's health: an HTTP check, Podman's, and says why one is unhealthy", async () => {
  await using fixture = await commandFixture();
  // The HTTP check of "api" fails with a 500 from a real loopback server.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("down", { status: 500 }),
  );
  fixture.onDispose(() => server.shutdown());
  const url = `http://127.0.0.1:${server.addr.port}/health`;
  const source = await fixture.writeSource("app", {
    "api.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "",
      "[X-Leger]",
      `HealthURL=${url}`,
      "",
    ].join("\n"),
    "db.container":
      "[Container]\nImage=localhost/bb:latest\nHealthCmd=pg_isready\n",
    "web.container": "[Container]\nImage=localhost/bb:latest\n",
  });
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    ),
    0,
  );
  fixture.host.containerHealth.set("db.service", "healthy");
  fixture.deps.fetch = globalThis.fetch;
  fixture.clearOutput();
  const before = fixture.host.calls.length;
  strictEqual(await runProgram(["deploy", "list", "--json"], fixture.deps), 0);
  deepStrictEqual(
    fixture.host.calls.slice(before).map((c) => c.split(" ")[0]).sort(),
    ["podman", "systemctl"],
  );
  const [app] = JSON.parse(fixture.output.stdout);
  deepStrictEqual(
    app.services.map((
      s: { service: string; health: { state: string; check: string } },
    ) => [
      s.service,
      s.health.state,
      s.health.check,
    ]),
    [
      ["api.service", "unhealthy", "http"],
      ["db.service", "healthy", "podman"],
      ["web.service", "none", null],
    ],
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
  deepStrictEqual(
    fixture.output.stdout.trim().split("\n").map((l) => l.split("\t")[3]),
    ["unhealthy", "healthy", "-"],
  );
  strictEqual(
    fixture.output.stderr,
    'Note: api.service of "app" is unhealthy: HTTP 500 Internal Server Error (3 attempts).\n',
  );
});

Deno.test("deploy list shows a deployment without services as one row, `-` in the service columns", async () => {
  await using fixture = await commandFixture();
  await installDeployment(fixture, "vonly", {
    "vonly-data.volume": "[Volume]\n",
  });
  await installDeployment(fixture, "web");
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
  const rows = fixture.output.stdout.trim().split("\n").map((line) =>
    line.split("\t")
  );
  deepStrictEqual(rows.map((row) => row.slice(0, 5)), [
    ["vonly", "-", "-", "-", "-"],
    ["web", "web.service", "active/running", "-", "18080->8080/tcp"],
  ]);
  // The same deployment, as --json shows it: no services.
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list", "--json"], fixture.deps), 0);
  deepStrictEqual(
    JSON.parse(fixture.output.stdout).map((
      d: { deployment: string; services: unknown[] },
    ) => [d.deployment, d.services.length]),
    [["vonly", 0], ["web", 1]],
  );
});
