// `leger auth status` and `leger auth logout --purge-secrets` with legerd:
// a fake legerd on a real unix socket answers through leger's own client.
import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { parseTailscaleStatus } from "../../../lib/tailscale/parse_tailscale_status.ts";
import { LegerdClient } from "../../../lib/secrets/legerd_client.ts";
import {
  healthyLegerd,
  startFakeLegerd,
} from "../../../tests/fakes/fake_legerd.ts";
import { LegerRunServer } from "../../../tests/leger_run_server.ts";
import { runLogout } from "./logout.ts";
import type { AuthDeps } from "./shared/auth_deps.ts";
import { runStatus } from "./status.ts";

const FAKES = new URL("../../../tests/fakes/tailscale/", import.meta.url);
const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

async function authBox() {
  const dir = await Deno.makeTempDir({ prefix: "leger_auth_legerd_" });
  const server = await LegerRunServer.start();
  const socket = `${dir}/run/leger/legerd.sock`;
  const output = { out: "", err: "" };
  const env: Record<string, string> = {
    XDG_DATA_HOME: `${dir}/data`,
    XDG_RUNTIME_DIR: `${dir}/run`,
    LEGER_API_URL: server.apiUrl,
    LEGER_STATIC_URL: server.staticUrl,
    LEGER_WEB_URL: server.webUrl,
  };
  const authFile = `${dir}/data/leger/auth.json`;
  await Deno.mkdir(`${dir}/data/leger`, { recursive: true });
  await Deno.writeTextFile(
    authFile,
    JSON.stringify({
      token: await server.issueToken({
        user_uuid: UUID,
        user_id: "9007199254740993",
      }),
      token_type: "Bearer",
      expires_at: new Date(Date.now() + 86400_000).toISOString(),
      user_uuid: UUID,
      login_name: "alice@github",
      tailnet: "alice@github",
      device_hostname: "workstation",
      api_url: server.apiUrl,
    }),
    { mode: 0o600 },
  );
  const deps: AuthDeps = {
    context: {
      out: (text) => void (output.out += text),
      err: (text) => void (output.err += text),
      env: (name) => env[name],
      home: dir,
      uid: 1000,
      stdoutIsTerminal: false,
    },
    readTailscale: async () => ({
      status: parseTailscaleStatus(
        await Deno.readTextFile(new URL("running.json", FAKES)),
      ),
      source: "cli",
    }),
    fetch: globalThis.fetch,
    now: () => new Date(),
    legerd: (scope) => new LegerdClient(socket, { scope }),
  };
  return {
    deps,
    output,
    socket,
    authFile,
    async [Symbol.asyncDispose]() {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("auth status shows legerd's health from its socket", async () => {
  await using box = await authBox();
  await using _legerd = await startFakeLegerd(box.socket, {
    engine: { health: () => healthyLegerd() },
  });
  strictEqual(await runStatus({ json: true }, box.deps), 0);
  const report = JSON.parse(box.output.out);
  deepStrictEqual(report.legerd, {
    running: true,
    scope: "user",
    socket: box.socket,
    health: healthyLegerd(),
    error: null,
  });
  box.output.out = "";
  strictEqual(await runStatus({ json: false }, box.deps), 0);
  match(
    box.output.out,
    /\nlegerd\n {2}Running: legerd 0\.1\.0 \(pid 4242\), user scope, socket .*\n {2}last successful sync: 2026-11-30T11:58:00\.000Z; next poll: 2026-11-30T12:03:00\.000Z \(every 5m, restart on-rotation\)\n {2}leger\.run: reachable \(https:\/\/api\.leger\.run\)\n {2}Podman: 2 secrets\nleger\.run space\n/,
  );
});

Deno.test("auth status says how to start legerd when it is not running, and what else went wrong otherwise", async () => {
  await using box = await authBox();
  strictEqual(await runStatus({ json: true }, box.deps), 0);
  const { legerd } = JSON.parse(box.output.out);
  deepStrictEqual([legerd.running, legerd.health, legerd.error.code], [
    false,
    null,
    "ERR_LEGERD_NOT_RUNNING",
  ]);
  strictEqual(
    legerd.error.remedy,
    "Start it with `systemctl --user enable --now legerd.service`; if it does not stay up, `systemctl --user status legerd.service` says why",
  );
  // A legerd that answers nonsense runs, but says nothing useful.
  await using _legerd = await startFakeLegerd(box.socket, {
    raw: { "/v1/health": () => new Response("not json") },
  });
  box.output.out = "";
  await runStatus({ json: true }, box.deps);
  const again = JSON.parse(box.output.out).legerd;
  deepStrictEqual([again.running, again.error.code], [
    true,
    "ERR_LEGERD_PROTOCOL",
  ]);
});

Deno.test("auth logout --purge-secrets has legerd remove its secrets, then removes the login", async () => {
  await using box = await authBox();
  await using legerd = await startFakeLegerd(box.socket, {
    engine: { purge: () => ({ removed: ["api_token", "db_password"] }) },
  });
  strictEqual(await runLogout({ purgeSecrets: true }, box.deps), 0);
  deepStrictEqual(legerd.requests.map((r) => [r.method, r.path]), [
    ["POST", "/v1/purge"],
  ]);
  strictEqual(
    box.output.out,
    `Removed 2 Podman secrets legerd managed: api_token, db_password\nLogged out of leger.run (removed ${box.authFile}); Tailscale's login is unchanged\n`,
  );
  await rejects(Deno.stat(box.authFile), Deno.errors.NotFound);
});

Deno.test("auth logout --purge-secrets --json lists what legerd removed", async () => {
  await using box = await authBox();
  await using _legerd = await startFakeLegerd(box.socket, {
    engine: { purge: () => ({ removed: [] }) },
  });
  strictEqual(
    await runLogout({ purgeSecrets: true, json: true }, box.deps),
    0,
  );
  deepStrictEqual(JSON.parse(box.output.out), {
    removed: true,
    auth_file: box.authFile,
    purged_secrets: [],
  });
});

Deno.test("auth logout --purge-secrets changes nothing when legerd cannot purge", async () => {
  await using box = await authBox();
  await using _legerd = await startFakeLegerd(box.socket, {
    raw: {
      "/v1/purge": () =>
        Response.json({
          error: {
            code: "ERR_SECRET_SYNC_FAILED",
            message: "Cannot remove the Podman secrets: podman failed",
            fix: "Check `podman secret ls`",
            at: "2026-11-30T12:00:00.000Z",
          },
        }, { status: 500 }),
    },
  });
  const before = await Deno.readFile(box.authFile);
  await rejects(runLogout({ purgeSecrets: true }, box.deps), {
    code: "ERR_SECRET_SYNC_FAILED",
    message: "Cannot remove the Podman secrets: podman failed",
    details: [
      "Nothing was removed: the Podman secrets and the login are as they were",
    ],
    remedy:
      "Check `podman secret ls`\nOr run `leger auth logout` to remove only the login",
  });
  deepStrictEqual(await Deno.readFile(box.authFile), before);
  strictEqual(box.output.out, "");
});
