// `leger secrets …` run as the shipped binary runs (a subprocess with exactly
// the leger task's permission flags, `$XDG_RUNTIME_DIR` expanded as `deno
// task` does), against a fake legerd on a real unix socket and the loopback
// leger.run: the flags let leger reach legerd's user-scope socket, and a
// value travels on stdin only.
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { runLeger } from "./_leger.ts";
import {
  healthyLegerd,
  startFakeLegerd,
  syncResult,
} from "./fakes/fake_legerd.ts";
import { LegerRunServer } from "./leger_run_server.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

async function box() {
  const dir = await Deno.makeTempDir({ prefix: "leger_secrets_" });
  const server = await LegerRunServer.start();
  const env = {
    HOME: `${dir}/home`,
    XDG_DATA_HOME: `${dir}/data`,
    XDG_RUNTIME_DIR: `${dir}/run`,
    LEGER_API_URL: server.apiUrl,
    LEGER_WEB_URL: server.webUrl,
  };
  return {
    dir,
    env,
    server,
    socket: `${dir}/run/leger/legerd.sock`,
    async login() {
      await Deno.mkdir(`${dir}/data/leger`, { recursive: true });
      await Deno.writeTextFile(
        `${dir}/data/leger/auth.json`,
        JSON.stringify({
          token: await server.issueToken({ user_uuid: UUID }),
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
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("leger secrets list reaches legerd's user socket under XDG_RUNTIME_DIR with the shipped flags", async () => {
  await using b = await box();
  await using legerd = await startFakeLegerd(b.socket, {
    engine: { secrets: () => [], health: () => healthyLegerd() },
  });
  const result = await runLeger(
    ["secrets", "list", "--scope", "user", "--json"],
    { env: b.env },
  );
  strictEqual(result.code, 0, result.stderr);
  deepStrictEqual(JSON.parse(result.stdout), {
    secrets: [],
    legerd: healthyLegerd(),
  });
  strictEqual(legerd.requests.length, 2);
});

Deno.test("leger secrets list says legerd is not running, how to start it, and how to see why it stopped", async () => {
  await using b = await box();
  const result = await runLeger(["secrets", "list", "--scope", "user"], {
    env: b.env,
  });
  strictEqual(result.code, 1);
  strictEqual(result.stdout, "");
  strictEqual(
    result.stderr,
    `Error: Cannot list the secrets legerd manages: legerd is not running (no control socket at ${b.socket})\nStart it with \`systemctl --user enable --now legerd.service\`; if it does not stay up, \`systemctl --user status legerd.service\` says why\n[ERR_LEGERD_NOT_RUNNING]\n`,
  );
});

Deno.test("leger secrets set sends stdin's value to leger.run only, then has legerd write it", async () => {
  await using b = await box();
  await b.login();
  await using legerd = await startFakeLegerd(b.socket, {
    engine: {
      secrets: () => [{
        name: "api_token",
        state: "synced",
        version: 1,
        used_by: ["web.container"],
        synced_at: null,
      }],
      sync: () =>
        syncResult({
          plan: {
            replace: [{
              name: "api_token",
              version: 1,
              created_at: "x",
              digest: "d".repeat(64),
              reason: "changed",
            }],
          },
          applied: { replaced: ["api_token"], restarted: ["web.service"] },
        }),
    },
  });
  const value = `v-${crypto.randomUUID()}`;
  const result = await runLeger(
    ["secrets", "set", "api_token", "--scope", "user"],
    { env: b.env, stdin: `${value}\n` },
  );
  strictEqual(result.code, 0, result.stderr);
  strictEqual(
    result.stdout,
    "Stored api_token in leger.run (version 1)\nlegerd wrote it to Podman; restarted web.service\n",
  );
  deepStrictEqual(
    b.server.secretsOf(UUID).map((s) => [s.name, s.value]),
    [["api_token", value]],
  );
  deepStrictEqual(legerd.requests.at(-1)?.body, { secrets: ["api_token"] });
  for (
    const text of [
      result.stdout,
      result.stderr,
      JSON.stringify(legerd.requests),
    ]
  ) {
    strictEqual(text.includes(value), false);
  }
  match(
    (await runLeger(["secrets", "set", "api_token", value], { env: b.env }))
      .stderr,
    /\(not shown\)/,
  );
});
