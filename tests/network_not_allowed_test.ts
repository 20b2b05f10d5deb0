/**
 * A leger.run that redirects leger to a host leger does not connect to: the
 * real `leger` (a subprocess with the binary's permission flags, whose
 * `--allow-net` lists no hosts) follows no such redirect (`fetchAllowed()`)
 * and says ERR_NETWORK_NOT_ALLOWED, naming the host it was sent to without
 * any credentials, never ERR_INTERNAL.
 *
 * @module
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { authFilePath } from "../lib/auth/auth_file_path.ts";
import { saveAuthState } from "../lib/auth/save_auth_state.ts";
import { runLeger } from "./_leger.ts";
import { tempFolder } from "./_folders.ts";
import { LegerRunServer } from "./leger_run_server.ts";

/** The user of the tests: the UUIDv5 of Tailscale user id 9007199254740993. */
const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

/** Where a redirect sends leger, and the host Deno names. */
const TARGETS: { name: string; location: string; host: string }[] = [
  {
    name: "another loopback address",
    location: "http://127.0.0.2:8787/manifest.json",
    host: "127.0.0.2:8787",
  },
  {
    name: "a host outside the allow-list, with credentials",
    location: "https://someone:s3cr3t-t0ken@evil.example.com/manifest.json",
    host: "evil.example.com:443",
  },
  {
    name: "a host whose name starts like leger.run's",
    location: "https://static.leger.run.example.com/x",
    host: "static.leger.run.example.com:443",
  },
];

function cliEnv(server: LegerRunServer, dir: string): Record<string, string> {
  return {
    HOME: `${dir}/home`,
    XDG_DATA_HOME: `${dir}/data`,
    XDG_CONFIG_HOME: `${dir}/config`,
    XDG_RUNTIME_DIR: `${dir}/run`,
    LEGER_API_URL: server.apiUrl,
    LEGER_STATIC_URL: server.staticUrl,
    LEGER_WEB_URL: server.webUrl,
  };
}

function assertNotAllowed(
  result: { code: number; stdout: string; stderr: string },
  host: string,
  name: string,
): void {
  const output = `${result.stderr}\n${result.stdout}`;
  strictEqual(result.code, 1, `${name}: ${output}`);
  match(result.stderr, /\[ERR_NETWORK_NOT_ALLOWED\]\n$/, name);
  ok(result.stderr.includes(`redirected leger to "${host}"`), output);
  match(result.stderr, /leger connects only to api\.leger\.run, /, name);
  ok(!output.includes("ERR_INTERNAL"), output);
  ok(!output.includes("s3cr3t"), output);
}

Deno.test("leger deploy install says ERR_NETWORK_NOT_ALLOWED, naming the host, when leger.run's static files redirect elsewhere", async (t) => {
  await using server = await LegerRunServer.start();
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);
  for (const target of TARGETS) {
    await t.step(target.name, async () => {
      server.clearFailures();
      server.staticFault({
        path: `${UUID}/v1/manifest.json`,
        fault: { type: "redirect", location: target.location },
      });
      const before = server.requests.length;
      const result = await runLeger([
        "deploy",
        "install",
        "--source",
        `${server.staticUrl}/${UUID}/v1/`,
        "--dry-run",
      ], { env });
      assertNotAllowed(result, target.host, target.name);
      match(
        result.stderr,
        /^Error: Cannot fetch the deployment from leger\.run: http:\/\/127\.0\.0\.1:\d+\/static\/.*\/v1\/manifest\.json redirected leger/,
      );
      // Refused at once, never retried: the redirect would only come again.
      strictEqual(server.requests.length - before, 1);
    });
  }
});

Deno.test("leger deploy install says ERR_NETWORK_NOT_ALLOWED, naming the host, when the leger.run API redirects elsewhere", async (t) => {
  await using server = await LegerRunServer.start();
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);
  await saveAuthState(
    authFilePath({ home: env.HOME, env: (name) => env[name] }),
    {
      token: await server.issueToken({ user_uuid: UUID }),
      token_type: "Bearer",
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      user_uuid: UUID,
      login_name: "alice@github",
      tailnet: "alice@github",
      device_hostname: "test-host",
      api_url: server.apiUrl,
    },
  );
  for (const target of TARGETS) {
    await t.step(target.name, async () => {
      server.clearFailures();
      server.fail({
        path: "/releases",
        failure: {
          status: 302,
          body: "",
          headers: { location: target.location },
        },
      });
      // No latest/ folder: leger asks the API for the newest release.
      const result = await runLeger(["deploy", "install", "--dry-run"], {
        env,
      });
      assertNotAllowed(result, target.host, target.name);
      match(
        result.stderr,
        /^Error: Cannot [^\n]*: http:\/\/127\.0\.0\.1:\d+\/releases/,
      );
    });
  }
});
