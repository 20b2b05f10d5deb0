import { match, rejects, strictEqual } from "node:assert/strict";
import { runLogin } from "./login.ts";
import type { AuthDeps } from "./shared/auth_deps.ts";
import { parseTailscaleStatus } from "../../../lib/tailscale/parse_tailscale_status.ts";
import { LegerRunServer } from "../../../tests/leger_run_server.ts";

const FAKES = new URL("../../../tests/fakes/tailscale/", import.meta.url);

function depsFor(
  server: LegerRunServer,
  dir: string,
  options: { terminal: boolean; state?: string },
): AuthDeps & { output: { out: string; err: string } } {
  const output = { out: "", err: "" };
  const env: Record<string, string> = {
    XDG_DATA_HOME: dir,
    LEGER_API_URL: server.apiUrl,
    LEGER_WEB_URL: server.webUrl,
  };
  return {
    output,
    context: {
      out: (text) => output.out += text,
      err: (text) => output.err += text,
      env: (name) => env[name],
      home: dir,
      uid: 1000,
      stdoutIsTerminal: options.terminal,
    },
    readTailscale: async () => ({
      status: parseTailscaleStatus(
        await Deno.readTextFile(
          new URL(`${options.state ?? "running"}.json`, FAKES),
        ),
      ),
      source: "cli",
    }),
    fetch: globalThis.fetch,
    now: () => new Date("2025-10-16T12:00:00Z"),
    legerd: () => {
      throw new Error("Unexpected legerd");
    },
  };
}

Deno.test("runLogin() prints who is logged in, with a mark on a terminal only", async () => {
  for (const terminal of [false, true]) {
    const dir = await Deno.makeTempDir({ prefix: "leger_" });
    try {
      await using server = await LegerRunServer.start();
      const deps = depsFor(server, dir, { terminal });
      strictEqual(await runLogin(deps), 0);
      match(
        deps.output.out,
        terminal
          ? /^✓ Logged in to leger\.run as alice@github\n/
          : /^Logged in to leger\.run as alice@github\n/,
      );
      match(deps.output.out, /expires: 2026-10-16T12:00:00\.000Z\n$/);
      strictEqual(deps.output.err, "");
      strictEqual(
        (await Deno.stat(`${dir}/leger/auth.json`)).mode! & 0o777,
        0o600,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("runLogin() asks no server and writes nothing when Tailscale is logged out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await using server = await LegerRunServer.start();
    const deps = depsFor(server, dir, {
      terminal: false,
      state: "needs_login",
    });
    await rejects(runLogin(deps), { code: "ERR_TAILSCALE_NOT_AUTHENTICATED" });
    strictEqual(server.requests.length, 0);
    strictEqual([...Deno.readDirSync(dir)].length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
