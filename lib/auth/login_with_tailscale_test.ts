import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { LegerRunServer } from "../../tests/leger_run_server.ts";
import { parseTailscaleStatus } from "../tailscale/parse_tailscale_status.ts";
import { withTempDir } from "./_testdata.ts";
import { loadAuthState } from "./load_auth_state.ts";
import { loginWithTailscale } from "./login_with_tailscale.ts";

const FAKES = new URL("../../tests/fakes/tailscale/", import.meta.url);
const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const NOW = new Date("2026-01-01T00:00:00Z");

async function status(name: string) {
  return parseTailscaleStatus(
    await Deno.readTextFile(new URL(`${name}.json`, FAKES)),
  );
}

Deno.test("loginWithTailscale() logs in with the Tailscale identity and writes auth.json 0600", async () => {
  await using server = await LegerRunServer.start({
    now: () => NOW.getTime(),
    tokenLifetimeSeconds: 3600,
  });
  await withTempDir(async (dir) => {
    const authFile = `${dir}/leger/auth.json`;
    const running = await status("running");
    const { state, identity } = await loginWithTailscale({
      apiUrl: server.apiUrl,
      readStatus: () => Promise.resolve(running),
      version: "9.9.9",
      now: () => NOW,
      authFile,
    });
    strictEqual(state.user_uuid, UUID);
    strictEqual(state.expires_at, "2026-01-01T01:00:00.000Z");
    strictEqual(identity.userId, "9007199254740993");
    deepStrictEqual(await loadAuthState(authFile), state);
    strictEqual((await Deno.stat(authFile)).mode! & 0o777, 0o600);
    const [login] = server.requests.filter((r) => r.path === "/auth/cli");
    deepStrictEqual(
      (login.body as { cli_version: string }).cli_version,
      "9.9.9",
    );
  });
});

Deno.test("loginWithTailscale() fails as Tailscale does when it is logged out, writing nothing", async () => {
  await using server = await LegerRunServer.start();
  await withTempDir(async (dir) => {
    const authFile = `${dir}/auth.json`;
    const loggedOut = await status("needs_login");
    await rejects(
      loginWithTailscale({
        apiUrl: server.apiUrl,
        readStatus: () => Promise.resolve(loggedOut),
        version: "9.9.9",
        now: () => NOW,
        authFile,
        action: "log in to leger.run again",
      }),
      {
        code: "ERR_TAILSCALE_NOT_AUTHENTICATED",
        message: /^Cannot log in to leger\.run again: /,
      },
    );
    strictEqual(await loadAuthState(authFile), null);
    strictEqual(server.countRequests("/auth/cli"), 0);
  });
});

Deno.test("loginWithTailscale() says where to link the account when leger.run does not know it", async () => {
  await using server = await LegerRunServer.start({ linkedUserIds: ["1"] });
  const running = await status("running");
  await rejects(
    loginWithTailscale({
      apiUrl: server.apiUrl,
      webUrl: server.webUrl,
      readStatus: () => Promise.resolve(running),
      version: "9.9.9",
      now: () => NOW,
    }),
    (error: Error & { code?: string; remedy?: string }) => {
      strictEqual(error.code, "ERR_ACCOUNT_NOT_LINKED");
      strictEqual(error.remedy?.includes(server.webUrl), true);
      return true;
    },
  );
});
