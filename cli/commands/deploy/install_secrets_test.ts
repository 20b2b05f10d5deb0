// deploy install and the secrets Podman lacks: legerd (a fake one on a real
// unix socket) is asked to create them before anything starts; what it
// cannot create leaves its units stopped, recorded for legerd to start.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
} from "../../../tests/fakes/command_fixture.ts";
import { healthyLegerd, syncResult } from "../../../tests/fakes/fake_legerd.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { runProgram } from "../../program.ts";

const FILES = {
  "web.container": [
    "[Container]",
    "Image=localhost/bb:latest",
    "Secret=api_token,type=env,target=API_TOKEN",
    "",
  ].join("\n"),
  "db.container": [
    "[Container]",
    "Image=localhost/bb:latest",
    "Secret=db_password",
    "",
  ].join("\n"),
};

async function install(fixture: CommandFixture, extra: string[] = []) {
  const source = await fixture.writeSource("app", FILES);
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes", ...extra],
    fixture.deps,
  );
  return { code, ...fixture.output };
}

/**
 * An install's stderr up to the next steps it ends with (`Next:`), which
 * must be there.
 */
function beforeNext(stderr: string): string {
  const at = stderr.lastIndexOf("\nNext:\n");
  ok(at !== -1, `no next steps at the end of: ${stderr}`);
  return stderr.slice(0, at + 1);
}

/** A legerd that creates in Podman what `inLegerRun` names, before answering. */
async function legerdWith(fixture: CommandFixture, inLegerRun: string[]) {
  const startsBefore: number[] = [];
  const legerd = await fixture.startLegerd({
    health: () => healthyLegerd(),
    sync: (request) => {
      startsBefore.push(
        fixture.host.calls.filter((c) => / start /.test(c)).length,
      );
      const asked = request.secrets ?? [];
      const have = asked.filter((name) => inLegerRun.includes(name));
      for (const name of have) fixture.host.secrets.add(name);
      return syncResult({
        plan: {
          create: have.map((name) => ({
            name,
            version: 1,
            created_at: "2026-11-30T11:00:00.000Z",
            digest: "d".repeat(64),
          })),
          missing: asked.filter((name) => !inLegerRun.includes(name)).map((
            name,
          ) => ({
            name,
            units: [name === "api_token" ? "web.container" : "db.container"],
            in_podman: false,
          })),
        },
        applied: { created: have },
        // As legerd reports each secret leger.run lacks.
        errors: asked.filter((name) => !inLegerRun.includes(name)).map((
          name,
        ) => ({
          code: "ERR_SECRET_NOT_FOUND",
          name,
          message:
            `Cannot sync secret "${name}": leger.run has no secret of that name`,
          fix: `Add it with \`leger secrets set ${name}\``,
          at: "2026-11-30T12:00:00.000Z",
        })),
      });
    },
  });
  return { legerd, startsBefore };
}

Deno.test("deploy install has legerd create the missing secrets before it starts anything, then starts everything", async () => {
  await using fixture = await commandFixture();
  const { legerd, startsBefore } = await legerdWith(fixture, [
    "api_token",
    "db_password",
  ]);
  const result = await install(fixture, ["--json"]);
  strictEqual(result.code, 0, result.stderr);
  deepStrictEqual(legerd.requests.map((r) => [r.path, r.body]), [
    ["/v1/health", null],
    ["/v1/sync", { secrets: ["api_token", "db_password"] }],
  ]);
  deepStrictEqual(startsBefore, [0], "a service started before legerd synced");
  const document = JSON.parse(result.stdout);
  deepStrictEqual(document.summary.secrets_missing, [
    "api_token",
    "db_password",
  ]);
  deepStrictEqual(
    [
      document.legerd,
      document.secrets_synced,
      document.secrets_still_missing,
      document.waiting_for_secrets,
      document.started,
    ],
    [
      "synced",
      ["api_token", "db_password"],
      [],
      [],
      ["db.service", "web.service"],
    ],
  );
  match(
    result.stderr,
    /Asking legerd for the secrets Podman lacks: api_token, db_password…\nlegerd created api_token, db_password from leger\.run\n/,
  );
  ok(!/Not starting/.test(result.stderr), result.stderr);
  strictEqual(
    fixture.host.services.get("web.service")?.activeState,
    "active",
  );
  const [recorded] = await readDeployments(fixture.stateDir);
  strictEqual(recorded.waiting_for_secrets, undefined);
});

Deno.test("deploy install leaves the units whose secret leger.run lacks stopped, recorded, with where to add it", async () => {
  await using fixture = await commandFixture();
  await legerdWith(fixture, ["api_token"]);
  const result = await install(fixture);
  strictEqual(result.code, 0, result.stderr);
  strictEqual(result.stdout, "Installed app\n");
  match(
    result.stderr,
    /Not starting db\.service until the secrets it needs exist\n/,
  );
  // Said once, in the report below, not also as a failed write.
  ok(!/legerd could not write/.test(result.stderr), result.stderr);
  ok(
    beforeNext(result.stderr).endsWith(
      [
        "Not started yet: db.service (secrets missing in Podman: db_password)",
        "  leger.run does not have db_password: add it in the web UI at https://app.leger.run or with `leger secrets set db_password`; legerd then creates it and starts the service (leger.run takes up to a minute to show a new secret)",
        "",
      ].join("\n"),
    ),
    result.stderr,
  );
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  strictEqual(
    fixture.host.services.get("db.service")?.activeState,
    "inactive",
  );
  const [recorded] = await readDeployments(fixture.stateDir);
  deepStrictEqual(recorded.waiting_for_secrets, ["db.service"]);
  // The plan before the question says what will happen, once.
  strictEqual(
    result.stderr.split(
      "An install asks legerd to create them from leger.run before it starts the units that use them",
    ).length,
    2,
    result.stderr,
  );
  strictEqual(result.stderr.split("Secrets missing on this host").length, 2);
});

Deno.test("deploy install without legerd keeps the units waiting, records them and says how to start legerd", async () => {
  await using fixture = await commandFixture();
  const result = await install(fixture, ["--json"]);
  strictEqual(result.code, 0, result.stderr);
  const document = JSON.parse(result.stdout);
  deepStrictEqual(
    [
      document.legerd,
      document.secrets_synced,
      document.secrets_still_missing,
      document.waiting_for_secrets,
      document.started,
    ],
    ["not_running", [], ["api_token", "db_password"], [
      "db.service",
      "web.service",
    ], []],
  );
  const [recorded] = await readDeployments(fixture.stateDir);
  deepStrictEqual(recorded.waiting_for_secrets, ["db.service", "web.service"]);
  // Without --json (installed again, over itself): the way out, and no word
  // of asking a legerd that does not answer.
  const text = await install(fixture);
  strictEqual(text.code, 0, text.stderr);
  ok(!/Asking legerd/.test(text.stderr), text.stderr);
  ok(
    beforeNext(text.stderr).endsWith(
      [
        "Not started yet: db.service, web.service (secrets missing in Podman: api_token, db_password)",
        "  legerd is not running: start it with `systemctl --user enable --now legerd.service` (if it does not stay up, `systemctl --user status legerd.service` says why); it creates the secrets from leger.run and starts the services",
        "",
      ].join("\n"),
    ),
    text.stderr,
  );
  // The next steps begin with what legerd needs: to run.
  ok(
    text.stderr.endsWith(
      [
        "Next:",
        "  systemctl --user enable --now legerd.service   legerd then brings the missing secrets and starts what waits for them",
        "  leger secrets list                             the secrets db.service, web.service still wait for",
        "  leger status app                               its services and their health",
        "  leger service logs app -f                      follow the logs of all its services",
        "  leger deploy remove app                        stop it and remove its units (its volumes are kept)",
        "",
      ].join("\n"),
    ),
    text.stderr,
  );
});

Deno.test("deploy install goes on when legerd fails, and says why the units wait", async () => {
  await using fixture = await commandFixture();
  await fixture.startLegerd({
    health: () => healthyLegerd({ status: "degraded" }),
    sync: () => {
      throw new LegerError(
        "ERR_API_UNREACHABLE",
        "Cannot fetch the leger.run secrets: connection refused",
        { remedy: "Check the network connection" },
      );
    },
  });
  const result = await install(fixture);
  strictEqual(result.code, 0, result.stderr);
  match(
    result.stderr,
    /legerd could not sync the secrets: Cannot fetch the leger\.run secrets: connection refused\n/,
  );
  ok(
    beforeNext(result.stderr).endsWith(
      [
        "  legerd could not create them: Cannot fetch the leger.run secrets: connection refused",
        "  Check the network connection",
        "  legerd tries again at its next poll, then starts the services",
        "",
      ].join("\n"),
    ),
    result.stderr,
  );
  const [recorded] = await readDeployments(fixture.stateDir);
  deepStrictEqual(recorded.waiting_for_secrets, ["db.service", "web.service"]);
});

Deno.test("deploy install --no-start does not ask legerd and records nothing as waiting", async () => {
  await using fixture = await commandFixture();
  const { legerd } = await legerdWith(fixture, ["api_token", "db_password"]);
  const result = await install(fixture, ["--no-start", "--json"]);
  strictEqual(result.code, 0, result.stderr);
  strictEqual(legerd.requests.length, 0);
  strictEqual(JSON.parse(result.stdout).legerd, "not_asked");
  const [recorded] = await readDeployments(fixture.stateDir);
  strictEqual(recorded.waiting_for_secrets, undefined);
});

Deno.test("deploy install does not ask legerd when Podman has every secret", async () => {
  await using fixture = await commandFixture({
    secrets: ["api_token", "db_password"],
  });
  const { legerd } = await legerdWith(fixture, []);
  const result = await install(fixture, ["--json"]);
  strictEqual(result.code, 0, result.stderr);
  strictEqual(legerd.requests.length, 0);
  deepStrictEqual(
    [JSON.parse(result.stdout).legerd, JSON.parse(result.stdout).started],
    ["not_asked", ["db.service", "web.service"]],
  );
});

Deno.test("deploy install asks nothing of a legerd that does not answer its health", async () => {
  await using fixture = await commandFixture();
  const legerd = await fixture.startLegerd({
    health: () => {
      throw new LegerError(
        "ERR_LEGERD_NOT_RUNNING",
        "Cannot read legerd's health: legerd is stopping",
      );
    },
    sync: () => syncResult(),
  });
  const result = await install(fixture);
  strictEqual(result.code, 0, result.stderr);
  deepStrictEqual(legerd.requests.map((r) => r.path), ["/v1/health"]);
  ok(!/Asking legerd/.test(result.stderr), result.stderr);
  match(
    result.stderr,
    / {2}legerd is not running: start it with `systemctl --user enable --now legerd\.service`/,
  );
});

Deno.test("deploy install never suggests `leger secrets set` for a name leger.run cannot hold", async () => {
  await using fixture = await commandFixture();
  await legerdWith(fixture, ["api_token"]);
  const source = await fixture.writeSource("app", {
    ...FILES,
    "db.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "Secret=db.pass,type=env,target=DB_PASS",
      "",
    ].join("\n"),
  });
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  const { stderr } = fixture.output;
  strictEqual(code, 0, stderr);
  ok(!/secrets set db\.pass/.test(stderr), stderr);
  match(
    stderr,
    /db\.container:3: Cannot keep secret "db\.pass" in leger\.run: "\." is not allowed[^\n]*\[ERR_SECRET_NAME_INVALID\]\n {4}fix: Rename the secret [^\n]*`podman secret create db\.pass -`/,
  );
  ok(
    beforeNext(stderr).endsWith(
      [
        "Not started yet: db.service (secrets missing in Podman: db.pass)",
        '  leger.run cannot hold db.pass ("." is not allowed): create it in Podman by hand (the warning above says how); legerd leaves it alone and starts the service that waits for it',
        "",
      ].join("\n"),
    ),
    stderr,
  );
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  // The command that creates it by hand is given once, in the warning.
  strictEqual(
    stderr.split("`podman secret create db.pass -`").length,
    2,
    stderr,
  );
  // One secret legerd may create: "it", not "them".
  match(
    stderr,
    / {2}An install asks legerd to create api_token from leger\.run before it starts the units that use it;\n/,
  );
});

Deno.test("deploy install promises no start a step alone cannot bring: each service starts once every secret it uses exists", async () => {
  await using fixture = await commandFixture();
  await legerdWith(fixture, ["api_token"]);
  const source = await fixture.writeSource("app", {
    ...FILES,
    "db.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "Secret=my.key,type=env,target=MK",
      "Secret=db_password,type=env,target=DB_PASSWORD",
      "",
    ].join("\n"),
    "cache.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "Secret=cache_key,type=env,target=CACHE_KEY",
      "",
    ].join("\n"),
  });
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  const { stderr } = fixture.output;
  strictEqual(code, 0, stderr);
  ok(
    beforeNext(stderr).endsWith(
      [
        "Not started yet: cache.service, db.service (secrets missing in Podman: cache_key, db_password, my.key)",
        "  leger.run does not have cache_key, db_password: add each in the web UI at https://app.leger.run or with `leger secrets set NAME`; legerd then creates them (leger.run takes up to a minute to show a new secret)",
        '  leger.run cannot hold my.key ("." is not allowed): create it in Podman by hand (the warning above says how); legerd leaves it alone',
        "  legerd starts each service once every secret it uses exists: cache.service needs cache_key; db.service needs db_password, my.key",
        "",
      ].join("\n"),
    ),
    stderr,
  );
  match(
    stderr,
    / {2}An install asks legerd to create api_token, cache_key, db_password from leger\.run before it starts the units that use them;\n {2}a unit still missing a secret is installed but not started: legerd starts it once every secret it uses exists\.\n/,
  );
  strictEqual(stderr.split("`podman secret create my.key -`").length, 2);
});

Deno.test("deploy install leaves stopped a unit that would start one waiting for a secret (Wants=, Requires=), and records it", async () => {
  await using fixture = await commandFixture();
  await legerdWith(fixture, ["api_token"]);
  const source = await fixture.writeSource("app", {
    ...FILES,
    // As the demo's Caddy wants Miniflux: starting it would start db.
    "proxy.container": [
      "[Unit]",
      "Wants=db.service",
      "After=db.service",
      "[Container]",
      "Image=localhost/bb:latest",
      "",
    ].join("\n"),
    "cache.container": "[Container]\nImage=localhost/bb:latest\n",
  });
  fixture.clearOutput();
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    ),
    0,
    fixture.output.stderr,
  );
  match(
    fixture.output.stderr,
    /Not starting db\.service, proxy\.service until the secrets they need exist\n/,
  );
  // The fake host does not follow Wants=: proxy left stopped is what keeps
  // systemd from starting db without its secret.
  for (
    const [service, active] of [
      ["db.service", false],
      ["proxy.service", false],
      ["web.service", true],
      ["cache.service", true],
    ] as const
  ) {
    strictEqual(
      fixture.host.services.get(service)?.activeState === "active",
      active,
      service,
    );
  }
  const [recorded] = await readDeployments(fixture.stateDir);
  deepStrictEqual(recorded.waiting_for_secrets?.toSorted(), [
    "db.service",
    "proxy.service",
  ]);
});
