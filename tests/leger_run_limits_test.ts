/**
 * leger.run sources at their limits, through the CLI against the loopback
 * leger.run: a server that trickles its answers is given up on after
 * `--timeout` (the whole fetch, not each attempt), and a URL with
 * credentials is never shown with them.
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";
import { tempFolder } from "./_folders.ts";
import { type LegerResult, runLeger } from "./_leger.ts";
import { LegerRunServer } from "./leger_run_server.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";

/** A temporary XDG home and environment pointing leger at the loopback leger.run. */
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

/** Fails when `promise` has not settled after `ms`: a bound, not a sleep. */
async function bounded<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} took longer than ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("leger deploy install --timeout gives up on a leger.run server that trickles its answer, saying how long it waited", async (t) => {
  await using server = await LegerRunServer.start();
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);
  // A manifest of 400 bytes at one byte every 50 ms takes 20 s: each read
  // makes progress, so only a limit on the whole fetch ends it.
  server.putStatic(`${UUID}/v1/manifest.json`, `${" ".repeat(398)}{}`);
  server.staticFault({
    path: `${UUID}/v1/manifest.json`,
    fault: { type: "trickle", everyMs: 50 },
  });
  const folder = `${server.staticUrl}/${UUID}/v1/`;
  const runs: [string, string[]][] = [
    ["deploy install --dry-run", [
      "deploy",
      "install",
      "--dry-run",
      "--source",
    ]],
    ["validate", ["validate"]],
  ];
  for (const [name, args] of runs) {
    await t.step(name, async () => {
      const started = performance.now();
      const result = await bounded(
        runLeger([...args, folder, "--timeout", "1"], { env }),
        15_000,
        `leger ${name}`,
      );
      const took = performance.now() - started;
      strictEqual(result.code, 1, result.stderr);
      ok(result.stderr.includes("[ERR_MANIFEST_FETCH_FAILED]"), result.stderr);
      ok(
        result.stderr.includes(
          `Cannot fetch the deployment from ${server.staticUrl}/${UUID}/: it did not arrive whole within the limit of 1 s (waited 1`,
        ),
        result.stderr,
      );
      ok(
        result.stderr.includes(`still waiting for ${folder}manifest.json`),
        result.stderr,
      );
      ok(result.stderr.includes("--timeout SECONDS"), result.stderr);
      // Deno's start and leger's own work, plus the one second.
      ok(took < 10_000, `it took ${took} ms`);
    });
  }
});

Deno.test("leger never prints the credentials of a leger.run URL", async (t) => {
  await using server = await LegerRunServer.start();
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);
  const secret = `secret-${crypto.randomUUID()}`;
  const withCredentials = server.staticUrl.replace(
    "http://",
    `http://user:${secret}@`,
  );
  const check = (result: LegerResult, code: string) => {
    const text = result.stdout + result.stderr;
    ok(text.includes(code), text);
    ok(!text.includes(secret), text);
    ok(!text.includes("user:"), text);
  };

  await t.step("a version that does not exist", async () => {
    const source = `${withCredentials}/${UUID}/v9/`;
    const result = await runLeger(
      ["deploy", "install", "--dry-run", "--source", source],
      { env },
    );
    strictEqual(result.code, 1, result.stderr);
    check(result, "[ERR_MANIFEST_FETCH_FAILED]");
    ok(
      result.stderr.includes(`${server.staticUrl}/${UUID}/v9/`),
      result.stderr,
    );
  });

  await t.step("a version that does not exist, with --json", async () => {
    const source = `${withCredentials}/${UUID}/v9/`;
    const result = await runLeger(
      ["deploy", "install", "--dry-run", "--json", "--source", source],
      { env },
    );
    strictEqual(result.code, 1, result.stderr);
    check(result, "ERR_MANIFEST_FETCH_FAILED");
    ok(result.stdout.includes(`${server.staticUrl}/${UUID}/v9/`));
  });

  await t.step("a URL that names no version", async () => {
    const result = await runLeger(
      ["validate", `${withCredentials}/${UUID}/`],
      { env },
    );
    strictEqual(result.code, 2, result.stderr);
    check(result, "[ERR_USAGE]");
    ok(result.stderr.includes(`${server.staticUrl}/${UUID}/`), result.stderr);
  });

  await t.step(
    "a plan of a version fetched through LEGER_STATIC_URL with credentials",
    async () => {
      const unit = "[Container]\nImage=docker.io/library/nginx:1\n";
      const digest = Array.from(
        new Uint8Array(
          await crypto.subtle.digest("SHA-256", new TextEncoder().encode(unit)),
        ),
        (byte) => byte.toString(16).padStart(2, "0"),
      ).join("");
      server.putStatic(`${UUID}/v1/web.container`, unit);
      server.putStatic(
        `${UUID}/v1/manifest.json`,
        JSON.stringify({
          version: 1,
          services: [{
            name: "web",
            quadlet_file: "web.container",
            checksum: `sha256:${digest}`,
          }],
        }),
      );
      const result = await runLeger(
        [
          "deploy",
          "install",
          "--dry-run",
          "--json",
          "--source",
          `${withCredentials}/${UUID}/v1/`,
        ],
        { env: { ...env, LEGER_STATIC_URL: withCredentials } },
      );
      const text = result.stdout + result.stderr;
      ok(!text.includes(secret), text);
      const plan = JSON.parse(result.stdout);
      strictEqual(plan.source.location, `${server.staticUrl}/${UUID}/v1/`);
      strictEqual(plan.source.version, "v1");
    },
  );

  await t.step("LEGER_STATIC_URL with credentials", async () => {
    const result = await runLeger(
      [
        "deploy",
        "install",
        "--dry-run",
        "--source",
        `${withCredentials}/${UUID}/v9/`,
      ],
      { env: { ...env, LEGER_STATIC_URL: withCredentials } },
    );
    strictEqual(result.code, 1, result.stderr);
    check(result, "[ERR_");
  });
});
