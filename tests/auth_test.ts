// `leger auth login|status|logout` run as the shipped binary runs (a
// subprocess with exactly the leger task's permission flags), against a fake
// `tailscale` on PATH, a fake tailscaled LocalAPI socket and the loopback
// leger.run server. Nothing here reaches anything but loopback.
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { type LegerResult, ROOT, runLeger } from "./_leger.ts";
import {
  LegerRunServer,
  type LegerRunServerOptions,
} from "./leger_run_server.ts";
import { startFakeLocalApi } from "./fakes/tailscale_local_api.ts";

const FAKE_BIN = `${ROOT}/tests/fakes/bin`;
const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

function recorded(state: string): string {
  return `${ROOT}/tests/fakes/tailscale/${state}.json`;
}

/** A temporary HOME, a fake `tailscale` on PATH and a loopback leger.run. */
interface Sandbox extends AsyncDisposable {
  dir: string;
  authFile: string;
  server: LegerRunServer;
  env: Record<string, string>;
  /** Runs leger; checks that no token of auth.json ever reaches its output. */
  leger(args: string[], env?: Record<string, string>): Promise<LegerResult>;
  /** The arguments the fake `tailscale` was run with, one call a line. */
  tailscaleCalls(): Promise<string[]>;
}

async function sandbox(
  options: LegerRunServerOptions = {},
): Promise<Sandbox> {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  const server = await LegerRunServer.start(options);
  const authFile = `${dir}/data/leger/auth.json`;
  const env = {
    HOME: `${dir}/home`,
    XDG_DATA_HOME: `${dir}/data`,
    XDG_RUNTIME_DIR: `${dir}/run`,
    PATH: `${FAKE_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    LEGER_API_URL: server.apiUrl,
    LEGER_STATIC_URL: server.staticUrl,
    LEGER_WEB_URL: server.webUrl,
    LEGER_TAILSCALE_SOCKET: `${dir}/tailscaled.sock`,
    LEGER_FAKE_TAILSCALE_STATUS: recorded("running"),
    LEGER_FAKE_TAILSCALE_LOG: `${dir}/tailscale.log`,
  };
  const tokens = new Set<string>();
  const rememberToken = async () => {
    const text = await Deno.readTextFile(authFile).catch(() => null);
    if (text === null) return;
    try {
      tokens.add(JSON.parse(text).token);
    } catch (error) {
      // A test damages auth.json on purpose; a damaged file holds no token.
      if (!(error instanceof SyntaxError)) throw error;
    }
  };
  return {
    dir,
    authFile,
    server,
    env,
    async leger(args, extra = {}) {
      await rememberToken();
      const result = await runLeger(args, { env: { ...env, ...extra } });
      await rememberToken();
      for (const token of tokens) {
        strictEqual(result.stdout.includes(token), false, "token on stdout");
        strictEqual(result.stderr.includes(token), false, "token on stderr");
      }
      return result;
    },
    async tailscaleCalls() {
      const log = await Deno.readTextFile(env.LEGER_FAKE_TAILSCALE_LOG).catch(
        () => "",
      );
      return log.split("\n").filter((line) => line !== "");
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** The error block leger prints: no raw JSON body, no stack trace. */
function assertCleanError(stderr: string, code: string): void {
  match(stderr, /^Error: Cannot /);
  match(stderr, new RegExp(`\\[${code}\\]\\n$`));
  strictEqual(/"success"|\{"|^\s+at /m.test(stderr), false, stderr);
}

// --- leger auth login -------------------------------------------------------

Deno.test("leger auth login stores a 0600 auth.json and prints who is logged in", async () => {
  await using box = await sandbox();
  const before = Date.now();
  const result = await box.leger(["auth", "login"]);
  strictEqual(result.stderr, "");
  strictEqual(result.code, 0);
  match(result.stdout, /^Logged in to leger\.run as alice@github\n/);
  match(result.stdout, new RegExp(`user: +${UUID}`));
  match(result.stdout, /device: +workstation \(100\.101\.102\.103\)/);

  strictEqual((await Deno.stat(box.authFile)).mode! & 0o777, 0o600);
  const state = JSON.parse(await Deno.readTextFile(box.authFile));
  deepStrictEqual(Object.keys(state).sort(), [
    "api_url",
    "device_hostname",
    "expires_at",
    "login_name",
    "tailnet",
    "token",
    "token_type",
    "user_uuid",
  ]);
  strictEqual(state.token.split(".").length, 3);
  strictEqual(state.token_type, "Bearer");
  strictEqual(state.user_uuid, UUID);
  strictEqual(state.login_name, "alice@github");
  strictEqual(state.tailnet, "alice@github");
  strictEqual(state.device_hostname, "workstation");
  strictEqual(state.api_url, box.server.apiUrl);
  const expires = Date.parse(state.expires_at) - 31536000 * 1000;
  strictEqual(expires >= before - 1000 && expires <= Date.now() + 1000, true);
  deepStrictEqual(
    [...Deno.readDirSync(`${box.dir}/data/leger`)].map((e) => e.name),
    [
      "auth.json",
    ],
  );
});

Deno.test("leger auth login sends exactly the contract's body from tailscale status --json", async () => {
  await using box = await sandbox();
  strictEqual((await box.leger(["auth", "login"])).code, 0);
  deepStrictEqual(await box.tailscaleCalls(), ["status --json"]);
  const requests = box.server.requests.filter((r) => r.path === "/auth/cli");
  strictEqual(requests.length, 1);
  strictEqual(requests[0].method, "POST");
  strictEqual(requests[0].contentType, "application/json");
  deepStrictEqual(requests[0].body, {
    tailscale: {
      // Self.UserID is 2^53 + 1: a float would have sent ...992 (mallory's).
      user_id: "9007199254740993",
      login_name: "alice@github",
      device_id: "100.101.102.103",
      device_hostname: "workstation",
      tailnet: "alice@github",
    },
    cli_version: denoJson.version,
  });
});

Deno.test("leger auth login fails with each Tailscale state's error and fix, writing nothing", async () => {
  await using box = await sandbox();
  const cases: [string, Record<string, string>, string, RegExp][] = [
    [
      "needs_login",
      {},
      "ERR_TAILSCALE_NOT_AUTHENTICATED",
      /logged out on this machine \(state "NeedsLogin"\)\n {2}Log in at: https:\/\/login\.tailscale\.com\/a\/5e3b9c1d2a7f4\nRun `sudo tailscale up`/,
    ],
    [
      "needs_machine_auth",
      {},
      "ERR_TAILSCALE_NOT_AUTHENTICATED",
      /not yet authorized by the tailnet admin \(state "NeedsMachineAuth"\)\nAsk an admin/,
    ],
    [
      "stopped",
      {},
      "ERR_TAILSCALE_NOT_RUNNING",
      /Tailscale is stopped \(state "Stopped"\)\nRun `sudo tailscale up`/,
    ],
    [
      "starting",
      {},
      "ERR_TAILSCALE_NOT_RUNNING",
      /still starting \(state "Starting"\)/,
    ],
    [
      "no_state",
      {},
      "ERR_TAILSCALE_NOT_RUNNING",
      /tailscaled is not ready \(state "NoState"\)\nRun `sudo systemctl start tailscaled`/,
    ],
    [
      "running",
      { LEGER_FAKE_TAILSCALE_DAEMON: "down" },
      "ERR_TAILSCALE_NOT_RUNNING",
      /tailscaled is not running\nRun `sudo systemctl start tailscaled`/,
    ],
  ];
  for (const [state, env, code, message] of cases) {
    const result = await box.leger(["auth", "login"], {
      LEGER_FAKE_TAILSCALE_STATUS: recorded(state),
      ...env,
    });
    strictEqual(result.code, 4, state);
    strictEqual(result.stdout, "", state);
    assertCleanError(result.stderr, code);
    match(result.stderr, /^Error: Cannot log in to leger\.run: /);
    match(result.stderr, message);
  }
  strictEqual(await exists(box.authFile), false);
  strictEqual(box.server.requests.length, 0);
});

Deno.test("leger auth login says how to install Tailscale when there is no binary and no socket", async () => {
  await using box = await sandbox();
  const emptyBin = `${box.dir}/bin`;
  await Deno.mkdir(emptyBin);
  const result = await box.leger(["auth", "login"], { PATH: emptyBin });
  strictEqual(result.code, 4);
  assertCleanError(result.stderr, "ERR_TAILSCALE_NOT_INSTALLED");
  match(
    result.stderr,
    new RegExp(
      `Tailscale is not installed \\(no "tailscale" in PATH and no tailscaled socket at ${box.env.LEGER_TAILSCALE_SOCKET}\\)\\nInstall it with \`curl -fsSL https://tailscale\\.com/install\\.sh \\| sh\``,
    ),
  );
});

Deno.test("leger auth login reads tailscaled's LocalAPI socket when the tailscale CLI is missing", async () => {
  await using box = await sandbox();
  await using api = await startFakeLocalApi(box.env.LEGER_TAILSCALE_SOCKET, {
    status: await Deno.readTextFile(recorded("running")),
  });
  const emptyBin = `${box.dir}/bin`;
  await Deno.mkdir(emptyBin);
  // The binary's flags: its --allow-net lists nothing, so any socket path
  // (here the test's, in a temporary folder) may be read.
  const result = await box.leger(["auth", "login"], { PATH: emptyBin });
  strictEqual(result.stderr, "");
  strictEqual(result.code, 0);
  match(result.stdout, /^Logged in to leger\.run as alice@github\n/);
  deepStrictEqual(api.requests.map((r) => [r.path, r.host]), [[
    "/localapi/v0/status",
    "local-tailscaled.sock",
  ]]);
  deepStrictEqual(await box.tailscaleCalls(), []);
  strictEqual(
    JSON.parse(await Deno.readTextFile(box.authFile)).user_uuid,
    UUID,
  );
});

Deno.test("leger auth login sends an unlinked account to the web UI with leger.run's message and action", async () => {
  await using box = await sandbox({ linkedUserIds: ["1"] });
  const result = await box.leger(["auth", "login"]);
  strictEqual(result.code, 4);
  assertCleanError(result.stderr, "ERR_ACCOUNT_NOT_LINKED");
  match(
    result.stderr,
    /^Error: Cannot log in to leger\.run: No leger\.run account is linked to this Tailscale identity\n/,
  );
  match(
    result.stderr,
    /\nSign in to leger\.run in your browser with Tailscale/,
  );
  match(
    result.stderr,
    new RegExp(
      `Sign in to the web UI at ${box.server.webUrl} to link your Tailscale account`,
    ),
  );
  strictEqual(await exists(box.authFile), false);
});

Deno.test("leger auth login shows a server error through its message and action", async () => {
  await using box = await sandbox();
  const cases: [unknown, RegExp][] = [
    [
      {
        status: 503,
        code: "internal_error",
        message: "D1 is unavailable",
        action: "Try again in a minute",
        docs: "https://docs.leger.run/errors#internal_error",
      },
      /^Error: Cannot log in to leger\.run: D1 is unavailable\n {2}leger\.run answered HTTP 503, error "internal_error"\n {2}docs: https:\/\/docs\.leger\.run\/errors#internal_error\nTry again in a minute\n/,
    ],
    [
      {
        status: 400,
        code: "tailscale_verification_failed",
        message: "Tailscale identity could not be verified",
      },
      /^Error: Cannot log in to leger\.run: Tailscale identity could not be verified\n/,
    ],
    [
      { status: 502, body: "<html><body>Bad gateway</body></html>" },
      /^Error: Cannot log in to leger\.run: http:\/\/127\.0\.0\.1:\d+ answered HTTP 502 with a body that is not JSON\n/,
    ],
  ];
  for (const [failure, message] of cases) {
    box.server.clearFailures();
    box.server.fail({ path: "/auth/cli", failure: failure as never });
    const result = await box.leger(["auth", "login"]);
    strictEqual(result.code, 1);
    assertCleanError(result.stderr, "ERR_API_ERROR");
    match(result.stderr, message);
    strictEqual(result.stderr.includes("<html>"), false);
  }
  strictEqual(await exists(box.authFile), false);
});

Deno.test("leger auth login says the API is unreachable, with a retry hint, on a closed port", async () => {
  await using box = await sandbox();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const api = `http://127.0.0.1:${listener.addr.port}`;
  listener.close();
  const result = await box.leger(["auth", "login"], { LEGER_API_URL: api });
  strictEqual(result.code, 1);
  assertCleanError(result.stderr, "ERR_API_UNREACHABLE");
  match(
    result.stderr,
    new RegExp(
      `^Error: Cannot log in to leger\\.run: cannot reach leger\\.run at ${api} \\(connection refused\\)\\nCheck the network connection and try again in a moment; \`curl -sS ${api}/health\``,
    ),
  );
  strictEqual(await exists(box.authFile), false);
});

Deno.test("leger auth login rejects a user_uuid that differs from the local derivation", async () => {
  await using box = await sandbox({
    userUuidFor: () => "00000000-0000-5000-8000-000000000000",
  });
  const result = await box.leger(["auth", "login"]);
  strictEqual(result.code, 1);
  assertCleanError(result.stderr, "ERR_USER_UUID_MISMATCH");
  match(
    result.stderr,
    new RegExp(
      `it answered user UUID "00000000-0000-5000-8000-000000000000", but Tailscale user 9007199254740993 is "${UUID}"`,
    ),
  );
  strictEqual(await exists(box.authFile), false);
});

Deno.test("leger auth refuses a leger.run URL whose host is not leger.run's or loopback, before anything else", async () => {
  await using box = await sandbox();
  for (
    const [variable, value] of [
      ["LEGER_API_URL", "https://api.example.com"],
      ["LEGER_STATIC_URL", "http://10.0.0.1:8080"],
      ["LEGER_WEB_URL", "https://example.com"],
    ]
  ) {
    for (const command of ["login", "status"]) {
      const result = await box.leger(["auth", command], { [variable]: value });
      strictEqual(result.code, 1, `${command} ${variable}`);
      assertCleanError(result.stderr, "ERR_NETWORK_NOT_ALLOWED");
      match(
        result.stderr,
        new RegExp(`^Error: Cannot use ${variable} "${value}"`),
      );
      match(
        result.stderr,
        new RegExp(
          `\\nUnset ${variable}, or point it at one of those hosts: leger sends its login token to leger\\.run only`,
        ),
      );
    }
  }
  deepStrictEqual(await box.tailscaleCalls(), []);
  strictEqual(box.server.requests.length, 0);
});

// --- leger auth status --------------------------------------------------------

async function writeAuth(
  box: Sandbox,
  overrides: Record<string, string> = {},
): Promise<Record<string, string>> {
  const state = {
    token: await box.server.issueToken({
      user_uuid: UUID,
      user_id: "9007199254740993",
    }),
    token_type: "Bearer",
    expires_at: new Date(Date.now() + 86400_000).toISOString(),
    user_uuid: UUID,
    login_name: "alice@github",
    tailnet: "alice@github",
    device_hostname: "workstation",
    api_url: box.server.apiUrl,
    ...overrides,
  };
  await Deno.mkdir(`${box.dir}/data/leger`, { recursive: true });
  await Deno.writeTextFile(box.authFile, JSON.stringify(state), {
    mode: 0o600,
  });
  return state;
}

function legerdSocket(box: Sandbox): string {
  return Deno.uid() === 0
    ? "/run/leger/legerd.sock"
    : `${box.dir}/run/leger/legerd.sock`;
}

/** What to do when legerd does not run, in the scope these tests run in: start it, and see why it stopped. */
function legerdRemedy(): string {
  const user = Deno.uid() === 0 ? "" : " --user";
  return `Start it with \`systemctl${user} enable --now legerd.service\`; if it does not stay up, \`systemctl${user} status legerd.service\` says why`;
}

Deno.test("leger auth status --json reports Tailscale, a valid login, legerd and the space's releases", async () => {
  await using box = await sandbox();
  strictEqual((await box.leger(["auth", "login"])).code, 0);
  box.server.addRelease(UUID, {
    name: "staging",
    created_at: "2025-10-01T00:00:00.000Z",
  });
  box.server.addRelease(UUID, {
    name: "production",
    created_at: "2025-10-16T12:00:00.000Z",
  });
  const state = JSON.parse(await Deno.readTextFile(box.authFile));
  const result = await box.leger(["auth", "status", "--json"]);
  strictEqual(result.stderr, "");
  strictEqual(result.code, 0);
  const report = JSON.parse(result.stdout);
  deepStrictEqual(report.tailscale, {
    installed: true,
    source: "cli",
    backend_state: "Running",
    version: "1.78.1-t6f8d1b3a2-g0c8f3b1e4",
    identity: {
      user_id: "9007199254740993",
      login_name: "alice@github",
      device_id: "100.101.102.103",
      device_hostname: "workstation",
      tailnet: "alice@github",
    },
    user_uuid: UUID,
    error: null,
  });
  deepStrictEqual(report.leger, {
    state: "valid",
    api_url: box.server.apiUrl,
    auth_file: box.authFile,
    user_uuid: UUID,
    login_name: "alice@github",
    tailnet: "alice@github",
    device_hostname: "workstation",
    expires_at: state.expires_at,
    matches_tailscale: true,
    error: null,
  });
  deepStrictEqual(report.legerd, {
    running: false,
    scope: Deno.uid() === 0 ? "system" : "user",
    socket: legerdSocket(box),
    health: null,
    error: {
      code: "ERR_LEGERD_NOT_RUNNING",
      message:
        `Cannot read legerd's health: legerd is not running (no control socket at ${
          legerdSocket(box)
        })`,
      remedy: legerdRemedy(),
    },
  });
  strictEqual(report.space.static_url, `${box.server.staticUrl}/${UUID}/`);
  deepStrictEqual(
    report.space.releases.map((
      r: { version: number; name: string },
    ) => [r.version, r.name]),
    [[2, "production"], [1, "staging"]],
  );
  const validate = box.server.requests.find((r) => r.path === "/auth/validate");
  strictEqual(validate?.authorization, `Bearer ${state.token}`);
});

Deno.test("leger auth status prints each section for a person", async () => {
  await using box = await sandbox();
  await writeAuth(box, { expires_at: "2099-01-01T00:00:00.000Z" });
  box.server.addRelease(UUID, {
    name: "production",
    created_at: "2025-10-16T12:00:00.000Z",
  });
  const result = await box.leger(["auth", "status"]);
  strictEqual(result.code, 0);
  strictEqual(
    result.stdout,
    [
      "Tailscale",
      "  Running, logged in as alice@github on tailnet alice@github",
      "  device: workstation (100.101.102.103), tailscale 1.78.1-t6f8d1b3a2-g0c8f3b1e4",
      "leger.run",
      `  Logged in as alice@github (user ${UUID}), token valid until 2099-01-01T00:00:00.000Z`,
      `  api: ${box.server.apiUrl}`,
      "legerd",
      `  legerd is not running (no control socket at ${legerdSocket(box)})`,
      `  ${legerdRemedy()}`,
      "leger.run space",
      `  ${box.server.staticUrl}/${UUID}/`,
      "  v1\tproduction\t2025-10-16T12:00:00.000Z",
      "",
    ].join("\n"),
  );
});

Deno.test("leger auth status exits 4 when not logged in, still showing Tailscale and the space", async () => {
  await using box = await sandbox();
  const result = await box.leger(["auth", "status", "--json"]);
  strictEqual(result.code, 4);
  const report = JSON.parse(result.stdout);
  strictEqual(report.leger.state, "missing");
  strictEqual(report.tailscale.user_uuid, UUID);
  strictEqual(report.space.static_url, `${box.server.staticUrl}/${UUID}/`);
  strictEqual(report.space.releases, null);
  strictEqual(box.server.requests.length, 0);
  match(
    (await box.leger(["auth", "status"])).stdout,
    /Not logged in \(no .*auth\.json\)\n {2}Run `leger auth login`/,
  );
});

Deno.test("leger auth status exits 4 for an expired, rejected or unreadable login", async () => {
  await using box = await sandbox();
  const cases: [string, () => Promise<unknown>, string, boolean][] = [
    [
      "expired locally",
      () => writeAuth(box, { expires_at: "2020-01-01T00:00:00.000Z" }),
      "expired",
      false,
    ],
    [
      "expired at leger.run",
      async () =>
        writeAuth(box, {
          token: await box.server.issueToken({ user_uuid: UUID }, {
            expiresIn: -60,
          }),
        }),
      "expired",
      true,
    ],
    [
      "bad signature",
      async () =>
        writeAuth(box, {
          token:
            (await box.server.issueToken({ user_uuid: UUID })).slice(0, -4) +
            "AAAA",
        }),
      "rejected",
      true,
    ],
    [
      "damaged file",
      () => Deno.writeTextFile(box.authFile, "{"),
      "unreadable",
      false,
    ],
  ];
  for (const [name, prepare, state, asked] of cases) {
    const before = box.server.requests.length;
    await prepare();
    const result = await box.leger(["auth", "status", "--json"]);
    strictEqual(result.code, 4, name);
    const report = JSON.parse(result.stdout);
    strictEqual(report.leger.state, state, name);
    strictEqual(report.space.releases, null, name);
    strictEqual(box.server.requests.length > before, asked, name);
    if (state !== "expired" || asked) {
      strictEqual(report.leger.error.code, "ERR_LEGER_NOT_AUTHENTICATED", name);
    }
  }
});

Deno.test("leger auth status says what leger.run said when it calls a token expired that auth.json says is valid", async () => {
  await using box = await sandbox();
  // A token whose own exp has passed, in an auth.json whose date is ahead:
  // leger asks leger.run, which answers 401 "JWT validation failed: Token expired".
  const state = await writeAuth(box, {
    token: await box.server.issueToken({ user_uuid: UUID }, {
      expiresIn: -60,
    }),
  });
  const result = await box.leger(["auth", "status"]);
  strictEqual(result.code, 4);
  match(
    result.stdout,
    new RegExp(
      `leger\\.run\\n  leger\\.run refused the login of alice@github \\(user ${UUID}\\): JWT validation failed: Token expired\\n  auth\\.json says it is valid until ${
        state.expires_at.replaceAll(".", "\\.")
      }, but leger\\.run no longer accepts it\\n  Run \`leger auth login\`\\n`,
    ),
  );
  strictEqual(result.stdout.includes("expired at"), false, result.stdout);
});

Deno.test("leger auth status answers offline, still showing the stored login, when the API is unreachable", async () => {
  await using box = await sandbox();
  await writeAuth(box);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const api = `http://127.0.0.1:${listener.addr.port}`;
  listener.close();
  const json = await box.leger(["auth", "status", "--json"], {
    LEGER_API_URL: api,
  });
  strictEqual(json.code, 1);
  const report = JSON.parse(json.stdout);
  strictEqual(report.leger.state, "offline");
  strictEqual(report.leger.login_name, "alice@github");
  strictEqual(report.leger.error.code, "ERR_API_UNREACHABLE");
  const text = await box.leger(["auth", "status"], { LEGER_API_URL: api });
  strictEqual(text.code, 1);
  match(
    text.stdout,
    new RegExp(
      `leger\\.run\\n  offline: cannot reach leger\\.run at ${api} \\(connection refused\\)\\n  stored login: alice@github \\(user ${UUID}\\), expires .* \\(not verified\\)\\n`,
    ),
  );
});

Deno.test("leger auth status reports a Tailscale problem without failing the leger.run check", async () => {
  await using box = await sandbox();
  await writeAuth(box);
  const result = await box.leger(["auth", "status", "--json"], {
    LEGER_FAKE_TAILSCALE_STATUS: recorded("needs_login"),
  });
  strictEqual(result.code, 0);
  const report = JSON.parse(result.stdout);
  strictEqual(report.tailscale.backend_state, "NeedsLogin");
  strictEqual(report.tailscale.identity, null);
  strictEqual(report.tailscale.error.code, "ERR_TAILSCALE_NOT_AUTHENTICATED");
  strictEqual(report.leger.state, "valid");
  strictEqual(report.leger.matches_tailscale, null);
  const text = await box.leger(["auth", "status"], {
    LEGER_FAKE_TAILSCALE_STATUS: recorded("needs_login"),
  });
  match(
    text.stdout,
    /^Tailscale\n {2}Tailscale is logged out on this machine \(state "NeedsLogin"\)\n {2}Run `sudo tailscale up`/,
  );
});

// --- leger auth logout --------------------------------------------------------

Deno.test("leger auth logout removes auth.json and nothing of Tailscale's", async () => {
  await using box = await sandbox();
  strictEqual((await box.leger(["auth", "login"])).code, 0);
  await Deno.writeTextFile(
    `${box.dir}/data/leger/.auth.json.0000.tmp`,
    "partial",
  );
  const callsBefore = (await box.tailscaleCalls()).length;
  const result = await box.leger(["auth", "logout"]);
  strictEqual(result.code, 0);
  strictEqual(
    result.stdout,
    `Logged out of leger.run (removed ${box.authFile}); Tailscale's login is unchanged\n`,
  );
  deepStrictEqual([...Deno.readDirSync(`${box.dir}/data/leger`)], []);
  strictEqual((await box.tailscaleCalls()).length, callsBefore);
  const again = await box.leger(["auth", "logout"]);
  strictEqual(again.code, 0);
  strictEqual(
    again.stdout,
    `Not logged in to leger.run (no ${box.authFile}); nothing to remove\n`,
  );
  strictEqual((await box.leger(["auth", "status", "--json"])).code, 4);
});

Deno.test("leger auth logout --purge-secrets fails before removing anything when legerd is not running, saying how to start it", async () => {
  await using box = await sandbox();
  strictEqual((await box.leger(["auth", "login"])).code, 0);
  const before = await Deno.readFile(box.authFile);
  const result = await box.leger(["auth", "logout", "--purge-secrets"]);
  strictEqual(result.code, 1);
  strictEqual(result.stdout, "");
  strictEqual(
    result.stderr,
    [
      `Error: Cannot remove the Podman secrets legerd manages: legerd is not running (no control socket at ${
        legerdSocket(box)
      })`,
      "  Nothing was removed: the Podman secrets and the login are as they were",
      legerdRemedy(),
      "Or run `leger auth logout` to remove only the login",
      "[ERR_LEGERD_NOT_RUNNING]",
      "",
    ].join("\n"),
  );
  deepStrictEqual(await Deno.readFile(box.authFile), before);
});

Deno.test("leger auth status never prints credentials of a configured leger.run URL", async () => {
  await using box = await sandbox();
  const withSecret = (url: string) =>
    url.replace("://", "://robot:hunter2secret@");
  const env = {
    LEGER_API_URL: withSecret(box.server.apiUrl),
    LEGER_STATIC_URL: withSecret(box.server.staticUrl),
  };
  for (const args of [["auth", "status", "--json"], ["auth", "status"]]) {
    const result = await box.leger(args, env);
    strictEqual(
      `${result.stdout}${result.stderr}`.includes("hunter2secret"),
      false,
      `${
        args.join(" ")
      } printed the password:\n${result.stdout}${result.stderr}`,
    );
  }
});
