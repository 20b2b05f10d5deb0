// `--json` on every command that declares it: stdout holds exactly one JSON
// document — the result, or `{"error": {…}}` with the error's exit code —
// and nothing else (`service logs --json`: JSON lines, an error one more
// line). The table is checked against the command table of cli/spec.ts, so
// that a new command with `--json` cannot be left out.
//
// Commands that touch the host run in-process over the fake Podman + systemd
// host; the auth commands and a few end-to-end cases run as the shipped
// binary would (runLeger), with a fake `tailscale` or `journalctl` on PATH
// and the loopback leger.run.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { runProgram } from "../cli/program.ts";
import { GROUPS, TOP_COMMANDS } from "../cli/spec.ts";
import { ERROR_CODES, type ErrorCode } from "../lib/errors/mod.ts";
import {
  type CommandFixture,
  commandFixture,
  FIXTURE_USER_UUID,
} from "./fakes/command_fixture.ts";
import { fakeDoctorHost } from "./fakes/fake_doctor_host.ts";
import { healthyLegerd, syncResult } from "./fakes/fake_legerd.ts";
import { fakeVolumes } from "./fakes/fake_volumes.ts";
import { LegerRunServer } from "./leger_run_server.ts";
import { type LegerResult, ROOT, runLeger } from "./_leger.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** One command line of a case, and what its stdout must be. */
interface Run {
  /** `SOURCE` stands for the fixture's deployment folder. */
  argv: string[];
  /** Puts the host in the state the run needs (installs, stages, fakes). */
  given?: (fixture: CommandFixture) => Promise<void>;
  /** The exit code. */
  code: number;
  /** For a result: checks the document. */
  check?: (document: Json, fixture: CommandFixture) => void;
  /** For a failure: the code of the `{"error": …}` document. */
  error?: ErrorCode;
}

/** The commands that touch the host, run in-process; by command path. */
const IN_PROCESS: Record<string, Run[]> = {
  "deploy install": [
    {
      argv: ["deploy", "install", "--source", "SOURCE", "--yes", "--json"],
      code: 0,
      check: (doc, fixture) =>
        deepStrictEqual(doc, {
          deployment: "web",
          scope: "user",
          version: null,
          source: { type: "local", location: `${fixture.home}/src/web` },
          summary: {
            files: 3,
            units: ["web-data.volume", "web.container"],
            volumes: ["systemd-web-data"],
            networks: [],
            secrets_required: [],
            secrets_missing: [],
            conflicts_forced: [],
            warnings: 0,
          },
          started: ["web.service"],
          waiting_for_secrets: [],
          legerd: "not_asked",
          secrets_synced: [],
          secrets_still_missing: [],
          replaced: null,
        }),
    },
    {
      // What an install replaced: the version installed before it.
      argv: ["deploy", "install", "--source", "SOURCE", "--yes", "--json"],
      given: install,
      code: 0,
      check: (doc, fixture) =>
        deepStrictEqual(doc.replaced, {
          version: null,
          source: { type: "local", location: `${fixture.home}/src/web` },
          installed_at: "2026-11-30T12:00:00.000Z",
        }),
    },
    {
      argv: ["deploy", "install", "--source", "SOURCE", "--dry-run", "--json"],
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.deployment, doc.valid], ["web", true]),
    },
    {
      argv: [
        "deploy",
        "install",
        "--source",
        "/nonexistent",
        "--yes",
        "--json",
      ],
      code: 1,
      error: "ERR_SOURCE_NOT_FOUND",
    },
    {
      argv: ["deploy", "install", "--source", "SOURCE", "--json"],
      code: 2,
      error: "ERR_CONFIRMATION_REQUIRED",
    },
  ],
  "deploy list": [
    {
      argv: ["deploy", "list", "--json"],
      given: install,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          doc.map((d: Json) => [d.deployment, d.version, d.services.length]),
          [["web", null, 1]],
        ),
    },
    { argv: ["deploy", "list", "--json"], code: 0, check: isEmptyList },
    {
      argv: ["deploy", "list", "--json"],
      given: (f) => writeState(f, "deployments.yaml", "deployments: [\n"),
      code: 1,
      error: "ERR_STATE_INVALID",
    },
  ],
  "deploy remove": [
    {
      argv: ["deploy", "remove", "web", "--yes", "--json"],
      given: install,
      code: 0,
      check: (doc, fixture) =>
        deepStrictEqual(doc, {
          deployment: "web",
          scope: "user",
          version: null,
          source: { type: "local", location: `${fixture.home}/src/web` },
          removed_units: ["web-data.volume", "web.container"],
          removed_files: ["web-data.volume", "web.conf", "web.container"],
          stopped_services: ["web-data-volume.service", "web.service"],
          removed_networks: [],
          removed_volumes: [],
          kept_volumes: ["systemd-web-data"],
          backup: null,
        }),
    },
    {
      argv: ["deploy", "remove", "web", "--remove-volumes", "--yes", "--json"],
      given: install,
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.removed_volumes, doc.kept_volumes], [
          ["systemd-web-data"],
          [],
        ]),
    },
    {
      argv: ["deploy", "remove", "nosuch", "--yes", "--json"],
      given: install,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
    {
      // Refused by the command's parse, after the parser read --json.
      argv: [
        "deploy",
        "remove",
        "web",
        "--keep-volumes",
        "--remove-volumes",
        "--json",
      ],
      code: 2,
      error: "ERR_USAGE",
    },
  ],
  "deploy update": [
    {
      argv: ["deploy", "update", "web", "--dry-run", "--json"],
      given: async (f) => {
        await install(f);
        await Deno.writeTextFile(`${f.home}/src/web/web.conf`, "greeting=hi\n");
      },
      code: 0,
      check: (doc) => {
        deepStrictEqual(doc.summary, {
          modified: 1,
          added: 0,
          removed: 0,
          unchanged: 2,
        });
        deepStrictEqual([doc.active.version, doc.staged.version], [null, null]);
      },
    },
    {
      argv: ["deploy", "update", "web", "--yes", "--no-backup", "--json"],
      given: async (f) => {
        await install(f);
        await Deno.writeTextFile(`${f.home}/src/web/web.conf`, "greeting=hi\n");
      },
      code: 0,
      check: (doc) => {
        strictEqual(doc.outcome, "updated");
        deepStrictEqual(doc.restarted, ["web.service"]);
        deepStrictEqual(doc.unchanged, ["web-data-volume.service"]);
      },
    },
    {
      argv: ["deploy", "update", "--all", "--yes", "--json"],
      given: install,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          doc.map((d: Json) => [d.deployment, d.outcome]),
          [["web", "unchanged"]],
        ),
    },
    {
      argv: ["deploy", "update", "web", "--all", "--json"],
      given: install,
      code: 2,
      error: "ERR_USAGE",
    },
    {
      argv: ["deploy", "update", "nosuch", "--dry-run", "--json"],
      given: install,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
  ],
  "service logs": [
    {
      argv: ["service", "logs", "web", "--json"],
      given: async (f) => {
        await install(f);
        f.deps.streamJournal = (scope, unit, options) => {
          // What journalctl --output json prints: one object per entry.
          for (const message of ["one", "two"]) {
            f.deps.context.out(
              JSON.stringify({ MESSAGE: message, _SYSTEMD_UNIT: unit, scope }) +
                "\n",
            );
          }
          strictEqual(options.json, true);
          return Promise.resolve(0);
        };
      },
      code: 0,
      check: (lines) =>
        deepStrictEqual(lines.map((l: Json) => [l.MESSAGE, l._SYSTEMD_UNIT]), [
          ["one", "web.service"],
          ["two", "web.service"],
        ]),
    },
    {
      // A deployment: one journalctl for its services, its entries as given.
      argv: ["service", "logs", "pair", "--json"],
      given: async (f) => {
        await installPair(f);
        f.deps.streamJournalEntries = (scope, units, options) => {
          for (const unit of units) {
            const line = JSON.stringify({
              MESSAGE: `hello from ${unit}`,
              _SYSTEMD_USER_UNIT: unit,
              scope,
            });
            options.onEntry({
              service: unit,
              message: `hello from ${unit}`,
              realtimeMicros: null,
              priority: null,
              line,
            });
          }
          return Promise.resolve(0);
        };
      },
      code: 0,
      check: (lines) =>
        deepStrictEqual(lines.map((l: Json) => l._SYSTEMD_USER_UNIT), [
          "pair-a.service",
          "pair-b.service",
        ]),
    },
    {
      argv: ["service", "logs", "nosuch", "--json"],
      given: install,
      code: 1,
      error: "ERR_SERVICE_NOT_FOUND",
    },
    {
      argv: ["service", "logs", "web", "--json"],
      given: async (f) => {
        await install(f);
        f.deps.streamJournal = () => Promise.resolve(1);
      },
      code: 1,
      error: "ERR_COMMAND_FAILED",
    },
    {
      argv: ["service", "logs", "web", "-n", "x", "--json"],
      given: install,
      code: 2,
      error: "ERR_USAGE",
    },
  ],
  ...Object.fromEntries(
    ([
      ["start", "active", "running"],
      ["stop", "inactive", "dead"],
      ["restart", "active", "running"],
    ] as const).map(([verb, active, sub]) => [`service ${verb}`, [
      {
        argv: ["service", verb, "web", "--json"],
        given: install,
        code: 0,
        check: (doc: Json) =>
          deepStrictEqual(doc, {
            service: "web.service",
            scope: "user",
            active_state: active,
            sub_state: sub,
            // No health check: nothing to wait for.
            health: null,
          }),
      },
      {
        // A deployment: the deployment and each service's state.
        argv: ["service", verb, "pair", "--json"],
        given: installPair,
        code: 0,
        check: (doc: Json) =>
          deepStrictEqual(doc, {
            deployment: "pair",
            scope: "user",
            services: ["pair-a.service", "pair-b.service"].map((service) => ({
              service,
              active_state: active,
              sub_state: sub,
              health: null,
            })),
          }),
      },
      {
        argv: ["service", verb, "nosuch", "--json"],
        given: install,
        code: 1,
        error: "ERR_SERVICE_NOT_FOUND",
      },
    ]]),
  ),
  "staged list": [
    {
      argv: ["staged", "list", "--json"],
      given: stage,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          doc.map((r: Json) => [
            r.deployment,
            r.staged_version,
            r.active_version,
            r.installed,
          ]),
          [["web", null, null, true]],
        ),
    },
    { argv: ["staged", "list", "--json"], code: 0, check: isEmptyList },
    {
      argv: ["staged", "list", "--json", "--scope", "galaxy"],
      code: 2,
      error: "ERR_USAGE",
    },
  ],
  "staged discard": [
    {
      argv: ["staged", "discard", "--json"],
      given: stage,
      code: 0,
      check: (doc) => {
        strictEqual(doc.scope, "user");
        deepStrictEqual(
          doc.discarded.map((d: Json) => [d.deployment, d.version]),
          [["web", null]],
        );
      },
    },
    {
      argv: ["staged", "discard", "--json"],
      code: 0,
      check: (doc) => deepStrictEqual(doc, { scope: "user", discarded: [] }),
    },
    {
      argv: ["staged", "discard", "nosuch", "--json"],
      given: stage,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
  ],
  "staged stage": [
    {
      argv: ["staged", "stage", "web", "--json"],
      given: async (f) => {
        await install(f);
        await Deno.writeTextFile(`${f.home}/src/web/web.conf`, "greeting=hi\n");
      },
      code: 0,
      check: (doc) => strictEqual(doc.summary.modified, 1),
    },
    {
      argv: ["staged", "stage", "nosuch", "--json"],
      given: install,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
  ],
  "staged apply": [
    {
      argv: ["staged", "apply", "web", "--yes", "--no-backup", "--json"],
      given: stage,
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.outcome, doc.restarted], [
          "updated",
          ["web.service"],
        ]),
    },
    {
      argv: ["staged", "apply", "--yes", "--json"],
      given: install,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
  ],
  "config show": [
    {
      argv: ["config", "show", "web", "--json"],
      given: install,
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.deployment, doc.state, doc.version], [
          "web",
          "active",
          null,
        ]),
    },
    {
      argv: ["config", "show", "nosuch", "--json"],
      given: install,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
  ],
  "diff": [
    {
      argv: ["diff", "--json"],
      given: stage,
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.deployment, doc.active.version], ["web", null]),
    },
    { argv: ["diff", "--json"], code: 1, error: "ERR_DEPLOYMENT_NOT_FOUND" },
  ],
  "secrets sync": [
    {
      argv: ["secrets", "sync", "--json"],
      given: (f) =>
        f.startLegerd({
          sync: () => syncResult({ applied: { created: ["a"] } }),
        })
          .then(() => {}),
      code: 0,
      check: (doc) => deepStrictEqual(doc.applied.created, ["a"]),
    },
    {
      argv: ["secrets", "sync", "--json"],
      code: 1,
      error: "ERR_LEGERD_NOT_RUNNING",
    },
  ],
  "secrets list": [
    {
      argv: ["secrets", "list", "--json"],
      given: (f) =>
        f.startLegerd({ secrets: () => [], health: () => healthyLegerd() })
          .then(() => {}),
      code: 0,
      check: (doc) =>
        deepStrictEqual(doc, { secrets: [], legerd: healthyLegerd() }),
    },
    {
      argv: ["secrets", "list", "--json"],
      code: 1,
      error: "ERR_LEGERD_NOT_RUNNING",
    },
  ],
  "secrets rotate": [
    {
      argv: ["secrets", "rotate", "api_token", "--yes", "--json"],
      given: (f) =>
        f.startLegerd({
          rotate: (r) => ({
            name: r.name,
            version: 2,
            changed: true,
            restarted: ["web.service"],
          }),
        }).then(() => {}),
      code: 0,
      check: (doc) => deepStrictEqual(doc.restarted, ["web.service"]),
    },
    {
      argv: ["secrets", "rotate", "api_token", "--json"],
      code: 2,
      error: "ERR_CONFIRMATION_REQUIRED",
    },
    {
      argv: ["secrets", "rotate", "selections", "--yes", "--json"],
      code: 2,
      error: "ERR_SECRET_NAME_INVALID",
    },
  ],
  "secrets set": [
    {
      argv: ["secrets", "set", "api_token", "--json"],
      given: async (f) => {
        await f.useLegerRun();
        f.deps.stdin = pipedStdin("s3cret\n");
      },
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.name, doc.version, doc.legerd.state], [
          "api_token",
          1,
          "not_running",
        ]),
    },
    {
      argv: ["secrets", "set", "api_token", "--json"],
      given: async (f) => {
        await f.useLegerRun();
        f.deps.stdin = pipedStdin("");
      },
      code: 1,
      error: "ERR_SECRET_VALUE_INVALID",
    },
    {
      argv: ["secrets", "set", "api_token", "--json"],
      code: 4,
      error: "ERR_LEGER_NOT_AUTHENTICATED",
    },
  ],
  "secrets delete": [
    {
      argv: ["secrets", "delete", "api_token", "--yes", "--json"],
      given: async (f) => {
        const server = await f.useLegerRun();
        server.putSecret(FIXTURE_USER_UUID, "api_token", "v");
      },
      code: 0,
      check: (doc) =>
        deepStrictEqual(doc, { name: "api_token", deleted: true }),
    },
    {
      argv: ["secrets", "delete", "api_token", "--yes", "--json"],
      given: (f) => f.useLegerRun().then(() => {}),
      code: 1,
      error: "ERR_SECRET_NOT_FOUND",
    },
  ],
  "backup create": [
    {
      argv: ["backup", "create", "web", "--json"],
      given: withVolumes,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          [doc.deployment, doc.type, doc.volumes[0].name, doc.live],
          ["web", "manual", "systemd-web-data", false],
        ),
    },
    {
      argv: ["backup", "create", "web", "--json"],
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
  ],
  "backup list": [
    {
      argv: ["backup", "list", "--json"],
      given: backedUp,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          doc.map((b: Json) => [b.deployment, b.type, b.volumes]),
          [["web", "manual", ["systemd-web-data"]]],
        ),
    },
    {
      argv: ["backup", "list", "--json"],
      code: 0,
      check: (doc) => deepStrictEqual(doc, []),
    },
    {
      argv: ["backup", "list", "--json", "--scope", "nowhere"],
      code: 2,
      error: "ERR_USAGE",
    },
  ],
  "backup info": [
    {
      argv: ["backup", "info", "LAST_BACKUP", "--json"],
      given: backedUp,
      code: 0,
      check: (doc, fixture) =>
        deepStrictEqual(
          [
            doc.deployment,
            doc.files.length,
            doc.path.startsWith(fixture.workDir),
          ],
          ["web", 3, true],
        ),
    },
    {
      argv: ["backup", "info", "20261130T120000Z-web-0000", "--json"],
      code: 1,
      error: "ERR_BACKUP_NOT_FOUND",
    },
  ],
  "backup restore": [
    {
      argv: ["backup", "restore", "LAST_BACKUP", "--yes", "--json"],
      given: backedUp,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          [doc.deployment, doc.scope, doc.volumes, doc.started],
          ["web", "user", ["systemd-web-data"], ["web.service"]],
        ),
    },
    {
      argv: ["backup", "restore", "LAST_BACKUP", "--json"],
      given: backedUp,
      code: 2,
      error: "ERR_CONFIRMATION_REQUIRED",
    },
  ],
  "status": [
    {
      argv: ["status", "--json"],
      given: install,
      code: 0,
      check: (doc) =>
        deepStrictEqual(
          [
            doc.ok,
            doc.deployments.map((d: Json) => [
              d.deployment,
              d.services.map((
                s: Json,
              ) => [s.service, s.active_state, s.health.state]),
            ]),
          ],
          [true, [["web", [["web.service", "active", "none"]]]]],
        ),
    },
    {
      argv: ["status", "nosuch", "--json"],
      given: install,
      code: 1,
      error: "ERR_DEPLOYMENT_NOT_FOUND",
    },
    { argv: ["status", "--watch", "--json"], code: 2, error: "ERR_USAGE" },
  ],
  "doctor": [
    {
      argv: ["doctor", "--json"],
      given: async (fixture) => {
        await install(fixture);
        await fakeDoctorHost(fixture);
      },
      code: 0,
      check: (doc) => {
        deepStrictEqual([doc.scope, doc.summary.ok], ["user", true]);
        deepStrictEqual(
          doc.checks.map((c: Json) => [c.id, c.group, c.status]),
          [
            ["podman", "podman", "pass"],
            ["secrets-driver", "podman", "warn"],
            ["systemd", "systemd", "pass"],
            ["linger", "systemd", "pass"],
            ["sub-ids", "host", "pass"],
            ["cgroups", "host", "pass"],
            ["folders", "leger", "pass"],
            ["tailscale", "leger", "warn"],
            ["legerd", "leger", "warn"],
            ["ports:web", "deployments", "pass"],
            ["drift:web", "deployments", "pass"],
          ],
        );
        for (const c of doc.checks) {
          deepStrictEqual(Object.keys(c), [
            "id",
            "group",
            "title",
            "status",
            "detail",
            "fix",
          ]);
        }
      },
    },
    {
      // Root's Podman and systemd are not the user's to check.
      argv: ["doctor", "--scope", "system", "--json"],
      code: 2,
      error: "ERR_USAGE",
    },
  ],
  "validate": [
    {
      argv: ["validate", "SOURCE", "--json"],
      code: 0,
      check: (doc) =>
        deepStrictEqual([doc.deployment, doc.valid], ["web", true]),
    },
    {
      // An unreadable folder is still a plan: invalid, with the reason.
      argv: ["validate", "/nonexistent", "--json"],
      code: 1,
      check: (doc) =>
        deepStrictEqual(
          [doc.valid, doc.errors.map((e: Json) => e.code)],
          [false, ["ERR_SOURCE_NOT_FOUND"]],
        ),
    },
    { argv: ["validate", "--json"], code: 2, error: "ERR_USAGE" },
  ],
};

/** The auth commands, run as the binary (a fake `tailscale`, the loopback leger.run). */
const SUBPROCESS: Record<string, AuthRun[]> = {
  "auth login": [
    {
      argv: ["auth", "login", "--json"],
      code: 0,
      check: (doc, box) => {
        deepStrictEqual(doc, {
          login_name: "alice@github",
          user_uuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
          tailnet: "alice@github",
          device_hostname: "workstation",
          device_id: "100.101.102.103",
          api_url: box.server.apiUrl,
          expires_at: doc.expires_at,
          auth_file: box.authFile,
        });
        match(doc.expires_at, /^\d{4}-\d\d-\d\dT/);
      },
    },
    {
      argv: ["auth", "login", "--json"],
      env: { LEGER_FAKE_TAILSCALE_DAEMON: "down" },
      code: 4,
      error: "ERR_TAILSCALE_NOT_RUNNING",
    },
  ],
  "auth status": [
    {
      argv: ["auth", "status", "--json"],
      loggedIn: true,
      code: 0,
      check: (doc) => strictEqual(doc.leger.state, "valid"),
    },
    {
      argv: ["auth", "status", "--json"],
      env: { LEGER_API_URL: "https://api.example.com" },
      code: 1,
      error: "ERR_NETWORK_NOT_ALLOWED",
    },
  ],
  "auth logout": [
    {
      argv: ["auth", "logout", "--json"],
      loggedIn: true,
      code: 0,
      check: (doc, box) =>
        deepStrictEqual(doc, { removed: true, auth_file: box.authFile }),
    },
    {
      argv: ["auth", "logout", "--json"],
      code: 0,
      check: (doc) => strictEqual(doc.removed, false),
    },
    {
      argv: ["auth", "logout", "--purge-secrets", "--json"],
      code: 1,
      error: "ERR_LEGERD_NOT_RUNNING",
    },
  ],
};

/** A run of an auth command. */
interface AuthRun {
  argv: string[];
  /** Extra environment of the run. */
  env?: Record<string, string>;
  /** Log in first. */
  loggedIn?: boolean;
  code: number;
  check?: (document: Json, box: AuthBox) => void;
  error?: ErrorCode;
}

Deno.test("every command that declares --json has its cases here", () => {
  const declared = [
    ...GROUPS.flatMap((g) =>
      g.commands.map((c) => [`${g.name} ${c.name}`, c] as const)
    ),
    ...TOP_COMMANDS.map((c) => [c.name, c] as const),
  ].filter(([, c]) => c.options?.some((o) => o.flags === "--json"))
    .map(([path]) => path);
  deepStrictEqual(
    [...Object.keys(IN_PROCESS), ...Object.keys(SUBPROCESS)].sort(),
    declared.sort(),
  );
  // Each has a result and a failure.
  for (
    const runs of [...Object.values(IN_PROCESS), ...Object.values(SUBPROCESS)]
  ) {
    ok(
      runs.some((r) => r.error === undefined && r.code === 0),
      runs[0].argv.join(" "),
    );
    ok(runs.some((r) => r.error !== undefined), runs[0].argv.join(" "));
  }
});

Deno.test("--json prints one document on stdout: the result, or the error with its exit code", async (t) => {
  for (const [command, runs] of Object.entries(IN_PROCESS)) {
    for (const run of runs) {
      await t.step(run.argv.join(" "), async () => {
        await using fixture = await commandFixture();
        const source = await fixture.writeSource("web");
        await run.given?.(fixture);
        fixture.clearOutput();
        const argv = run.argv.map((word) =>
          word === "SOURCE"
            ? source
            : word === "LAST_BACKUP"
            ? lastBackup
            : word
        );
        const code = await runProgram(argv, fixture.deps);
        const outcome = { code, ...fixture.output };
        const lines = command === "service logs";
        const document = assertJsonOutcome(outcome, run, { lines });
        run.check?.(document, fixture);
      });
    }
  }
});

Deno.test("--json of the auth commands prints one document, never the token", async (t) => {
  for (const runs of Object.values(SUBPROCESS)) {
    for (const run of runs) {
      await t.step(run.argv.join(" "), async () => {
        await using box = await authBox();
        if (run.loggedIn) {
          strictEqual((await box.leger(["auth", "login"])).code, 0);
        }
        const outcome = await box.leger(run.argv, run.env);
        const token = await Deno.readTextFile(box.authFile).then(
          (text) => JSON.parse(text).token as string,
          () => null,
        );
        if (token !== null) strictEqual(outcome.stdout.includes(token), false);
        run.check?.(assertJsonOutcome(outcome, run), box);
      });
    }
  }
});

Deno.test("leger … --json end to end: errors on stdout as JSON, journal entries as JSON lines", async (t) => {
  await using fixture = await commandFixture();
  const env = { HOME: fixture.home };

  await t.step("config show of an unknown deployment", async () => {
    const outcome = await runLeger(
      ["config", "show", "nosuch", "--json", "--scope", "user"],
      { env },
    );
    assertJsonOutcome(outcome, { code: 1, error: "ERR_DEPLOYMENT_NOT_FOUND" });
  });

  await t.step("diff with nothing staged", async () => {
    const outcome = await runLeger(["diff", "--json", "--scope", "user"], {
      env,
    });
    assertJsonOutcome(outcome, { code: 1, error: "ERR_DEPLOYMENT_NOT_FOUND" });
  });

  await t.step("a command line the parser refuses, with --json", async () => {
    const outcome = await runLeger(
      ["service", "logs", "web", "--json", "--bogus"],
      { env },
    );
    const doc = assertJsonOutcome(outcome, { code: 2, error: "ERR_USAGE" });
    match(doc.error.message, /unknown option '--bogus'/);
    deepStrictEqual(doc.error.details, [
      "usage: leger service logs <service|deployment> [flags]",
    ]);
  });

  await t.step(
    "a usage error without --json prints nothing on stdout",
    async () => {
      const outcome = await runLeger(["service", "logs", "web", "--bogus"], {
        env,
      });
      strictEqual(outcome.code, 2);
      strictEqual(outcome.stdout, "");
    },
  );

  await t.step(
    "service logs --json runs journalctl --output json",
    async () => {
      await fixture.writeSource("web");
      await install(fixture);
      const bin = `${fixture.home}/bin`;
      await Deno.mkdir(bin);
      // A fake journalctl: says how it was run, as one journal entry.
      await Deno.writeTextFile(
        `${bin}/journalctl`,
        '#!/bin/sh\nprintf \'{"MESSAGE":"%s"}\\n\' "$*"\n',
        { mode: 0o755 },
      );
      const outcome = await runLeger(
        ["service", "logs", "web", "--json", "-n", "5", "--scope", "user"],
        {
          env: {
            ...env,
            PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
          },
        },
      );
      strictEqual(outcome.code, 0, outcome.stderr);
      deepStrictEqual(
        outcome.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)),
        [
          {
            MESSAGE:
              "--user --unit web.service --lines 5 --no-pager --output json",
          },
        ],
      );
    },
  );
});

/**
 * Checks that stdout is one JSON document (JSON lines with `lines`) and
 * nothing else; for a failure, that it is the `{"error": …}` document of
 * `run.error`, with that code's exit code and the error for a person on
 * stderr. Returns the document (the lines' objects with `lines`).
 */
function assertJsonOutcome(
  outcome: LegerResult,
  run: { code: number; error?: ErrorCode },
  options: { lines?: boolean } = {},
): Json {
  const { code, stdout, stderr } = outcome;
  strictEqual(
    code,
    run.code,
    `exit code; stderr:\n${stderr}\nstdout:\n${stdout}`,
  );
  ok(
    stdout.endsWith("\n"),
    `stdout ends with a newline: ${JSON.stringify(stdout)}`,
  );
  const documents = options.lines
    ? stdout.slice(0, -1).split("\n").map((line) => JSON.parse(line))
    : [JSON.parse(stdout)];
  if (run.error === undefined) {
    for (const document of documents) {
      strictEqual(document?.error, undefined, stdout);
    }
    return options.lines ? documents : documents[0];
  }
  // An error is the last (the only) document.
  strictEqual(documents.length, 1, stdout);
  const [document] = documents;
  deepStrictEqual(Object.keys(document), ["error"]);
  deepStrictEqual(Object.keys(document.error).sort(), [
    "code",
    "details",
    "file",
    "line",
    "message",
    "remedy",
  ]);
  strictEqual(document.error.code, run.error);
  strictEqual(ERROR_CODES[run.error].exit, run.code);
  match(document.error.message, /^Cannot /);
  // The person still reads the error on stderr.
  match(stderr, new RegExp(`^Error: [\\s\\S]*\\[${run.error}\\]\\n$`, "m"));
  return document;
}

async function install(fixture: CommandFixture): Promise<void> {
  const source = `${fixture.home}/src/web`;
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
}

/** Installs the deployment "pair" of two services, pair-a and pair-b. */
async function installPair(fixture: CommandFixture): Promise<void> {
  const container = "[Container]\nImage=localhost/bb:latest\n";
  const source = await fixture.writeSource("pair", {
    "pair-a.container": container,
    "pair-b.container": container,
  });
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
}

/** Installs web over a host whose volumes hold data (tests/fakes/fake_volumes.ts). */
async function withVolumes(fixture: CommandFixture): Promise<void> {
  fixture.deps.runner = fakeVolumes(fixture.host).runner;
  await install(fixture);
}

/**
 * Installs web and backs it up; `LAST_BACKUP` in a case's argv stands for
 * the backup's id.
 */
async function backedUp(fixture: CommandFixture): Promise<void> {
  await withVolumes(fixture);
  fixture.clearOutput();
  const code = await runProgram(["backup", "create", "web"], fixture.deps);
  strictEqual(code, 0, fixture.output.stderr);
  lastBackup = fixture.output.stdout.split("\t")[0];
}

let lastBackup = "";

/** Installs web, changes it, and stages the update. */
async function stage(fixture: CommandFixture): Promise<void> {
  await install(fixture);
  await Deno.writeTextFile(`${fixture.home}/src/web/web.conf`, "greeting=hi\n");
  const code = await runProgram(
    ["deploy", "update", "web", "--dry-run"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
}

async function writeState(
  fixture: CommandFixture,
  name: string,
  text: string,
): Promise<void> {
  await Deno.mkdir(fixture.stateDir, { recursive: true });
  await Deno.writeTextFile(`${fixture.stateDir}/${name}`, text);
}

function isEmptyList(doc: Json): void {
  deepStrictEqual(doc, []);
}

/** A temporary HOME, a fake `tailscale` on PATH and the loopback leger.run. */
interface AuthBox extends AsyncDisposable {
  server: LegerRunServer;
  authFile: string;
  leger(args: string[], env?: Record<string, string>): Promise<LegerResult>;
}

async function authBox(): Promise<AuthBox> {
  const dir = await Deno.makeTempDir({ prefix: "leger_json_" });
  const server = await LegerRunServer.start();
  const env = {
    HOME: `${dir}/home`,
    XDG_DATA_HOME: `${dir}/data`,
    XDG_RUNTIME_DIR: `${dir}/run`,
    PATH: `${ROOT}/tests/fakes/bin:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    LEGER_API_URL: server.apiUrl,
    LEGER_STATIC_URL: server.staticUrl,
    LEGER_WEB_URL: server.webUrl,
    LEGER_TAILSCALE_SOCKET: `${dir}/tailscaled.sock`,
    LEGER_FAKE_TAILSCALE_STATUS: `${ROOT}/tests/fakes/tailscale/running.json`,
  };
  return {
    server,
    authFile: `${dir}/data/leger/auth.json`,
    leger: (args, extra = {}) => runLeger(args, { env: { ...env, ...extra } }),
    async [Symbol.asyncDispose]() {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** stdin that is a pipe holding `text`. */
function pipedStdin(text: string) {
  const bytes = new TextEncoder().encode(text);
  let done = false;
  return {
    read(buffer: Uint8Array) {
      if (done || bytes.length === 0) return Promise.resolve(null);
      done = true;
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    },
    setRaw() {
      throw new Error("stdin is not a terminal");
    },
  };
}
