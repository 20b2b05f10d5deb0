import {
  deepStrictEqual,
  match,
  notStrictEqual,
  ok,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import { secretDigest } from "../lib/secrets/secret_digest.ts";
import { readDeployments } from "../lib/state/deployments_file.ts";
import { clearJournal, writeJournal } from "../lib/state/intent_journal.ts";
import { acquireLock } from "../lib/state/lock.ts";
import { loadAuthState } from "../lib/auth/load_auth_state.ts";
import { saveAuthState } from "../lib/auth/save_auth_state.ts";
import { startFakeLocalApi } from "../tests/fakes/tailscale_local_api.ts";
import { containerUsing, engineFixture, UUID } from "./_engine_fixture.ts";

const WEB = { "web.container": containerUsing("api_token") };

/** The labels legerd gives a secret, with the digest of `value` under the fixture's key. */
async function labelsFor(
  stateDir: string,
  value: string,
  version: number,
  created_at: string,
): Promise<Record<string, string>> {
  const hex = (await Deno.readTextFile(`${stateDir}/legerd.key`)).trim();
  const key = new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)));
  return {
    "io.leger.managed": "true",
    "io.leger.version": String(version),
    "io.leger.digest": await secretDigest(key, value),
    "io.leger.created_at": created_at,
  };
}

function systemctlCalls(argv: string[][]): string[] {
  return argv.filter((a) => a[0] === "systemctl").map((a) => a.join(" "));
}

Deno.test("SecretsEngine.sync() creates a required secret with leger's labels, the value on stdin", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "first-value" },
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.created, ["api_token"]);
  deepStrictEqual(result.errors, []);
  const stored = f.host.secretStore.get("api_token")!;
  strictEqual(stored.value, "first-value");
  const [secret] = f.server.secretsOf(UUID);
  deepStrictEqual(
    stored.labels,
    await labelsFor(f.stateDir, "first-value", 1, secret.created_at),
  );
  strictEqual(
    (await Deno.stat(`${f.stateDir}/legerd.key`)).mode! & 0o777,
    0o600,
  );
  ok(
    f.lines.includes("Created secret api_token (version 1)"),
    f.lines.join("\n"),
  );
  // Nothing runs: no restart, but legerd asked which services run.
  deepStrictEqual(systemctlCalls(f.argv), [
    "systemctl --user list-units --all --plain --no-legend --full -- web.service",
  ]);
  strictEqual(f.engine.health().status, "ok");
});

Deno.test("SecretsEngine.sync() replaces a rotated value and restarts its running users in one try-restart", async () => {
  await using f = await engineFixture({
    units: { ...WEB, "api.container": containerUsing("api_token", "other") },
    backend: { api_token: "v1", other: "o1" },
    running: ["web.service", "api.service"],
  });
  await f.engine.sync({});
  const restartsBefore = systemctlCalls(f.argv).filter((c) =>
    c.includes("try-restart")
  );
  f.server.putSecret(UUID, "api_token", "v2");
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.replaced, ["api_token"]);
  deepStrictEqual(
    result.plan.replace.map((r) => [r.name, r.version, r.reason]),
    [["api_token", 2, "changed"]],
  );
  deepStrictEqual(result.applied.restarted, ["api.service", "web.service"]);
  strictEqual(f.host.secretStore.get("api_token")!.value, "v2");
  deepStrictEqual(
    systemctlCalls(f.argv).filter((c) => c.includes("try-restart")).slice(
      restartsBefore.length,
    ),
    ["systemctl --user try-restart -- api.service web.service"],
  );
  ok(f.lines.includes("Replaced secret api_token (version 1 → 2, changed)"));
  ok(f.lines.includes("Restarted web.service: api_token changed"));
});

Deno.test("SecretsEngine.sync() writes nothing when leger.run re-posts the same value with a new version", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "same" },
    running: ["web.service"],
  });
  await f.engine.sync({});
  const id = f.host.secretStore.get("api_token")!.id;
  f.server.putSecret(UUID, "api_token", "same");
  strictEqual(f.server.secretsOf(UUID)[0].version, 2);
  const result = await f.engine.sync({});
  deepStrictEqual(result.plan.unchanged, ["api_token"]);
  deepStrictEqual(f.engine.health().last_poll, {
    http_requests: 1,
    podman_runs: 1,
    systemctl_runs: 0,
    writes: 0,
  });
  strictEqual(f.host.secretStore.get("api_token")!.id, id);
});

Deno.test("SecretsEngine.sync() writes nothing after a delete and re-create with the same value", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "same" },
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "same");
  f.advance(60_000);
  f.server.deleteSecret(UUID, "api_token");
  f.server.putSecret(UUID, "api_token", "same");
  const [again] = f.server.secretsOf(UUID);
  strictEqual(again.version, 1);
  const result = await f.engine.sync({});
  deepStrictEqual(result.plan.unchanged, ["api_token"]);
  strictEqual(f.engine.health().last_poll!.writes, 0);
});

Deno.test("SecretsEngine leaves an unlabelled Podman secret alone and reports it unmanaged", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "from-leger-run" },
    podmanSecrets: [{ name: "api_token", value: "users-own" }, {
      name: "unrelated",
      value: "x",
    }],
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.plan.unmanaged, [{
    name: "api_token",
    units: ["web.container"],
  }]);
  deepStrictEqual(result.applied, {
    created: [],
    replaced: [],
    removed: [],
    restarted: [],
    started: [],
  });
  strictEqual(f.host.secretStore.get("api_token")!.value, "users-own");
  ok(f.host.secrets.has("unrelated"));
  deepStrictEqual(await f.engine.secrets(), [{
    name: "api_token",
    state: "unmanaged",
    version: null,
    used_by: ["web.container"],
    synced_at: null,
  }]);
  ok(
    f.lines.some((l) =>
      /^Leaving secret api_token alone \(used by web\.container\)/.test(l)
    ),
  );
  await f.engine.sync({});
  strictEqual(f.lines.filter((l) => l.startsWith("Leaving secret")).length, 1);
});

Deno.test("SecretsEngine.sync() removes a leger-labelled secret no unit requires, and reports it orphan before", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    podmanSecrets: [
      {
        name: "old_token",
        value: "o",
        labels: { "io.leger.managed": "true", "io.leger.version": "4" },
      },
      { name: "mine", value: "m", labels: { owner: "me" } },
    ],
  });
  const before = await f.engine.secrets();
  // No sync yet: whether leger.run has api_token is not known.
  deepStrictEqual(before.map((s) => [s.name, s.state, s.version]), [
    ["api_token", "pending", null],
    ["old_token", "orphan", 4],
  ]);
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.removed, ["old_token"]);
  ok(!f.host.secrets.has("old_token"));
  ok(f.host.secrets.has("mine"));
  ok(
    f.lines.includes(
      "Removed secret old_token: no installed unit uses it any more",
    ),
  );
});

Deno.test("SecretsEngine.sync() removes nothing while an intent journal says a change is in flight", async () => {
  await using f = await engineFixture({
    podmanSecrets: [{
      name: "old_token",
      labels: { "io.leger.managed": "true" },
    }],
  });
  await writeJournal(f.stateDir, {
    change_id: "c1",
    operation: "install",
    deployment: "web",
    pid: 1,
    started_at: new Date(f.now()).toISOString(),
    staged_dir: null,
    files: ["web.container"],
    unit_services: ["web.service"],
    services: ["web.service"],
    volumes: [],
    networks: [],
    previous: null,
    remove_volumes: false,
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.plan.remove, []);
  ok(f.host.secrets.has("old_token"));
  ok(
    f.lines.some((l) =>
      l.startsWith("Not removing old_token: a leger change is in flight")
    ),
  );
  await clearJournal(f.stateDir);
  deepStrictEqual((await f.engine.sync({})).applied.removed, ["old_token"]);
});

Deno.test("SecretsEngine.sync() removes and writes nothing when leger.run fails, and says so in health", async (t) => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v2" },
    podmanSecrets: [
      {
        name: "api_token",
        value: "v1",
        labels: { "io.leger.managed": "true", "io.leger.version": "1" },
      },
      { name: "old_token", labels: { "io.leger.managed": "true" } },
    ],
  });
  await t.step("leger.run answers 503", async () => {
    f.server.fail({
      path: "/secrets",
      failure: {
        status: 503,
        code: "internal_error",
        message: "KV unavailable",
      },
      times: 1,
    });
    await rejects(f.engine.sync({}), {
      code: "ERR_API_ERROR",
      message: /KV unavailable/,
    });
    const health = f.engine.health();
    strictEqual(health.status, "degraded");
    strictEqual(health.leger_run.reachable, true);
    strictEqual(health.leger_run.last_error?.code, "ERR_API_ERROR");
    strictEqual(health.last_successful_sync_at, null);
  });
  await t.step("leger.run does not answer", async () => {
    f.down.value = true;
    await rejects(f.engine.sync({}), { code: "ERR_API_UNREACHABLE" });
    const health = f.engine.health();
    strictEqual(health.leger_run.reachable, false);
    strictEqual(health.leger_run.last_error?.code, "ERR_API_UNREACHABLE");
  });
  await t.step("Podman was only listed, and keeps its values", () => {
    deepStrictEqual(
      f.argv.map((a) => a.slice(0, 3).join(" ")),
      ["podman secret ls", "podman secret inspect", "podman secret ls"],
    );
    strictEqual(f.host.secretStore.get("api_token")!.value, "v1");
    ok(f.host.secrets.has("old_token"));
  });
  await t.step("it recovers when leger.run is back", async () => {
    f.down.value = false;
    const result = await f.engine.sync({});
    deepStrictEqual(result.applied.replaced, ["api_token"]);
    deepStrictEqual(result.applied.removed, ["old_token"]);
    const health = f.engine.health();
    strictEqual(health.status, "ok");
    strictEqual(health.leger_run.last_error, null);
    strictEqual(
      health.last_successful_sync_at,
      new Date(f.now()).toISOString(),
    );
  });
});

Deno.test("SecretsEngine.sync() refuses a leger.run entry it cannot use as ERR_API_ERROR, naming the secret, not its value", async () => {
  await using f = await engineFixture({ units: WEB });
  f.server.fail({
    path: "/secrets",
    failure: {
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({
        success: true,
        data: {
          secrets: [{
            name: "api_token",
            value: "odd-value-9f2c",
            version: 0,
            created_at: "2026-01-01T00:00:00Z",
          }],
        },
      }),
    },
  });
  const error = await f.engine.sync({}).catch((e) => e);
  strictEqual(error.code, "ERR_API_ERROR");
  strictEqual(
    error.message,
    'Cannot sync secrets: leger.run answered a list legerd cannot use: Cannot plan secret "api_token": leger.run gave version 0 (expected a positive integer)',
  );
  const health = f.engine.health();
  strictEqual(health.status, "degraded");
  strictEqual(health.leger_run.last_error?.code, "ERR_API_ERROR");
  ok(!JSON.stringify(health).includes("odd-value-9f2c"));
  ok(!f.host.secrets.has("api_token"));
});

Deno.test("SecretsEngine.sync() starts the services an install left waiting, once, and clears them from deployments.yaml", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    stopped: ["web.service"],
    waiting: { web: ["web.service"] },
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.started, ["web.service"]);
  strictEqual(f.host.services.get("web.service")!.activeState, "active");
  const [web] = await readDeployments(f.stateDir);
  strictEqual(web.waiting_for_secrets, undefined);
  await f.engine.sync({});
  deepStrictEqual(f.engine.health().last_poll, {
    http_requests: 1,
    podman_runs: 1,
    systemctl_runs: 0,
    writes: 0,
  });
});

Deno.test("SecretsEngine.sync() tries a waiting service once: a failed start is reported and not tried each poll", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    stopped: ["web.service"],
    failing: ["web.service"],
    waiting: { web: ["web.service"] },
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.started, []);
  deepStrictEqual(result.errors.map((e) => e.code), [
    "ERR_SERVICE_START_FAILED",
  ]);
  strictEqual(
    (await readDeployments(f.stateDir))[0].waiting_for_secrets,
    undefined,
  );
  await f.engine.sync({});
  strictEqual(
    systemctlCalls(f.argv).filter((c) => c.includes(" start ")).length,
    1,
  );
});

Deno.test("SecretsEngine.sync() leaves deployments.yaml to the next poll while leger holds the lock", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    stopped: ["web.service"],
    waiting: { web: ["web.service"] },
  });
  const lock = await acquireLock(`${f.stateDir}/deploy.lock`, { what: "test" });
  try {
    deepStrictEqual((await f.engine.sync({})).applied.started, ["web.service"]);
  } finally {
    await lock.release();
  }
  deepStrictEqual((await readDeployments(f.stateDir))[0].waiting_for_secrets, [
    "web.service",
  ]);
  const next = await f.engine.sync({});
  deepStrictEqual(next.applied.started, []);
  strictEqual(
    (await readDeployments(f.stateDir))[0].waiting_for_secrets,
    undefined,
  );
  strictEqual(
    systemctlCalls(f.argv).filter((c) => c.includes(" start ")).length,
    1,
  );
});

Deno.test("SecretsEngine.sync() does not start a waiting service whose secret leger.run lacks, and names the web UI", async () => {
  await using f = await engineFixture({
    units: WEB,
    stopped: ["web.service"],
    waiting: { web: ["web.service"] },
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.started, []);
  strictEqual(result.errors.length, 1);
  const [missing] = result.errors;
  strictEqual(missing.code, "ERR_SECRET_NOT_FOUND");
  strictEqual(missing.name, "api_token");
  strictEqual(
    missing.message,
    'Cannot sync secret "api_token" (used by web.container): leger.run has no secret of that name',
  );
  ok(missing.fix?.includes(f.server.webUrl));
  ok(
    f.lines.some((l) => l.includes(f.server.webUrl) && l.includes("api_token")),
  );
  await f.engine.sync({});
  strictEqual(
    f.lines.filter((l) => l.startsWith('Cannot sync secret "api_token"'))
      .length,
    1,
  );
  deepStrictEqual((await readDeployments(f.stateDir))[0].waiting_for_secrets, [
    "web.service",
  ]);
});

Deno.test("SecretsEngine logs in again with Tailscale when leger.run refuses the token, and asks once more", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    login: "refused",
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.created, ["api_token"]);
  deepStrictEqual(f.server.requests.map((r) => `${r.method} ${r.path}`), [
    "GET /secrets",
    "POST /auth/cli",
    "GET /secrets",
  ]);
  const health = f.engine.health();
  strictEqual(health.leger_run.auth, "ok");
  strictEqual(health.tailscale.state, "Running");
  const saved = await loadAuthState(f.authFile);
  notStrictEqual(saved!.token, "eyJhbGciOiJIUzI1NiJ9.e30.bm90LXNpZ25lZA");
  strictEqual((await Deno.stat(f.authFile)).mode! & 0o777, 0o600);
  ok(
    f.lines.some((l) =>
      l.startsWith("Logged in to leger.run again as alice@github")
    ),
  );
  // The new token is read back from auth.json: one request next time.
  await f.engine.sync({});
  strictEqual(f.engine.health().last_poll!.http_requests, 1);
});

Deno.test("SecretsEngine reads auth.json again when leger auth login wrote a new one", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
  });
  await f.engine.sync({});
  const state = (await loadAuthState(f.authFile))!;
  const token = await f.server.issueToken({
    user_uuid: UUID,
    login_name: "again",
  });
  await saveAuthState(f.authFile, { ...state, token });
  await f.engine.sync({});
  strictEqual(f.server.requests.at(-1)!.authorization, `Bearer ${token}`);
  strictEqual(f.server.requests.length, 2);
});

Deno.test("SecretsEngine logs in again before asking when auth.json's login has expired", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    login: "expired",
  });
  await f.engine.sync({});
  deepStrictEqual(f.server.requests.map((r) => `${r.method} ${r.path}`), [
    "POST /auth/cli",
    "GET /secrets",
  ]);
});

Deno.test("SecretsEngine says the login expired in health when logging in again fails", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    login: "refused",
    tailscale: "needs_login",
  });
  await rejects(f.engine.sync({}), { code: "ERR_TAILSCALE_NOT_AUTHENTICATED" });
  const health = f.engine.health();
  strictEqual(health.status, "degraded");
  strictEqual(health.leger_run.auth, "expired");
  strictEqual(
    health.leger_run.last_error?.code,
    "ERR_TAILSCALE_NOT_AUTHENTICATED",
  );
  strictEqual(health.tailscale.state, "NeedsLogin");
  ok(!f.host.secrets.has("api_token"));
});

Deno.test("SecretsEngine says the login is missing without auth.json, and logs nobody in", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    login: "none",
  });
  await rejects(f.engine.sync({}), {
    code: "ERR_LEGER_NOT_AUTHENTICATED",
    message: /no leger\.run login/,
  });
  strictEqual(f.engine.health().leger_run.auth, "missing");
  strictEqual(f.server.requests.length, 0);
});

Deno.test("SecretsEngine.sync() asks leger.run nothing when no unit needs a secret and Podman holds none of leger's", async () => {
  await using f = await engineFixture({
    units: { "plain.container": containerUsing() },
    login: "none",
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.errors, []);
  deepStrictEqual(f.engine.health().last_poll, {
    http_requests: 0,
    podman_runs: 1,
    systemctl_runs: 0,
    writes: 0,
  });
  strictEqual(f.engine.health().status, "ok");
  strictEqual(f.engine.health().leger_run.auth, "missing");
});

Deno.test("SecretsEngine.sync() reports a secret Podman refuses, writes the others, and starts nothing that needs it", async () => {
  await using f = await engineFixture({
    units: { ...WEB, "db.container": containerUsing("db_pass") },
    backend: { api_token: "a", db_pass: "d" },
    stopped: ["web.service", "db.service"],
    waiting: { web: ["web.service", "db.service"] },
    refuse: ["api_token"],
  });
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.created, ["db_pass"]);
  deepStrictEqual(result.applied.started, ["db.service"]);
  deepStrictEqual(result.errors.map((e) => [e.code, e.name]), [[
    "ERR_SECRET_SYNC_FAILED",
    "api_token",
  ]]);
  strictEqual(
    result.errors[0].message,
    'Cannot write secret "api_token" to Podman: `podman secret create` exited with code 125: Error: no space left on device',
  );
  const health = f.engine.health();
  strictEqual(health.status, "degraded");
  strictEqual(health.podman.last_error?.code, "ERR_SECRET_SYNC_FAILED");
  strictEqual(health.last_successful_sync_at, null);
  deepStrictEqual((await readDeployments(f.stateDir))[0].waiting_for_secrets, [
    "web.service",
  ]);
});

Deno.test("SecretsEngine.sync() reports a service that fails to restart, after writing its secret", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    failing: ["web.service"],
  });
  await f.engine.sync({});
  f.host.services.set("web.service", {
    activeState: "active",
    subState: "running",
  });
  f.server.putSecret(UUID, "api_token", "v2");
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.replaced, ["api_token"]);
  deepStrictEqual(result.applied.restarted, []);
  deepStrictEqual(result.errors.map((e) => e.code), [
    "ERR_SERVICE_START_FAILED",
  ]);
  ok(
    result.errors[0].message.startsWith(
      "Cannot restart web.service: `systemctl --user try-restart` exited with code 1",
    ),
  );
});

Deno.test("SecretsEngine.sync({force}) rewrites current secrets and restarts their running services", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    running: ["web.service"],
  });
  await f.engine.sync({});
  const id = f.host.secretStore.get("api_token")!.id;
  const result = await f.engine.sync({ force: true });
  deepStrictEqual(result.plan.replace.map((r) => r.reason), ["forced"]);
  deepStrictEqual(result.applied.restarted, ["web.service"]);
  notStrictEqual(f.host.secretStore.get("api_token")!.id, id);
});

Deno.test("SecretsEngine.sync({dry_run}) plans and changes nothing", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    podmanSecrets: [{
      name: "old_token",
      labels: { "io.leger.managed": "true" },
    }],
  });
  const result = await f.engine.sync({ dry_run: true });
  strictEqual(result.dry_run, true);
  deepStrictEqual(result.plan.create.map((c) => c.name), ["api_token"]);
  deepStrictEqual(result.plan.remove, ["old_token"]);
  deepStrictEqual(result.applied.created, []);
  ok(!f.host.secrets.has("api_token"));
  ok(f.host.secrets.has("old_token"));
  deepStrictEqual(
    f.argv.filter((a) => a[2] === "create" || a[2] === "rm"),
    [],
  );
});

Deno.test("SecretsEngine.sync({service}) syncs only that service's secrets and removes nothing", async () => {
  await using f = await engineFixture({
    units: {
      ...WEB,
      "db.container": containerUsing("db_pass"),
      "worker@.container": containerUsing("work_token"),
    },
    backend: { api_token: "a", db_pass: "d", work_token: "w" },
    podmanSecrets: [{
      name: "old_token",
      labels: { "io.leger.managed": "true" },
    }],
  });
  const result = await f.engine.sync({ service: "web" });
  deepStrictEqual(result.applied.created, ["api_token"]);
  deepStrictEqual(result.plan.remove, []);
  ok(!f.host.secrets.has("db_pass"));
  ok(f.host.secrets.has("old_token"));
  deepStrictEqual(
    (await f.engine.sync({ service: "worker@one.service" })).applied.created,
    ["work_token"],
  );
  await rejects(f.engine.sync({ service: "nope" }), {
    code: "ERR_SERVICE_NOT_FOUND",
    message:
      "Cannot sync the secrets of nope.service: no unit installed in the user scope has that service",
  });
  strictEqual(f.engine.health().status, "ok");
});

Deno.test("SecretsEngine.sync({secrets}) writes names no unit needs yet and keeps them from orphan removal for 10 minutes", async () => {
  await using f = await engineFixture({ backend: { future_token: "f" } });
  const result = await f.engine.sync({ secrets: ["future_token"] });
  deepStrictEqual(result.applied.created, ["future_token"]);
  deepStrictEqual((await f.engine.sync({})).plan.remove, []);
  ok(f.host.secrets.has("future_token"));
  f.advance(10 * 60 * 1000 + 1);
  deepStrictEqual((await f.engine.sync({})).applied.removed, ["future_token"]);
});

Deno.test("SecretsEngine.sync() ends the protection of a name asked for once a unit uses it: removing the unit removes it", async () => {
  await using f = await engineFixture({ backend: { api_token: "v" } });
  await f.engine.sync({ secrets: ["api_token"] });
  await Deno.writeTextFile(
    `${f.quadletDir}/web.container`,
    WEB["web.container"],
  );
  deepStrictEqual((await f.engine.sync({})).plan.unchanged, ["api_token"]);
  await f.engine.rotate({ name: "api_token" });
  await Deno.remove(`${f.quadletDir}/web.container`);
  deepStrictEqual((await f.engine.sync({})).applied.removed, ["api_token"]);
});

Deno.test("SecretsEngine.sync() refuses a malformed request, naming the field", async (t) => {
  await using f = await engineFixture({});
  const cases: [unknown, RegExp][] = [
    [{ force: "yes" }, /"force" must be true or false/],
    [{ secrets: "a" }, /"secrets" must be a list of names/],
    [
      { secrets: ["a/b"] },
      /"secrets" holds "a\/b", which is not a Podman secret name/,
    ],
    [
      { service: "web", secrets: ["a"] },
      /give "service" or "secrets", not both/,
    ],
  ];
  for (const [request, message] of cases) {
    await t.step(JSON.stringify(request), async () => {
      // deno-lint-ignore no-explicit-any -- a malformed request on purpose
      await rejects(f.engine.sync(request as any), {
        code: "ERR_USAGE",
        message,
      });
    });
  }
});

Deno.test("SecretsEngine.sync() shares one sync among concurrent callers: one request to leger.run", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
  });
  const [a, b] = await Promise.all([f.engine.sync({}), f.engine.sync({})]);
  strictEqual(a, b);
  strictEqual(f.server.countRequests("/secrets"), 1);
  strictEqual(
    f.argv.filter((x) => x[1] === "secret" && x[2] === "create").length,
    1,
  );
});

Deno.test("SecretsEngine.sync() costs 1 request, 1 Podman run, no systemctl and no write per poll with 200 secrets", async () => {
  const units: Record<string, string> = {};
  const backend: Record<string, string> = {};
  for (let u = 0; u < 20; u++) {
    const names = Array.from({ length: 10 }, (_, i) => `s_${u}_${i}`);
    units[`app${u}.container`] = containerUsing(...names);
    for (const name of names) backend[name] = `value-${name}`;
  }
  await using f = await engineFixture({ units, backend });
  const first = await f.engine.sync({});
  strictEqual(first.applied.created.length, 200);
  deepStrictEqual(f.engine.health().last_poll, {
    http_requests: 1,
    podman_runs: 201,
    systemctl_runs: 1,
    writes: 201,
  });
  for (let poll = 0; poll < 3; poll++) {
    const steady = await f.engine.sync({});
    strictEqual(steady.plan.unchanged.length, 200);
    deepStrictEqual(f.engine.health().last_poll, {
      http_requests: 1,
      podman_runs: 1,
      systemctl_runs: 0,
      writes: 0,
    });
  }
  // legerd restarted: its first poll inspects the 200 once, then the steady state again.
  const restarted = f.restartEngine();
  await restarted.sync({});
  deepStrictEqual(restarted.health().last_poll, {
    http_requests: 1,
    podman_runs: 2,
    systemctl_runs: 0,
    writes: 0,
  });
  await restarted.sync({});
  deepStrictEqual(restarted.health().last_poll, {
    http_requests: 1,
    podman_runs: 1,
    systemctl_runs: 0,
    writes: 0,
  });
});

Deno.test("SecretsEngine.rotate() writes the secret even when unchanged and restarts its running services", async () => {
  await using f = await engineFixture({
    units: { ...WEB, "worker@.container": containerUsing("api_token") },
    backend: { api_token: "v" },
    running: ["web.service", "worker@a.service"],
  });
  await f.engine.sync({});
  const id = f.host.secretStore.get("api_token")!.id;
  deepStrictEqual(await f.engine.rotate({ name: "api_token" }), {
    name: "api_token",
    version: 1,
    changed: false,
    restarted: ["web.service", "worker@a.service"],
  });
  notStrictEqual(f.host.secretStore.get("api_token")!.id, id);
  f.server.putSecret(UUID, "api_token", "v2");
  deepStrictEqual(
    await f.engine.rotate({ name: "api_token", restart: false }),
    {
      name: "api_token",
      version: 2,
      changed: true,
      restarted: [],
    },
  );
  strictEqual(f.host.secretStore.get("api_token")!.value, "v2");
  deepStrictEqual(f.engine.health().last_poll, {
    http_requests: 1,
    podman_runs: 2,
    systemctl_runs: 0,
    writes: 1,
  });
});

Deno.test("SecretsEngine.rotate() refuses a name leger.run lacks, naming the web UI, and a secret leger did not create", async () => {
  await using f = await engineFixture({
    backend: { theirs: "x" },
    podmanSecrets: [{ name: "theirs", value: "own" }],
  });
  await rejects(
    f.engine.rotate({ name: "nope" }),
    (error: Error & { code: string; remedy: string }) => {
      strictEqual(error.code, "ERR_SECRET_NOT_FOUND");
      strictEqual(
        error.message,
        'Cannot rotate secret "nope": leger.run has no secret of that name',
      );
      ok(error.remedy.includes(f.server.webUrl));
      return true;
    },
  );
  await rejects(f.engine.rotate({ name: "theirs" }), {
    code: "ERR_SECRET_UNMANAGED",
  });
  strictEqual(f.host.secretStore.get("theirs")!.value, "own");
});

Deno.test("SecretsEngine replaces with rm + create on a Podman without --replace", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    secretReplace: false,
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "v2");
  deepStrictEqual((await f.engine.sync({})).applied.replaced, ["api_token"]);
  strictEqual(f.host.secretStore.get("api_token")!.value, "v2");
  deepStrictEqual(
    f.argv.filter((a) => a[1] === "secret" && a[2] !== "ls").map((a) =>
      a.slice(0, 4).join(" ")
    ),
    [
      "podman secret create --label",
      "podman secret create --replace",
      "podman secret rm --",
      "podman secret create --label",
    ],
  );
});

Deno.test("SecretsEngine.purge() removes every leger-managed secret and leaves the others", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    podmanSecrets: [
      { name: "old_token", labels: { "io.leger.managed": "true" } },
      { name: "mine", labels: { owner: "me" } },
    ],
  });
  await f.engine.sync({ dry_run: true });
  deepStrictEqual(await f.engine.purge(), { removed: ["old_token"] });
  await f.engine.sync({});
  deepStrictEqual(await f.engine.purge(), { removed: ["api_token"] });
  deepStrictEqual([...f.host.secrets], ["mine"]);
});

Deno.test("SecretsEngine.secrets() reports synced, missing, unmanaged and orphan with versions and times", async () => {
  await using f = await engineFixture({
    units: {
      ...WEB,
      "db.container": containerUsing("db_pass"),
      "cache.container": containerUsing("cache_key"),
    },
    backend: { api_token: "a" },
    podmanSecrets: [
      { name: "cache_key", value: "c" },
      {
        name: "old_token",
        labels: { "io.leger.managed": "true", "io.leger.version": "7" },
      },
    ],
  });
  await f.engine.sync({ service: "web" });
  const at = new Date(f.now()).toISOString();
  const statuses = await f.engine.secrets();
  const oldToken = statuses.pop()!;
  deepStrictEqual(statuses, [
    {
      name: "api_token",
      state: "synced",
      version: 1,
      used_by: ["web.container"],
      synced_at: at,
    },
    {
      name: "cache_key",
      state: "unmanaged",
      version: null,
      used_by: ["cache.container"],
      synced_at: null,
    },
    {
      name: "db_pass",
      state: "missing",
      version: null,
      used_by: ["db.container"],
      synced_at: null,
    },
  ]);
  deepStrictEqual({ ...oldToken, synced_at: null }, {
    name: "old_token",
    state: "orphan",
    version: 7,
    used_by: [],
    synced_at: null,
  });
  // Podman's own time of the write it did not see legerd make.
  strictEqual(
    oldToken.synced_at,
    f.host.secretStore.get("old_token")!.updatedAt,
  );
});

Deno.test("SecretsEngine.sync() under restart: never replaces without restarting", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    running: ["web.service"],
    restart: "never",
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "v2");
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.replaced, ["api_token"]);
  deepStrictEqual(result.applied.restarted, []);
  deepStrictEqual(systemctlCalls(f.argv), []);
});

Deno.test("SecretsEngine.health() starts as starting, with the policy, interval and next poll", async () => {
  await using f = await engineFixture({});
  const health = f.engine.health();
  strictEqual(health.status, "starting");
  strictEqual(health.version, "0.0.0-test");
  strictEqual(health.scope, "user");
  strictEqual(health.pid, 4242);
  strictEqual(health.leger_run.api_url, f.server.apiUrl);
  strictEqual(health.last_poll, null);
  f.engine.setRestartPolicy("never");
  f.engine.setPollInterval(30_000);
  f.engine.noteNextPoll(new Date(f.now() + 30_000));
  const after = f.engine.health();
  strictEqual(after.restart, "never");
  strictEqual(after.poll_interval_ms, 30_000);
  strictEqual(after.next_poll_at, new Date(f.now() + 30_000).toISOString());
  throws(() => f.engine.setPollInterval(0), RangeError);
  throws(
    () => f.engine.setRestartPolicy("always" as "never"),
    /Cannot use restart policy "always": expected "on-rotation" or "never"/,
  );
});

Deno.test("SecretsEngine does the restart a killed legerd owed: recorded before the write, done by the next engine's first sync", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    running: ["web.service"],
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "v2");
  // Killed after `podman secret create --replace`, before `systemctl try-restart`.
  f.crashAt.value = "try-restart";
  await rejects(f.engine.sync({}), /legerd killed before systemctl/);
  strictEqual(f.host.secretStore.get("api_token")!.value, "v2");
  const file = `${f.stateDir}/legerd-restarts.json`;
  deepStrictEqual(JSON.parse(await Deno.readTextFile(file)), {
    services: ["web.service"],
  });
  strictEqual((await Deno.stat(file)).mode! & 0o777, 0o600);

  // systemd starts legerd again: Podman is current, the restart is still due.
  const restarted = f.restartEngine();
  const before = systemctlCalls(f.argv).length;
  const result = await restarted.sync({});
  deepStrictEqual(result.plan.unchanged, ["api_token"]);
  deepStrictEqual(result.applied.restarted, ["web.service"]);
  deepStrictEqual(systemctlCalls(f.argv).slice(before), [
    "systemctl --user list-units --all --plain --no-legend --full -- web.service",
    "systemctl --user try-restart -- web.service",
  ]);
  await rejects(Deno.stat(file), Deno.errors.NotFound);
  ok(
    f.lines.includes(
      "Restarted web.service: an earlier legerd replaced the secrets it uses and stopped before restarting it",
    ),
    f.lines.join("\n"),
  );
  // Done once: the steady state again.
  await restarted.sync({});
  deepStrictEqual(restarted.health().last_poll, {
    http_requests: 1,
    podman_runs: 1,
    systemctl_runs: 0,
    writes: 0,
  });
});

Deno.test("SecretsEngine owes the restart when killed during the write itself, and after a failed try-restart", async (t) => {
  await t.step("killed during podman secret create", async () => {
    await using f = await engineFixture({
      units: WEB,
      backend: { api_token: "v1" },
      running: ["web.service"],
    });
    await f.engine.sync({});
    f.server.putSecret(UUID, "api_token", "v2");
    f.crashAt.value = "secret create";
    await rejects(f.engine.sync({}), /legerd killed/);
    strictEqual(f.host.secretStore.get("api_token")!.value, "v1");
    const next = f.restartEngine();
    const before = f.argv.length;
    const result = await next.sync({});
    deepStrictEqual(result.applied.replaced, ["api_token"]);
    deepStrictEqual(result.applied.restarted, ["web.service"]);
    // One try-restart, after the write: restarted before it, web.service
    // would start with the old value and restart again.
    deepStrictEqual(
      f.argv.slice(before).filter((a) =>
        a.includes("try-restart") || a.includes("create")
      ).map((a) => `${a.slice(0, 4).join(" ")} … ${a.at(-1)}`),
      [
        "podman secret create --replace … -",
        "systemctl --user try-restart -- … web.service",
      ],
    );
    strictEqual(f.host.secretStore.get("api_token")!.value, "v2");
    await rejects(
      Deno.stat(`${f.stateDir}/legerd-restarts.json`),
      Deno.errors.NotFound,
    );
  });
  await t.step(
    "try-restart fails: kept until a try-restart returns",
    async () => {
      await using f = await engineFixture({
        units: WEB,
        backend: { api_token: "v1" },
        failing: ["web.service"],
      });
      await f.engine.sync({});
      f.host.services.set("web.service", {
        activeState: "active",
        subState: "running",
      });
      f.server.putSecret(UUID, "api_token", "v2");
      const failed = await f.engine.sync({});
      deepStrictEqual(failed.errors.map((e) => e.code), [
        "ERR_SERVICE_START_FAILED",
      ]);
      deepStrictEqual(
        JSON.parse(
          await Deno.readTextFile(`${f.stateDir}/legerd-restarts.json`),
        ),
        { services: ["web.service"] },
      );
      // The unit failed: it no longer runs, so there is nothing to restart.
      const before = systemctlCalls(f.argv).length;
      const again = await f.engine.sync({});
      deepStrictEqual(again.applied.restarted, []);
      deepStrictEqual(again.errors, []);
      deepStrictEqual(systemctlCalls(f.argv).slice(before), [
        "systemctl --user list-units --all --plain --no-legend --full -- web.service",
      ]);
      await rejects(
        Deno.stat(`${f.stateDir}/legerd-restarts.json`),
        Deno.errors.NotFound,
      );
    },
  );
});

Deno.test("SecretsEngine merges what an earlier legerd owed into the sync's one try-restart, after its writes", async () => {
  await using f = await engineFixture({
    units: {
      ...WEB,
      "db.container": containerUsing("db_pass"),
    },
    backend: { api_token: "a1", db_pass: "d1" },
    running: ["db.service", "web.service"],
  });
  await f.engine.sync({});
  // A legerd killed before restarting web.service; db_pass changed since.
  await Deno.writeTextFile(
    `${f.stateDir}/legerd-restarts.json`,
    '{"services":["web.service"]}\n',
  );
  f.server.putSecret(UUID, "db_pass", "d2");
  const next = f.restartEngine();
  const before = f.argv.length;
  const result = await next.sync({});
  deepStrictEqual(result.applied.replaced, ["db_pass"]);
  deepStrictEqual(result.applied.restarted, ["db.service", "web.service"]);
  deepStrictEqual(
    f.argv.slice(before).map((a) => a.slice(0, 3).join(" ")).filter((c) =>
      /create|try-restart/.test(c)
    ),
    ["podman secret create", "systemctl --user try-restart"],
  );
  strictEqual(
    systemctlCalls(f.argv.slice(before)).at(-1),
    "systemctl --user try-restart -- db.service web.service",
  );
  ok(
    f.lines.includes("Restarted db.service: db_pass changed"),
    f.lines.join("\n"),
  );
  ok(
    f.lines.includes(
      "Restarted web.service: an earlier legerd replaced the secrets it uses and stopped before restarting it",
    ),
    f.lines.join("\n"),
  );
  await rejects(
    Deno.stat(`${f.stateDir}/legerd-restarts.json`),
    Deno.errors.NotFound,
  );
});

Deno.test("SecretsEngine keeps what is owed through a dry run, and restarts it when leger.run cannot be reached", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    running: ["web.service"],
  });
  await f.engine.sync({});
  const file = `${f.stateDir}/legerd-restarts.json`;
  await Deno.writeTextFile(file, '{"services":["web.service"]}\n');
  const next = f.restartEngine();
  const before = f.argv.length;
  const dry = await next.sync({ dry_run: true });
  deepStrictEqual(dry.applied.restarted, []);
  deepStrictEqual(systemctlCalls(f.argv.slice(before)), []);
  deepStrictEqual(JSON.parse(await Deno.readTextFile(file)), {
    services: ["web.service"],
  });
  // No write can come: Podman's value (written by the killed legerd) is
  // brought to web.service now, not when leger.run answers again.
  f.down.value = true;
  await rejects(next.sync({}), /leger\.run/);
  deepStrictEqual(systemctlCalls(f.argv.slice(before)), [
    "systemctl --user list-units --all --plain --no-legend --full -- web.service",
    "systemctl --user try-restart -- web.service",
  ]);
  await rejects(Deno.stat(file), Deno.errors.NotFound);
});

Deno.test("SecretsEngine.rotate() restarts once, after its write, what a legerd killed during the rotation owed", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    running: ["web.service"],
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "v2");
  f.crashAt.value = "secret create";
  await rejects(f.engine.rotate({ name: "api_token" }), /legerd killed/);
  strictEqual(f.host.secretStore.get("api_token")!.value, "v1");
  const next = f.restartEngine();
  const before = f.argv.length;
  const result = await next.rotate({ name: "api_token" });
  deepStrictEqual(result.restarted, ["web.service"]);
  deepStrictEqual(
    f.argv.slice(before).map((a) => a.slice(0, 3).join(" ")).filter((c) =>
      /create|try-restart/.test(c)
    ),
    ["podman secret create", "systemctl --user try-restart"],
  );
  strictEqual(f.host.secretStore.get("api_token")!.value, "v2");
  await rejects(
    Deno.stat(`${f.stateDir}/legerd-restarts.json`),
    Deno.errors.NotFound,
  );
});

Deno.test("SecretsEngine under restart: never records no restart, and drops one an earlier legerd owed", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v1" },
    running: ["web.service"],
    restart: "never",
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "v2");
  f.crashAt.value = "secret create";
  await rejects(f.engine.sync({}), /legerd killed/);
  await rejects(
    Deno.stat(`${f.stateDir}/legerd-restarts.json`),
    Deno.errors.NotFound,
  );
  await Deno.writeTextFile(
    `${f.stateDir}/legerd-restarts.json`,
    '{"services":["web.service"]}\n',
  );
  const next = f.restartEngine();
  await next.sync({});
  deepStrictEqual(systemctlCalls(f.argv), []);
  await rejects(
    Deno.stat(`${f.stateDir}/legerd-restarts.json`),
    Deno.errors.NotFound,
  );
});

Deno.test("SecretsEngine.secrets() reads the installed units again: a unit installed after the last sync is there at once", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "a", db_pass: "d" },
  });
  await f.engine.sync({});
  await Deno.writeTextFile(
    `${f.quadletDir}/db.container`,
    containerUsing("db_pass", "cache_key"),
  );
  const runs = f.argv.length;
  const statuses = await f.engine.secrets();
  deepStrictEqual(statuses.map((s) => [s.name, s.state, s.used_by]), [
    ["api_token", "synced", ["web.container"]],
    // Not in leger.run's last list: missing. In it: the next sync writes it.
    ["cache_key", "missing", ["db.container"]],
    ["db_pass", "pending", ["db.container"]],
  ]);
  strictEqual(f.argv.length, runs, "no process");
});

Deno.test("SecretsEngine.secrets() says pending, not missing, after logout and before leger.run answered", async () => {
  await using f = await engineFixture({
    units: { ...WEB, "db.container": containerUsing("db_pass") },
    backend: { api_token: "a" },
  });
  f.down.value = true;
  await rejects(f.engine.sync({}), { code: "ERR_API_UNREACHABLE" });
  deepStrictEqual(
    (await f.engine.secrets()).map((s) => [s.name, s.state]),
    [["api_token", "pending"], ["db_pass", "pending"]],
  );
  f.down.value = false;
  await f.engine.sync({});
  deepStrictEqual(
    (await f.engine.secrets()).map((s) => [s.name, s.state]),
    [["api_token", "synced"], ["db_pass", "missing"]],
  );
  // leger auth logout: auth.json goes.
  await Deno.remove(f.authFile);
  deepStrictEqual(
    (await f.engine.secrets()).map((s) => [s.name, s.state]),
    [["api_token", "synced"], ["db_pass", "pending"]],
  );
});

Deno.test("SecretsEngine.purge() leaves health and secrets() saying what is left in Podman", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
    podmanSecrets: [
      { name: "old_token", labels: { "io.leger.managed": "true" } },
      { name: "mine", labels: { owner: "me" } },
    ],
  });
  await f.engine.sync({ dry_run: true });
  await f.engine.sync({ service: "web" });
  strictEqual(f.engine.health().podman.secrets, 3);
  deepStrictEqual(
    (await f.engine.secrets()).map((s) => [s.name, s.state]),
    [["api_token", "synced"], ["old_token", "orphan"]],
  );
  deepStrictEqual(await f.engine.purge(), {
    removed: ["api_token", "old_token"],
  });
  strictEqual(f.engine.health().podman.secrets, 1);
  deepStrictEqual(
    (await f.engine.secrets()).map((s) => [s.name, s.state]),
    [["api_token", "pending"]],
  );
});

Deno.test("SecretsEngine.checkTailscale() puts tailscaled's state, or why it could not be asked, in health", async (t) => {
  await t.step("tailscaled answers", async () => {
    const dir = await Deno.makeTempDir({ prefix: "leger_ts_" });
    try {
      await using api = await startFakeLocalApi(`${dir}/tailscaled.sock`, {
        status: await Deno.readTextFile(
          new URL("../tests/fakes/tailscale/needs_login.json", import.meta.url),
        ),
      });
      await using f = await engineFixture({ tailscaleSocket: api.path });
      deepStrictEqual(f.engine.health().tailscale, {
        state: null,
        error: null,
      });
      await f.engine.checkTailscale();
      deepStrictEqual(f.engine.health().tailscale, {
        state: "NeedsLogin",
        error: null,
      });
      strictEqual(api.requests.length, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
  await t.step("no socket", async () => {
    await using f = await engineFixture({
      tailscaleSocket: "/nonexistent/tailscaled.sock",
    });
    await f.engine.checkTailscale();
    deepStrictEqual(f.engine.health().tailscale, {
      state: null,
      error:
        "tailscaled is not running (no socket at /nonexistent/tailscaled.sock)",
    });
  });
  await t.step("the state is kept from a relogin attempt", async () => {
    await using f = await engineFixture({
      units: WEB,
      backend: { api_token: "v" },
      login: "refused",
      tailscaleSocket: "/nonexistent/tailscaled.sock",
    });
    await rejects(f.engine.sync({}), {
      code: "ERR_TAILSCALE_NOT_RUNNING",
      message:
        "Cannot log in to leger.run again: tailscaled is not running (no socket at /nonexistent/tailscaled.sock)",
    });
    strictEqual(
      f.engine.health().tailscale.error,
      "tailscaled is not running (no socket at /nonexistent/tailscaled.sock)",
    );
  });
});

Deno.test("SecretsEngine says a required name leger.run cannot hold must be made in Podman by hand, not with leger secrets set", async () => {
  await using f = await engineFixture({
    units: { "db.container": containerUsing("db.password", "api_token") },
    backend: { api_token: "v" },
  });
  const result = await f.engine.sync({});
  const [invalid, ...rest] = result.errors;
  deepStrictEqual(rest, []);
  strictEqual(invalid.name, "db.password");
  strictEqual(
    invalid.message,
    'Cannot sync secret "db.password" (used by db.container): leger.run cannot hold a secret of that name ("." is not allowed)',
  );
  ok(!invalid.fix!.includes("leger secrets set"), invalid.fix);
  match(invalid.fix!, /podman secret create db\.password -/);
  match(invalid.fix!, /unmanaged/);
  await rejects(f.engine.rotate({ name: "db.password" }), (
    error: Error & {
      remedy: string;
    },
  ) => {
    strictEqual(
      error.message,
      'Cannot rotate secret "db.password": leger.run cannot hold a secret of that name ("." is not allowed)',
    );
    ok(!error.remedy.includes("leger secrets set"), error.remedy);
    return true;
  });
  await rejects(
    f.engine.rotate({ name: "ns:it's.x" }),
    (error: Error & { remedy: string }) => {
      strictEqual(
        error.message,
        `Cannot rotate secret "ns:it's.x": leger.run cannot hold a secret of that name ("'" is not allowed)`,
      );
      ok(
        error.remedy.includes("`podman secret create 'ns:it'\\''s.x' -`"),
        error.remedy,
      );
      return true;
    },
  );
  // A name it can hold still points at leger secrets set.
  f.server.deleteSecret(UUID, "api_token");
  const missing = (await f.engine.sync({})).errors.find((e) =>
    e.name === "api_token"
  )!;
  match(missing.fix!, /leger secrets set api_token/);
});

Deno.test("SecretsEngine's health is degraded with legerd.yaml's reload error until a good reload", async () => {
  await using f = await engineFixture({
    units: WEB,
    backend: { api_token: "v" },
  });
  await f.engine.sync({});
  const health = f.engine.health();
  strictEqual(health.status, "ok");
  deepStrictEqual(health.config, {
    file: `${f.home}/.config/leger/legerd.yaml`,
    error: null,
  });
  const error = {
    code: "ERR_CONFIG_INVALID",
    message: 'Cannot read legerd.yaml: restart at line 1 is "sometimes"',
    fix: 'Write "restart: on-rotation", or remove the line for the default',
    at: new Date(f.now()).toISOString(),
  };
  f.engine.setConfigError(error);
  strictEqual(f.engine.health().status, "degraded");
  deepStrictEqual(f.engine.health().config.error, error);
  await f.engine.sync({});
  strictEqual(f.engine.health().status, "degraded", "a sync does not clear it");
  f.engine.setConfigError(null);
  strictEqual(f.engine.health().status, "ok");
});

Deno.test("SecretsEngine does not replace a secret whose restart it cannot record, and says so", async () => {
  await using f = await engineFixture({
    units: { "web.container": containerUsing("api_token", "other") },
    backend: { api_token: "v1", other: "o1" },
    running: ["web.service"],
  });
  await f.engine.sync({});
  f.server.putSecret(UUID, "api_token", "v2");
  f.server.putSecret(UUID, "other", "o2");
  // A folder where the file goes: legerd can neither read nor write it.
  await Deno.mkdir(`${f.stateDir}/legerd-restarts.json`);
  const before = systemctlCalls(f.argv).length;
  const result = await f.engine.sync({});
  deepStrictEqual(result.applied.replaced, []);
  deepStrictEqual(result.applied.restarted, []);
  strictEqual(f.host.secretStore.get("api_token")!.value, "v1");
  ok(result.errors.length > 0);
  ok(
    result.errors.every((e) => e.message.includes("legerd-restarts.json")),
    JSON.stringify(result.errors),
  );
  ok(
    f.lines.includes(
      "Not writing api_token, other: legerd cannot record the restarts the writes imply",
    ),
    f.lines.join("\n"),
  );
  strictEqual(f.engine.health().status, "degraded");
  deepStrictEqual(
    systemctlCalls(f.argv).slice(before).filter((c) =>
      c.includes("try-restart")
    ),
    [],
  );
});

Deno.test("SecretsEngine.sync() starts a waiting service that uses no secret (it wants one that does) with the last of its deployment's, not before", async () => {
  await using f = await engineFixture({
    units: {
      ...WEB,
      "db.container": containerUsing("db_pass"),
      "proxy.container":
        "[Unit]\nWants=web.service\n[Container]\nImage=localhost/bb:latest\n",
    },
    backend: { api_token: "v" },
    stopped: ["web.service", "db.service", "proxy.service"],
    waiting: { app: ["web.service", "db.service", "proxy.service"] },
  });
  // db_pass is not in leger.run yet: web starts, proxy waits for db.
  const first = await f.engine.sync({});
  deepStrictEqual(first.applied.started, ["web.service"]);
  strictEqual(f.host.services.get("proxy.service")!.activeState, "inactive");
  deepStrictEqual((await readDeployments(f.stateDir))[0].waiting_for_secrets, [
    "db.service",
    "proxy.service",
  ]);
  f.server.putSecret(UUID, "db_pass", "w");
  const second = await f.engine.sync({});
  deepStrictEqual(second.applied.started, ["db.service", "proxy.service"]);
  strictEqual(
    (await readDeployments(f.stateDir))[0].waiting_for_secrets,
    undefined,
  );
});
