// `leger secrets sync|list|rotate|set|delete` in-process, over the fake host,
// a fake legerd on a real unix socket (so that leger's own LegerdClient is
// what runs) and the loopback leger.run.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
  FIXTURE_USER_UUID,
} from "../../../tests/fakes/command_fixture.ts";
import { healthyLegerd, syncResult } from "../../../tests/fakes/fake_legerd.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import type {
  LegerdHealth,
  SecretStatus,
} from "../../../lib/secrets/control_api.ts";
import { writeDeployments } from "../../../lib/state/deployments_file.ts";
import type { SecretInput } from "../../read_secret_value.ts";
import { runProgram } from "../../program.ts";
import { parse as parseRotate } from "./rotate.ts";
import { renderSyncResult } from "./shared/render_sync_result.ts";
import { parse as parseSync } from "./sync.ts";

const SECRETS: SecretStatus[] = [
  {
    name: "api_token",
    state: "synced",
    version: 3,
    used_by: ["web.container", "worker.container"],
    synced_at: "2026-11-30T11:58:00.000Z",
  },
  {
    name: "db_password",
    state: "missing",
    version: null,
    used_by: ["db.container"],
    synced_at: null,
  },
];

const START_USER =
  "Start it with `systemctl --user enable --now legerd.service`; if it does not stay up, `systemctl --user status legerd.service` says why";

async function run(fixture: CommandFixture, argv: string[]) {
  fixture.clearOutput();
  const code = await runProgram(argv, fixture.deps);
  return { code, ...fixture.output };
}

/** A terminal on stdin and stdout that answers the prompt with `answer`. */
function onTerminal(fixture: CommandFixture, answer: string | null): void {
  fixture.deps.context = {
    ...fixture.deps.context,
    stdinIsTerminal: true,
    stdoutIsTerminal: true,
    readLine: () => Promise.resolve(answer),
  };
}

/** stdin that yields `chunks` (bytes or text), recording raw-mode changes. */
function stdinOf(
  ...chunks: (string | number[])[]
): SecretInput & { raw: boolean[]; reads: number } {
  const queue = chunks.map((c) =>
    typeof c === "string" ? new TextEncoder().encode(c) : Uint8Array.from(c)
  );
  const input = {
    raw: [] as boolean[],
    reads: 0,
    read(buffer: Uint8Array) {
      input.reads++;
      const chunk = queue.shift();
      if (chunk === undefined) return Promise.resolve(null);
      buffer.set(chunk.subarray(0, buffer.length));
      if (chunk.length > buffer.length) {
        queue.unshift(chunk.subarray(buffer.length));
      }
      return Promise.resolve(Math.min(chunk.length, buffer.length));
    },
    setRaw(mode: boolean) {
      input.raw.push(mode);
    },
  };
  return input;
}

// --- secrets list --------------------------------------------------------------

Deno.test("secrets list prints legerd's secrets as a table, and --json as one document", async (t) => {
  await using fixture = await commandFixture();
  const legerd = await fixture.startLegerd({
    secrets: () => SECRETS,
    health: () => healthyLegerd(),
  });
  await t.step(
    "without a terminal: tab-separated rows, no header",
    async () => {
      const result = await run(fixture, ["secrets", "list"]);
      strictEqual(result.code, 0, result.stderr);
      strictEqual(
        result.stdout,
        "api_token\tsynced\t3\tweb.container,worker.container\t2026-11-30T11:58:00.000Z\n" +
          "db_password\tmissing\t-\tdb.container\t-\n",
      );
      // Nothing waits for db_password (no deployments.yaml): nothing is said
      // of starting anything.
      strictEqual(
        result.stderr,
        "1 secret missing in leger.run: db_password. Add it in the web UI at https://app.leger.run or with `leger secrets set db_password`: legerd then creates it in Podman.\n",
      );
    },
  );
  await t.step("on a terminal: aligned, with a header", async () => {
    onTerminal(fixture, null);
    const result = await run(fixture, ["secrets", "list"]);
    strictEqual(
      result.stdout,
      [
        "NAME         STATE    VERSION  USED BY                         SYNCED",
        "api_token    synced   3        web.container,worker.container  2026-11-30T11:58:00.000Z",
        "db_password  missing  -        db.container                    -",
        "",
      ].join("\n"),
    );
  });
  await t.step("--json: the secrets and legerd's health", async () => {
    const result = await run(fixture, ["secrets", "list", "--json"]);
    strictEqual(result.code, 0);
    deepStrictEqual(JSON.parse(result.stdout), {
      secrets: SECRETS,
      legerd: healthyLegerd(),
    });
    strictEqual(result.stderr, "");
  });
  // Both routes once per run, and nothing else.
  deepStrictEqual(
    legerd.requests.map((r) => `${r.method} ${r.path}`).sort(),
    [
      ...Array(3).fill("GET /v1/health"),
      ...Array(3).fill("GET /v1/secrets"),
    ],
  );
  strictEqual(fixture.host.calls.length, 0, "no process ran");
});

Deno.test("secrets list --podman adds Podman's own secrets with their labels, every time in RFC 3339 with milliseconds", async () => {
  await using fixture = await commandFixture({
    podmanSecrets: [
      {
        name: "api_token",
        labels: { "io.leger.managed": "true", "io.leger.version": "3" },
      },
      { name: "mine" },
    ],
  });
  await fixture.startLegerd({
    // A time without milliseconds, as an older legerd may give it.
    secrets: () => [{ ...SECRETS[0], synced_at: "2026-11-30T11:58:00Z" }],
    health: () => healthyLegerd(),
  });
  // Podman's own times: nanoseconds, the host's offset.
  fixture.host.secretStore.get("api_token")!.updatedAt =
    "2026-11-30T12:58:00.682453022+01:00";
  fixture.host.secretStore.get("mine")!.updatedAt = "not a time";
  const json = await run(fixture, ["secrets", "list", "--podman", "--json"]);
  strictEqual(json.code, 0, json.stderr);
  const document = JSON.parse(json.stdout);
  // Every time printed as RFC 3339 with milliseconds, UTC; no time: null.
  deepStrictEqual(
    [
      document.secrets[0].synced_at,
      ...document.podman.map((s: { updated_at: string | null }) =>
        s.updated_at
      ),
    ],
    ["2026-11-30T11:58:00.000Z", "2026-11-30T11:58:00.682Z", null],
  );
  deepStrictEqual(
    document.podman.map((s: { name: string; labels: unknown }) => [
      s.name,
      s.labels,
    ]),
    [
      ["api_token", { "io.leger.managed": "true", "io.leger.version": "3" }],
      ["mine", {}],
    ],
  );
  const text = await run(fixture, ["secrets", "list", "--podman"]);
  strictEqual(text.code, 0);
  ok(
    text.stdout.endsWith(
      "\n\napi_token\tmanaged\t3\nmine\tnot managed\t-\n",
    ),
    text.stdout,
  );
  onTerminal(fixture, null);
  const terminal = await run(fixture, ["secrets", "list", "--podman"]);
  ok(
    terminal.stdout.endsWith(
      [
        "",
        "Podman's secrets (2):",
        "NAME       LEGER        VERSION",
        "api_token  managed      3",
        "mine       not managed  -",
        "",
      ].join("\n"),
    ),
    terminal.stdout,
  );
  // mine is no secret a unit uses: nothing is unmanaged.
  ok(!/unmanaged/.test(terminal.stderr), terminal.stderr);
});

Deno.test("secrets list warns when legerd is degraded, and notes unmanaged secrets", async () => {
  await using fixture = await commandFixture();
  await fixture.startLegerd({
    secrets: () => [{
      name: "mine",
      state: "unmanaged",
      version: null,
      used_by: ["web.container"],
      synced_at: null,
    }],
    health: () =>
      healthyLegerd({
        status: "degraded",
        leger_run: {
          api_url: "https://api.leger.run",
          reachable: false,
          auth: "ok",
          last_error: {
            code: "ERR_API_UNREACHABLE",
            message: "Cannot fetch the leger.run secrets: connection refused",
            at: "2026-11-30T11:59:00.000Z",
          },
        },
      }),
  });
  const result = await run(fixture, ["secrets", "list"]);
  strictEqual(result.code, 0);
  match(result.stderr, /^unmanaged: a Podman secret leger did not create/m);
  match(
    result.stderr,
    /^Warning: legerd is degraded: Cannot fetch the leger\.run secrets: connection refused; Podman keeps the last good values/m,
  );
});

Deno.test("secrets list explains a pending secret by legerd's health, and exits 0", async (t) => {
  const pending: SecretStatus[] = [{
    name: "api_token",
    state: "pending",
    version: null,
    used_by: ["web.container"],
    synced_at: null,
  }];
  const legerRun = healthyLegerd().leger_run;
  const cases: {
    name: string;
    health: Partial<LegerdHealth>;
    stderr: string;
  }[] = [
    {
      name: "after logout: no login",
      health: {
        status: "degraded",
        leger_run: {
          ...legerRun,
          auth: "missing",
          last_error: {
            code: "ERR_LEGER_NOT_AUTHENTICATED",
            message: "Cannot fetch the leger.run secrets: not logged in",
            at: "2026-11-30T11:59:00.000Z",
          },
        },
      },
      stderr:
        "1 secret pending: api_token. legerd cannot ask leger.run for it: there is no leger.run login. Run `leger auth login`.\n" +
        "Warning: legerd is degraded; Podman keeps the last good values (`leger auth status` says more).\n",
    },
    {
      name: "an expired login",
      health: { leger_run: { ...legerRun, auth: "expired" } },
      stderr:
        "1 secret pending: api_token. legerd cannot ask leger.run for it: its login expired and logging in again failed. Run `leger auth login`.\n",
    },
    {
      name: "leger.run unreachable",
      health: {
        leger_run: {
          ...legerRun,
          reachable: false,
          last_error: {
            code: "ERR_API_UNREACHABLE",
            message: "Cannot fetch the leger.run secrets: connection refused",
            at: "2026-11-30T11:59:00.000Z",
          },
        },
      },
      stderr:
        "1 secret pending: api_token. legerd could not reach leger.run: Cannot fetch the leger.run secrets: connection refused. It asks again at its next poll (2026-11-30T12:03:00.000Z).\n",
    },
    {
      name: "no sync since the unit was installed",
      health: {},
      stderr:
        "1 secret pending: api_token. legerd syncs it at its next poll (2026-11-30T12:03:00.000Z), or run `leger secrets sync` now.\n",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using fixture = await commandFixture();
      await fixture.startLegerd({
        secrets: () => pending,
        health: () => healthyLegerd(c.health),
      });
      const result = await run(fixture, ["secrets", "list"]);
      strictEqual(result.code, 0);
      strictEqual(result.stderr, c.stderr);
      ok(!/missing in leger\.run/.test(result.stderr));
    });
  }
});

Deno.test("secrets list says legerd starts what waits for a missing secret, and only that", async () => {
  await using fixture = await commandFixture();
  await writeDeployments(fixture.stateDir, [{
    name: "app",
    scope: "user",
    source: { type: "local", location: "/srv/app" },
    installed_at: "2026-11-30T11:00:00.000Z",
    files: [],
    units: ["db.container", "web.container", "worker@.container"],
    services: ["db.service", "web.service", "worker@a.service"],
    volumes: [],
    waiting_for_secrets: ["db.service", "worker@a.service"],
  }]);
  const missing = (name: string, unit: string): SecretStatus => ({
    name,
    state: "missing",
    version: null,
    used_by: [unit],
    synced_at: null,
  });
  const legerd = await fixture.startLegerd({
    secrets: () => [missing("db_password", "db.container")],
    health: () => healthyLegerd(),
  });
  const one = await run(fixture, ["secrets", "list"]);
  strictEqual(
    one.stderr,
    "1 secret missing in leger.run: db_password. Add it in the web UI at https://app.leger.run or with `leger secrets set db_password`: legerd then creates it in Podman and starts db.service.\n",
  );
  legerd.engine = {
    secrets: () => [
      missing("db_password", "db.container"),
      missing("smtp", "web.container"),
      missing("queue", "worker@.container"),
    ],
    health: () => healthyLegerd(),
  };
  const three = await run(fixture, ["secrets", "list"]);
  strictEqual(three.code, 0);
  strictEqual(
    three.stderr,
    "3 secrets missing in leger.run: db_password, smtp, queue. Add each in the web UI at https://app.leger.run or with `leger secrets set NAME`: legerd then creates them in Podman and starts db.service, worker@a.service.\n",
  );
});

Deno.test("secrets list promises no start before every secret a service uses exists", async () => {
  await using fixture = await commandFixture();
  await writeDeployments(fixture.stateDir, [{
    name: "app",
    scope: "user",
    source: { type: "local", location: "/srv/app" },
    installed_at: "2026-11-30T11:00:00.000Z",
    files: [],
    units: [
      "bad1.container",
      "fresh2.container",
      "one.container",
      "solo.container",
    ],
    services: ["bad1.service", "fresh2.service", "one.service", "solo.service"],
    volumes: [],
    waiting_for_secrets: [
      "bad1.service",
      "fresh2.service",
      "one.service",
      "solo.service",
    ],
  }]);
  const status = (
    name: string,
    state: SecretStatus["state"],
    used_by: string[],
  ): SecretStatus => ({ name, state, version: null, used_by, synced_at: null });
  await fixture.startLegerd({
    secrets: () => [
      status("fresh_a", "missing", ["fresh2.container"]),
      status("fresh_b", "missing", ["fresh2.container", "one.container"]),
      status("my.key", "missing", ["bad1.container"]),
      status("ok:colon", "missing", ["bad1.container"]),
      status("solo.key", "missing", ["solo.container"]),
    ],
    health: () => healthyLegerd(),
  });
  const result = await run(fixture, ["secrets", "list"]);
  strictEqual(result.code, 0);
  strictEqual(
    result.stderr,
    "3 secrets missing in leger.run: fresh_a, fresh_b, ok:colon. Add each in the web UI at https://app.leger.run or with `leger secrets set NAME`: legerd then creates them in Podman and starts fresh2.service, one.service. bad1.service also needs my.key: legerd starts it once every secret it uses exists.\n" +
      'leger.run cannot hold my.key ("." is not allowed): create it in Podman by hand with `podman secret create my.key -` (type the value, then Ctrl-D) or `podman secret create my.key FILE`. legerd leaves it alone. bad1.service also needs ok:colon: legerd starts it once every secret it uses exists.\n' +
      'leger.run cannot hold solo.key ("." is not allowed): create it in Podman by hand with `podman secret create solo.key -` (type the value, then Ctrl-D) or `podman secret create solo.key FILE`. legerd leaves it alone, and starts solo.service once it exists.\n',
  );
});

Deno.test("secrets list never suggests `leger secrets set` for a name leger.run cannot hold", async () => {
  await using fixture = await commandFixture();
  await fixture.startLegerd({
    secrets: () => [{
      name: "db.pass",
      state: "missing",
      version: null,
      used_by: ["db.container"],
      synced_at: null,
    }],
    health: () => healthyLegerd(),
  });
  const result = await run(fixture, ["secrets", "list"]);
  strictEqual(result.code, 0);
  strictEqual(
    result.stderr,
    'leger.run cannot hold db.pass ("." is not allowed): create it in Podman by hand with `podman secret create db.pass -` (type the value, then Ctrl-D) or `podman secret create db.pass FILE`. legerd leaves it alone.\n',
  );
});

Deno.test("every secrets command that needs legerd says how to start it when it is not running", async (t) => {
  const cases: { argv: string[]; message: string }[] = [
    {
      argv: ["secrets", "list"],
      message: "Cannot list the secrets legerd manages",
    },
    { argv: ["secrets", "sync"], message: "Cannot sync the secrets" },
    {
      argv: ["secrets", "rotate", "api_token", "--yes"],
      message: 'Cannot rotate secret "api_token"',
    },
  ];
  for (const scope of ["user", "system"] as const) {
    for (const c of cases) {
      await t.step(`${c.argv.join(" ")} (${scope} scope)`, async () => {
        await using fixture = await commandFixture();
        const result = await run(fixture, [...c.argv, "--scope", scope]);
        strictEqual(result.code, 1);
        strictEqual(result.stdout, "");
        const start = scope === "user"
          ? START_USER
          : "Start it with `systemctl enable --now legerd.service`; if it does not stay up, `systemctl status legerd.service` says why";
        ok(
          result.stderr.endsWith(
            `${c.message}: legerd is not running (no control socket at ${
              fixture.legerdSocket(scope)
            })\n${start}\n[ERR_LEGERD_NOT_RUNNING]\n`,
          ),
          result.stderr,
        );
        const json = await run(fixture, [
          ...c.argv,
          "--scope",
          scope,
          "--json",
        ]);
        deepStrictEqual(JSON.parse(json.stdout).error.remedy, start);
      });
    }
  }
});

// --- secrets sync --------------------------------------------------------------

Deno.test("parse() reads secrets sync and rotate", () => {
  deepStrictEqual(
    parseSync({ args: ["web"], options: { force: true, dryRun: true } }),
    {
      service: "web",
      force: true,
      dryRun: true,
      scope: undefined,
      json: false,
    },
  );
  deepStrictEqual(
    parseRotate({ args: ["api_token"], options: { restart: false } }),
    {
      name: "api_token",
      restart: false,
      yes: false,
      scope: undefined,
      json: false,
    },
  );
});

Deno.test("secrets sync prints what legerd did, and what is missing with where to add it", async (t) => {
  const result = syncResult({
    plan: {
      create: [{ name: "a", version: 1, created_at: "x", digest: "d" }],
      replace: [{
        name: "b",
        version: 7,
        created_at: "x",
        digest: "d",
        reason: "changed",
      }],
      remove: ["old"],
      restart: ["web.service"],
      start: ["db.service"],
      missing: [
        { name: "db_password", units: ["db.container"], in_podman: false },
        {
          name: "smtp",
          units: ["db.container", "web.container"],
          in_podman: true,
        },
      ],
      unmanaged: [{ name: "mine", units: ["web.container"] }],
      unchanged: ["c"],
    },
    applied: {
      created: ["a"],
      replaced: ["b"],
      removed: ["old"],
      restarted: ["web.service"],
      started: ["db.service"],
    },
  });
  await using fixture = await commandFixture();
  const legerd = await fixture.startLegerd({ sync: () => result });
  await t.step("text", async () => {
    const out = await run(fixture, ["secrets", "sync", "web", "--force"]);
    strictEqual(out.code, 0, out.stderr);
    strictEqual(
      out.stdout,
      [
        "Created: a",
        "Replaced: b",
        "Removed: old",
        "Restarted: web.service",
        "Started: db.service",
        "Unchanged: c",
        "Missing in leger.run (2): db_password, smtp",
        "  db.container needs db_password, smtp",
        "  web.container needs smtp",
        "  Add each in the web UI at https://app.leger.run, or with `leger secrets set NAME`",
        "  Podman keeps the last value of smtp until then (deleted in leger.run after legerd wrote it)",
        "Not leger's (1): Podman secrets leger did not create, left alone",
        "  mine, used by web.container",
        "  To have legerd manage one, remove it with `podman secret rm NAME`, then run `leger secrets sync`",
        "",
      ].join("\n"),
    );
    deepStrictEqual(legerd.requests.at(-1)?.body, {
      service: "web",
      force: true,
    });
  });
  await t.step("--json: legerd's answer", async () => {
    const out = await run(fixture, ["secrets", "sync", "--json"]);
    strictEqual(out.code, 0);
    deepStrictEqual(JSON.parse(out.stdout), result);
    strictEqual(out.stderr, "");
    deepStrictEqual(legerd.requests.at(-1)?.body, {});
  });
});

Deno.test("renderSyncResult() agrees with the number of secrets Podman keeps", () => {
  const kept = (...names: string[]) =>
    renderSyncResult(
      syncResult({
        plan: {
          missing: names.map((name) => ({
            name,
            units: ["web.container"],
            in_podman: true,
          })),
        },
      }),
      { webUrl: "https://app.leger.run" },
    ).split("\n").at(-2);
  strictEqual(
    kept("smtp"),
    "  Podman keeps the last value of smtp until then (deleted in leger.run after legerd wrote it)",
  );
  strictEqual(
    kept("smtp", "token"),
    "  Podman keeps the last values of smtp, token until then (deleted in leger.run after legerd wrote them)",
  );
});

Deno.test("secrets sync --dry-run shows the plan and changes nothing", async () => {
  await using fixture = await commandFixture();
  const legerd = await fixture.startLegerd({
    sync: (request) =>
      syncResult({
        dry_run: request.dry_run === true,
        plan: {
          create: [{ name: "a", version: 1, created_at: "x", digest: "d" }],
          restart: ["web.service"],
        },
      }),
  });
  const out = await run(fixture, ["secrets", "sync", "--dry-run"]);
  strictEqual(out.code, 0);
  strictEqual(out.stdout, "Would create: a\nWould restart: web.service\n");
  match(out.stderr, /Dry run: nothing was changed\.\n$/);
  deepStrictEqual(legerd.requests[0].body, { dry_run: true });
});

Deno.test("secrets sync exits 1 and reports each step legerd could not do", async () => {
  await using fixture = await commandFixture();
  await fixture.startLegerd({
    sync: () =>
      syncResult({
        applied: { created: ["a"] },
        errors: [{
          name: "b",
          code: "ERR_SECRET_SYNC_FAILED",
          message: 'Cannot write secret "b" to Podman: no space left',
          fix: "Free some space",
          at: "2026-11-30T12:00:00.000Z",
        }],
      }),
  });
  const out = await run(fixture, ["secrets", "sync"]);
  strictEqual(out.code, 1);
  strictEqual(out.stdout, "Created: a\n");
  ok(
    out.stderr.endsWith(
      'Error: b: Cannot write secret "b" to Podman: no space left\nFree some space\n[ERR_SECRET_SYNC_FAILED]\n',
    ),
    out.stderr,
  );
  const json = await run(fixture, ["secrets", "sync", "--json"]);
  strictEqual(json.code, 1);
  strictEqual(JSON.parse(json.stdout).errors[0].name, "b");
});

Deno.test("secrets sync reports a secret leger.run lacks once, on stdout, not again as an error", async () => {
  await using fixture = await commandFixture();
  await fixture.startLegerd({
    sync: () =>
      syncResult({
        plan: {
          missing: [
            { name: "db_password", units: ["db.container"], in_podman: false },
            { name: "db.pass", units: ["db.container"], in_podman: false },
          ],
        },
        errors: ["db_password", "db.pass"].map((name) => ({
          name,
          code: "ERR_SECRET_NOT_FOUND",
          message:
            `Cannot sync secret "${name}" (used by db.container): leger.run has no secret of that name`,
          fix: `Add it with \`leger secrets set ${name}\``,
          at: "2026-11-30T12:00:00.000Z",
        })),
      }),
  });
  const out = await run(fixture, ["secrets", "sync"]);
  strictEqual(out.code, 1);
  strictEqual(
    out.stdout,
    [
      "Missing in leger.run (2): db_password, db.pass",
      "  db.container needs db_password, db.pass",
      "  Add db_password in the web UI at https://app.leger.run, or with `leger secrets set db_password`",
      '  leger.run cannot hold db.pass ("." is not allowed): create it in Podman by hand with `podman secret create db.pass -` (type the value, then Ctrl-D) or `podman secret create db.pass FILE`; legerd then leaves it alone',
      "",
    ].join("\n"),
  );
  strictEqual(
    out.stderr,
    "Asking legerd to sync the secrets with leger.run…\n",
  );
});

Deno.test("secrets sync passes legerd's own refusal on, with its code and fix", async () => {
  await using fixture = await commandFixture();
  await fixture.startLegerd({
    sync: (request) => {
      throw new LegerError(
        "ERR_SERVICE_NOT_FOUND",
        `Cannot sync the secrets of "${request.service}": no installed unit has that service`,
        { remedy: "Run `leger deploy list` to see the services" },
      );
    },
  });
  const out = await run(fixture, ["secrets", "sync", "nosuch", "--json"]);
  strictEqual(out.code, 1);
  deepStrictEqual(JSON.parse(out.stdout).error, {
    code: "ERR_SERVICE_NOT_FOUND",
    message:
      'Cannot sync the secrets of "nosuch": no installed unit has that service',
    file: null,
    line: null,
    remedy: "Run `leger deploy list` to see the services",
    details: [],
  });
});

// --- secrets rotate --------------------------------------------------------------

Deno.test("secrets rotate asks legerd to rotate and says which services restarted", async (t) => {
  await using fixture = await commandFixture();
  const legerd = await fixture.startLegerd({
    rotate: (request) => ({
      name: request.name,
      version: 4,
      changed: request.restart !== false,
      restarted: request.restart === false
        ? []
        : ["web.service", "worker.service"],
    }),
  });
  const cases = [
    {
      argv: ["secrets", "rotate", "api_token", "--yes"],
      body: { name: "api_token", restart: true },
      stdout:
        "Rotated api_token: version 4 of leger.run is in Podman\nRestarted: web.service, worker.service\n",
    },
    {
      argv: ["secrets", "rotate", "api_token", "--no-restart", "--yes"],
      body: { name: "api_token", restart: false },
      stdout:
        "Rotated api_token: version 4 of leger.run is in Podman (the value had not changed)\nNot restarted (--no-restart): the running services keep the old value until they restart\n",
    },
  ];
  for (const c of cases) {
    await t.step(c.argv.join(" "), async () => {
      const out = await run(fixture, c.argv);
      strictEqual(out.code, 0, out.stderr);
      strictEqual(out.stdout, c.stdout);
      deepStrictEqual(legerd.requests.at(-1)?.body, c.body);
    });
  }
  await t.step("--json", async () => {
    const out = await run(fixture, [
      "secrets",
      "rotate",
      "api_token",
      "--yes",
      "--json",
    ]);
    deepStrictEqual(JSON.parse(out.stdout), {
      name: "api_token",
      version: 4,
      changed: true,
      restarted: ["web.service", "worker.service"],
    });
  });
});

Deno.test("secrets rotate confirms on a terminal, and refuses without one unless --yes", async (t) => {
  await using fixture = await commandFixture();
  const legerd = await fixture.startLegerd({
    rotate: (request) => ({
      name: request.name,
      version: 2,
      changed: true,
      restarted: [],
    }),
  });
  await t.step("no terminal, no --yes", async () => {
    const out = await run(fixture, ["secrets", "rotate", "api_token"]);
    strictEqual(out.code, 2);
    match(out.stderr, /--yes[\s\S]*\[ERR_CONFIRMATION_REQUIRED\]\n$/);
    strictEqual(legerd.requests.length, 0);
  });
  await t.step("answered no", async () => {
    onTerminal(fixture, "n\n");
    const out = await run(fixture, ["secrets", "rotate", "api_token"]);
    strictEqual(out.code, 1);
    match(
      out.stderr,
      /Fetch "api_token" from leger\.run now, replace it in Podman \(user scope\) and restart the services that use it\? \[y\/N\] Nothing was rotated\.\n$/,
    );
    strictEqual(legerd.requests.length, 0);
  });
  await t.step("answered yes", async () => {
    onTerminal(fixture, "y\n");
    const out = await run(fixture, ["secrets", "rotate", "api_token"]);
    strictEqual(out.code, 0);
    strictEqual(
      out.stdout,
      "✓ Rotated api_token: version 2 of leger.run is in Podman\nRestarted: none (no running service uses it)\n",
    );
    strictEqual(legerd.requests.length, 1);
  });
});

Deno.test("secrets commands refuse a name leger.run refuses or reserves before asking anyone", async (t) => {
  await using fixture = await commandFixture();
  const server = await fixture.useLegerRun();
  const legerd = await fixture.startLegerd({});
  fixture.deps.stdin = stdinOf("s3cret");
  const cases: [string[], string][] = [
    [
      ["secrets", "rotate", "selections", "--yes"],
      'Cannot use secret name "selections": leger.run reserves it for its own routes',
    ],
    [
      ["secrets", "set", "select-provider"],
      'Cannot use secret name "select-provider": leger.run reserves it for its own routes',
    ],
    [
      ["secrets", "set", "db.password"],
      'Cannot use secret name "db.password": "." is not allowed',
    ],
    [
      ["secrets", "delete", "a/b", "--yes"],
      'Cannot use secret name "a/b": "/" is not allowed',
    ],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" "), async () => {
      const out = await run(fixture, [...argv, "--json"]);
      strictEqual(out.code, 2);
      const error = JSON.parse(out.stdout).error;
      deepStrictEqual([error.code, error.message], [
        "ERR_SECRET_NAME_INVALID",
        message,
      ]);
    });
  }
  strictEqual(legerd.requests.length, 0);
  strictEqual(
    server.requests.filter((r) => r.path.startsWith("/secrets")).length,
    0,
  );
});

// --- secrets set -----------------------------------------------------------------

/** A fixture logged in to the loopback leger.run, with a fake legerd that knows `used`. */
async function setFixture(
  options: { legerd?: boolean; used?: SecretStatus["state"] | null } = {},
) {
  const { legerd: running = true, used = "synced" } = options;
  const fixture = await commandFixture();
  const server = await fixture.useLegerRun();
  const syncs: unknown[] = [];
  const legerd = running
    ? await fixture.startLegerd({
      secrets: () =>
        used === null ? [] : [{
          name: "api_token",
          state: used,
          version: 1,
          used_by: ["web.container"],
          synced_at: null,
        }],
      sync: (request) => {
        syncs.push(request);
        // What legerd sees: leger.run's latest version, as the list shows it.
        const latest = server.secretsOf(FIXTURE_USER_UUID).find((s) =>
          s.name === "api_token"
        );
        if (latest === undefined) {
          return syncResult({
            plan: {
              missing: [{
                name: "api_token",
                units: ["web.container"],
                in_podman: false,
              }],
            },
          });
        }
        return syncResult({
          plan: {
            replace: [{
              name: "api_token",
              version: latest.version,
              created_at: latest.created_at,
              digest: "d".repeat(64),
              reason: "changed",
            }],
            restart: ["web.service"],
          },
          applied: { replaced: ["api_token"], restarted: ["web.service"] },
        });
      },
    })
    : null;
  return { fixture, server, legerd, syncs };
}

Deno.test("secrets set stores stdin's value in leger.run and has legerd write it to Podman", async () => {
  const { fixture, server, legerd } = await setFixture();
  await using _ = fixture;
  const value = "s3cret-value-Ü";
  fixture.deps.stdin = stdinOf(`${value}\n`);
  const out = await run(fixture, ["secrets", "set", "api_token"]);
  strictEqual(out.code, 0, out.stderr);
  strictEqual(
    out.stdout,
    "Stored api_token in leger.run (version 1)\nlegerd wrote it to Podman; restarted web.service\n",
  );
  deepStrictEqual(
    server.secretsOf(FIXTURE_USER_UUID).map((
      s,
    ) => [s.name, s.value, s.version]),
    [["api_token", value, 1]],
  );
  deepStrictEqual(legerd!.requests.map((r) => [r.path, r.body]), [
    ["/v1/secrets", null],
    ["/v1/sync", { secrets: ["api_token"] }],
  ]);
  // The value went to leger.run's body only.
  for (
    const text of [out.stdout, out.stderr, JSON.stringify(legerd!.requests)]
  ) {
    strictEqual(text.includes(value), false);
  }
  const post = server.requests.find((r) => r.method === "POST");
  strictEqual(post?.path, "/secrets/api_token");
  strictEqual(post?.path.includes(value), false);
});

Deno.test("secrets set --json says what legerd did", async (t) => {
  const cases = [
    {
      name: "written",
      options: {},
      legerd: { state: "written", sync: true, error: null },
    },
    {
      name: "no unit uses it",
      options: { used: null },
      legerd: { state: "not_used", sync: false, error: null },
    },
    {
      name: "orphan",
      options: { used: "orphan" as const },
      legerd: { state: "not_used", sync: false, error: null },
    },
    {
      name: "unmanaged",
      options: { used: "unmanaged" as const },
      legerd: { state: "unmanaged", sync: false, error: null },
    },
    {
      name: "legerd not running",
      options: { legerd: false },
      legerd: {
        state: "not_running",
        sync: false,
        error: "ERR_LEGERD_NOT_RUNNING",
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const { fixture } = await setFixture(c.options);
      await using _ = fixture;
      fixture.deps.stdin = stdinOf("v");
      const out = await run(fixture, ["secrets", "set", "api_token", "--json"]);
      strictEqual(out.code, 0, out.stderr);
      const document = JSON.parse(out.stdout);
      deepStrictEqual(
        [document.name, document.version, document.legerd.state],
        ["api_token", 1, c.legerd.state],
      );
      strictEqual(document.legerd.sync !== null, c.legerd.sync);
      strictEqual(document.legerd.error?.code ?? null, c.legerd.error);
    });
  }
});

Deno.test("secrets set reports a sync that did not write the new version as pending", async () => {
  await using fixture = await commandFixture();
  const server = await fixture.useLegerRun();
  await fixture.startLegerd({
    secrets: () => [SECRETS[0]],
    // legerd still sees the version before this write.
    sync: () => syncResult({ plan: { unchanged: ["api_token"] } }),
  });
  server.putSecret(FIXTURE_USER_UUID, "api_token", "old");
  fixture.deps.stdin = stdinOf("new");
  const out = await run(fixture, ["secrets", "set", "api_token"]);
  strictEqual(out.code, 0);
  match(
    out.stdout,
    /\nlegerd does not see the new value yet: leger\.run takes up to a minute to show a change\. legerd writes it at its next poll, or run `leger secrets sync` in a minute\n$/,
  );
});

Deno.test("secrets set warns, after storing, that legerd is not running and how to start it", async () => {
  const { fixture, server } = await setFixture({ legerd: false });
  await using _ = fixture;
  fixture.deps.stdin = stdinOf("v");
  const out = await run(fixture, ["secrets", "set", "api_token"]);
  strictEqual(out.code, 0);
  strictEqual(out.stdout, "Stored api_token in leger.run (version 1)\n");
  strictEqual(
    out.stderr,
    "Warning: legerd is not running, so Podman keeps the old value of api_token.\nStart it with `systemctl --user enable --now legerd.service`: it writes the new value and restarts what uses it (if it does not stay up, `systemctl --user status legerd.service` says why)\n",
  );
  strictEqual(server.secretsOf(FIXTURE_USER_UUID).length, 1);
});

Deno.test("secrets set reads a hidden prompt on a terminal: no echo, editing keys, Enter ends", async () => {
  const { fixture, server } = await setFixture({ used: null });
  await using _ = fixture;
  onTerminal(fixture, null);
  // "ab", Backspace, "c", an arrow key (ignored), "dé", Enter.
  const input = stdinOf("ab", [0x7f], "c", "\x1b[A", "dé", "\r", "ignored");
  fixture.deps.stdin = input;
  const out = await run(fixture, ["secrets", "set", "api_token"]);
  strictEqual(out.code, 0, out.stderr);
  deepStrictEqual(input.raw, [true, false]);
  strictEqual(out.stderr, "Value for api_token (not shown): \n");
  deepStrictEqual(
    server.secretsOf(FIXTURE_USER_UUID).map((s) => s.value),
    ["acdé"],
  );
  for (const text of [out.stdout, out.stderr]) {
    strictEqual(text.includes("acd"), false);
  }
});

Deno.test("secrets set stores nothing when the value is refused or the prompt is left", async (t) => {
  const cases: {
    name: string;
    terminal?: boolean;
    env?: Record<string, string>;
    input: (string | number[])[];
    code: number;
    error: string;
    message: string;
    raw?: boolean[];
  }[] = [
    {
      name: "empty stdin",
      input: [],
      code: 1,
      error: "ERR_SECRET_VALUE_INVALID",
      message:
        'Cannot store secret "api_token": the value is empty (nothing came on stdin)',
    },
    {
      name: "a lone line end on stdin",
      input: ["\n"],
      code: 1,
      error: "ERR_SECRET_VALUE_INVALID",
      message:
        'Cannot store secret "api_token": the value is empty (nothing came on stdin)',
    },
    {
      name: "more than 10 KiB",
      input: ["x".repeat(6000), "y".repeat(6000)],
      code: 1,
      error: "ERR_SECRET_VALUE_INVALID",
      message:
        'Cannot store secret "api_token": the value is larger than leger.run keeps (10 KiB)',
    },
    {
      name: "not UTF-8",
      input: [[0xff, 0xfe, 0x41]],
      code: 1,
      error: "ERR_SECRET_VALUE_INVALID",
      message: 'Cannot store secret "api_token": its value is not UTF-8 text',
    },
    {
      name: "Enter at once at the prompt",
      terminal: true,
      input: ["\r"],
      code: 1,
      error: "ERR_SECRET_VALUE_INVALID",
      message: 'Cannot store secret "api_token": the value is empty',
      raw: [true, false],
    },
    {
      name: "Ctrl-C at the prompt",
      terminal: true,
      input: ["abc", [0x03], "def\r"],
      code: 130,
      error: "ERR_INTERRUPTED",
      message: 'Cannot store secret "api_token": interrupted at the prompt',
      raw: [true, false],
    },
    {
      name: "a terminal with prompts disabled",
      terminal: true,
      env: { LEGER_PROMPT_DISABLED: "1" },
      input: ["abc\r"],
      code: 2,
      error: "ERR_CONFIRMATION_REQUIRED",
      message:
        'Cannot ask for the value of secret "api_token": LEGER_PROMPT_DISABLED is set',
      raw: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const { fixture, server, legerd } = await setFixture();
      await using _ = fixture;
      if (c.terminal) onTerminal(fixture, null);
      if (c.env !== undefined) {
        const env = fixture.deps.context.env;
        fixture.deps.context = {
          ...fixture.deps.context,
          env: (name) => c.env![name] ?? env(name),
        };
      }
      const input = stdinOf(...c.input);
      fixture.deps.stdin = input;
      const out = await run(fixture, ["secrets", "set", "api_token", "--json"]);
      strictEqual(out.code, c.code, out.stderr);
      const error = JSON.parse(out.stdout).error;
      deepStrictEqual([error.code, error.message], [c.error, c.message]);
      if (c.raw !== undefined) deepStrictEqual(input.raw, c.raw);
      deepStrictEqual(server.secretsOf(FIXTURE_USER_UUID), []);
      strictEqual(legerd!.requests.length, 0);
    });
  }
});

Deno.test("secrets set never takes the value as an argument, and needs a login before it reads one", async (t) => {
  await t.step("a second argument is a usage error", async () => {
    const { fixture, server } = await setFixture();
    await using _ = fixture;
    const out = await run(fixture, ["secrets", "set", "api_token", "s3cret"]);
    strictEqual(out.code, 2);
    match(
      out.stderr,
      /^Error: Cannot run leger: too many arguments: expected at most 1, got 2 \(not shown\): a secret's value is never an argument/,
    );
    strictEqual(out.stderr.includes("s3cret"), false, out.stderr);
    deepStrictEqual(server.secretsOf(FIXTURE_USER_UUID), []);
  });
  await t.step("not logged in", async () => {
    await using fixture = await commandFixture();
    const input = stdinOf("v");
    fixture.deps.stdin = input;
    const out = await run(fixture, ["secrets", "set", "api_token"]);
    strictEqual(out.code, 4);
    match(
      out.stderr,
      /^Error: Cannot store secret "api_token": you are not logged in to leger\.run/,
    );
    strictEqual(input.reads, 0, "stdin was read");
  });
});

// --- secrets delete --------------------------------------------------------------

Deno.test("secrets delete removes the secret from leger.run, after a confirmation", async (t) => {
  await using fixture = await commandFixture();
  const server = await fixture.useLegerRun();
  fixture.deps.stdin = stdinOf("v");
  strictEqual((await run(fixture, ["secrets", "set", "api_token"])).code, 0);
  await t.step("no terminal, no --yes: nothing deleted", async () => {
    const out = await run(fixture, ["secrets", "delete", "api_token"]);
    strictEqual(out.code, 2);
    match(out.stderr, /\[ERR_CONFIRMATION_REQUIRED\]\n$/);
    strictEqual(server.secretsOf(FIXTURE_USER_UUID).length, 1);
  });
  await t.step("answered no", async () => {
    onTerminal(fixture, "n\n");
    const out = await run(fixture, ["secrets", "delete", "api_token"]);
    strictEqual(out.code, 1);
    match(
      out.stderr,
      /Delete secret "api_token" from leger\.run\? \[y\/N\] Nothing was deleted\.\n$/,
    );
    strictEqual(server.secretsOf(FIXTURE_USER_UUID).length, 1);
  });
  await t.step("--yes --json", async () => {
    const out = await run(fixture, [
      "secrets",
      "delete",
      "api_token",
      "--yes",
      "--json",
    ]);
    strictEqual(out.code, 0, out.stderr);
    deepStrictEqual(JSON.parse(out.stdout), {
      name: "api_token",
      deleted: true,
    });
    deepStrictEqual(server.secretsOf(FIXTURE_USER_UUID), []);
  });
  await t.step("a secret leger.run does not have", async () => {
    const out = await run(fixture, ["secrets", "delete", "api_token", "--yes"]);
    strictEqual(out.code, 1);
    // No "cause:" line: leger.run's "Secret not found" says it again.
    match(
      out.stderr,
      /^Error: Cannot delete secret "api_token": leger\.run has no secret of that name\nCheck the name in the web UI at \S+ \(a secret created in the last minute may not show yet\)\n\[ERR_SECRET_NOT_FOUND\]\n$/,
    );
  });
});

Deno.test("secrets delete has legerd sync at once, and says Podman keeps legerd's copy only when it does", async (t) => {
  await using fixture = await commandFixture();
  const server = await fixture.useLegerRun();
  const status = (
    state: SecretStatus["state"],
    used_by: string[],
  ): SecretStatus => ({
    name: "fresh_tok",
    state,
    version: state === "pending" ? null : 1,
    used_by,
    synced_at: state === "pending" ? null : "2026-11-30T11:58:00.000Z",
  });
  const legerd = await fixture.startLegerd({ health: () => healthyLegerd() });
  const cases: {
    name: string;
    known: SecretStatus | null;
    sync?: ReturnType<typeof syncResult>;
    asked: unknown[];
    stderr: string;
  }[] = [
    {
      name: "used by a unit, legerd's copy in Podman",
      known: status("synced", ["web.container"]),
      sync: syncResult({
        plan: {
          missing: [{
            name: "fresh_tok",
            units: ["web.container"],
            in_podman: true,
          }],
        },
      }),
      asked: [{ secrets: ["fresh_tok"] }],
      stderr:
        "Podman keeps legerd's copy while an installed unit uses fresh_tok (`leger secrets list` shows it missing); legerd removes it once none does.\n",
    },
    {
      name: "no unit uses it, Podman has no copy",
      known: null,
      asked: [],
      stderr: "",
    },
    {
      name: "used by a unit, no copy in Podman",
      known: status("pending", ["web.container"]),
      sync: syncResult({
        plan: {
          missing: [{
            name: "fresh_tok",
            units: ["web.container"],
            in_podman: false,
          }],
        },
      }),
      asked: [{ secrets: ["fresh_tok"] }],
      stderr:
        "Podman has no copy of fresh_tok, which web.container uses: it does not start until the secret exists again.\n",
    },
    {
      name: "legerd's copy no unit uses: removed by a full sync",
      known: status("orphan", []),
      sync: syncResult({ applied: { removed: ["fresh_tok"] } }),
      asked: [{}],
      stderr:
        "legerd removed its copy of fresh_tok from Podman: no installed unit uses it.\n",
    },
    {
      name: "leger.run still lists it",
      known: status("synced", ["web.container"]),
      sync: syncResult({ plan: { unchanged: ["fresh_tok"] } }),
      asked: [{ secrets: ["fresh_tok"] }],
      stderr:
        "leger.run still lists fresh_tok (it takes up to a minute to show a deletion); legerd sees it gone at a later poll.\n" +
        "Podman keeps legerd's copy while an installed unit uses fresh_tok; legerd removes it once none does.\n",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      server.putSecret(FIXTURE_USER_UUID, "fresh_tok", "v");
      const asked: unknown[] = [];
      legerd.engine = {
        health: () => healthyLegerd(),
        secrets: () => c.known === null ? [] : [c.known],
        sync: (request) => {
          asked.push(request);
          return c.sync ?? syncResult();
        },
      };
      const out = await run(fixture, [
        "secrets",
        "delete",
        "fresh_tok",
        "--yes",
      ]);
      strictEqual(out.code, 0, out.stderr);
      strictEqual(out.stdout, "Deleted fresh_tok from leger.run\n");
      deepStrictEqual(server.secretsOf(FIXTURE_USER_UUID), []);
      deepStrictEqual(asked, c.asked);
      strictEqual(out.stderr, c.stderr);
    });
  }
  await t.step("legerd not running: nothing claimed of Podman", async () => {
    await legerd.close();
    server.putSecret(FIXTURE_USER_UUID, "fresh_tok", "v");
    const out = await run(fixture, ["secrets", "delete", "fresh_tok", "--yes"]);
    strictEqual(out.code, 0, out.stderr);
    strictEqual(
      out.stderr,
      "legerd is not running, so Podman keeps any copy of fresh_tok legerd wrote; start legerd with `systemctl --user enable --now legerd.service` to bring Podman in step.\n",
    );
  });
});
