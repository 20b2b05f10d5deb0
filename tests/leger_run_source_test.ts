/**
 * The leger.run source against the loopback leger.run (`leger_run_server.ts`)
 * serving the deployments that the service itself rendered
 * (`tests/testdata/leger-run-rendered/v1` and `v2`), with releases and
 * deployments in its API: `fetchLegerRunSource()` in-process, then the CLI.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import type { LegerRunUrls } from "../lib/api/resolve_leger_run_urls.ts";
import { authFilePath } from "../lib/auth/auth_file_path.ts";
import { saveAuthState } from "../lib/auth/save_auth_state.ts";
import { loadUnits } from "../lib/quadlet/load_units.ts";
import {
  fetchLegerRunSource,
  type FetchLegerRunSourceOptions,
} from "../lib/source/fetch_leger_run_source.ts";
import { sha256Hex } from "../lib/source/sha256_hex.ts";
import type { LoadedDeployment, Normalisation } from "../lib/source/types.ts";
import { validateDeployment } from "../lib/validate/validate_deployment.ts";
import { writeDeploymentFolder } from "../lib/state/deployment_folder.ts";
import { runLeger, TESTDATA } from "./_leger.ts";
import { tempFolder } from "./_folders.ts";
import { LegerRunServer } from "./leger_run_server.ts";

/** The fixtures' user: the UUIDv5 of Tailscale user id 9007199254740993. */
const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const FIXTURES = `${TESTDATA}/leger-run-rendered`;
const QUADLET = "/usr/libexec/podman/quadlet";
const decoder = new TextDecoder();

const V1_CONTAINERS = [
  "caddy",
  "cockpit",
  "litellm",
  "litellm-postgres",
  "litellm-redis",
  "llama-swap",
  "openwebui",
  "openwebui-postgres",
  "openwebui-redis",
  "qdrant",
];
const V1_VOLUMES = [
  "caddy-config",
  "caddy-data",
  "litellm-postgres",
  "litellm-redis",
  "llama-swap",
  "openwebui",
  "openwebui-postgres",
  "openwebui-redis",
  "qdrant",
];

/** What normalising v1 must record, exactly: 9 renames, then 2 lines per container. */
const V1_NORMALISATIONS: Normalisation[] = [
  ...V1_VOLUMES.map((name) => `${name}.volume`).sort().map((file) => ({
    file,
    line: null,
    before: `${file}.volume`,
    after: file,
  })),
  ...V1_CONTAINERS.map((name) => `${name}.container`).sort().flatMap((
    file,
  ) => [
    {
      file,
      line: 7,
      before: "After=llm.network.service",
      after: "After=llm.network",
    },
    {
      file,
      line: 8,
      before: "Requires=llm.network.service",
      after: "Requires=llm.network",
    },
  ]),
];

/** A loopback leger.run serving v1 and v2 of the fixtures' user, as releases "first" and "second". */
async function legerRun(): Promise<LegerRunServer> {
  const server = await LegerRunServer.start();
  await server.addStaticDir(`${UUID}/v1`, `${FIXTURES}/v1`);
  await server.addStaticDir(`${UUID}/v2`, `${FIXTURES}/v2`);
  server.addRelease(UUID, { name: "first" });
  server.addRelease(UUID, { name: "second" });
  return server;
}

function urlsOf(server: LegerRunServer): LegerRunUrls {
  return { api: server.apiUrl, static: server.staticUrl, web: server.webUrl };
}

/** Options with retries that never wait. */
function options(
  server: LegerRunServer,
  extra: Partial<FetchLegerRunSourceOptions> = {},
): FetchLegerRunSourceOptions {
  return {
    urls: urlsOf(server),
    delay: () => Promise.resolve(),
    ...extra,
  };
}

/** The static paths the server was asked for, in order. */
function staticRequests(server: LegerRunServer): string[] {
  return server.requests.filter((r) => r.path.startsWith("/static/")).map((r) =>
    r.path.slice(`/static/${UUID}/`.length)
  );
}

function text(deployment: LoadedDeployment, path: string): string {
  const file = deployment.files.find((f) => f.path === path);
  ok(file, `${path} is not in ${deployment.files.map((f) => f.path)}`);
  return decoder.decode(file.bytes);
}

/** Writes the staged files to a temporary folder and runs Podman's generator over it. */
async function runGenerator(
  deployment: LoadedDeployment,
): Promise<{ code: number; stderr: string }> {
  await using dir = await tempFolder();
  for (const file of deployment.files) {
    await Deno.writeFile(`${dir.path}/${file.path}`, file.bytes);
  }
  const { code, stderr } = await new Deno.Command(QUADLET, {
    args: ["-dryrun"],
    env: { QUADLET_UNIT_DIRS: dir.path },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code, stderr: decoder.decode(stderr) };
}

const hasGenerator = await Deno.stat(QUADLET).then(
  (info) => info.isFile,
  () => false,
);

Deno.test("fetchLegerRunSource() stages v1 so that it plans with no errors, recording each normalisation", async () => {
  await using server = await legerRun();
  const deployment = await fetchLegerRunSource(
    { userUuid: UUID, version: "v1" },
    options(server),
  );
  strictEqual(deployment.name, "leger-run");
  deepStrictEqual(deployment.source, {
    type: "leger.run",
    location: `${server.staticUrl}/${UUID}/v1/`,
    version: "v1",
  });
  deepStrictEqual(
    deployment.files.map((f) => f.path),
    [
      ...V1_CONTAINERS.map((n) => `${n}.container`),
      ...V1_VOLUMES.map((n) => `${n}.volume`),
      "llm.network",
    ].sort(),
  );
  deepStrictEqual(deployment.normalisations, V1_NORMALISATIONS);
  for (const file of deployment.files) {
    strictEqual(file.sha256, await sha256Hex(file.bytes), file.path);
  }
  strictEqual(
    text(deployment, "openwebui.volume"),
    await Deno.readTextFile(`${FIXTURES}/v1/openwebui.volume.volume`),
  );
  deepStrictEqual(deployment.manifest.units, {
    container: V1_CONTAINERS.map((n) => `${n}.container`).sort(),
    network: ["llm.network"],
    volume: V1_VOLUMES.map((n) => `${n}.volume`).sort(),
  });

  const { units, findings } = loadUnits(deployment.files, {
    unitDir: "/home/u/.config/containers/systemd",
  });
  deepStrictEqual(findings, []);
  const problems = validateDeployment(units, {
    deploymentFiles: deployment.files.map((f) => f.path),
  }).filter((f) => f.severity !== "warning");
  deepStrictEqual(problems, []);
  // Every file was asked for once: the manifest, its 19 files, then llm.network.
  deepStrictEqual(staticRequests(server).length, 21);
  strictEqual(staticRequests(server).at(-1), "v1/llm.network");
});

Deno.test({
  name:
    `fetchLegerRunSource() stages v1 so that Podman's generator accepts it, where the served files fail${
      hasGenerator
        ? ""
        : ` (ignored: Podman's quadlet generator is not installed at ${QUADLET})`
    }`,
  ignore: !hasGenerator,
  async fn() {
    await using server = await legerRun();
    const deployment = await fetchLegerRunSource(
      { userUuid: UUID, version: "v1" },
      options(server),
    );
    const staged = await runGenerator(deployment);
    strictEqual(staged.code, 0, staged.stderr);

    const served = await Promise.all(
      [...Deno.readDirSync(`${FIXTURES}/v1`)]
        .filter((e) => e.name !== "manifest.json")
        .map(async (e) => ({
          path: e.name,
          bytes: await Deno.readFile(`${FIXTURES}/v1/${e.name}`),
          sha256: "",
        })),
    );
    const raw = await runGenerator({ ...deployment, files: served });
    strictEqual(raw.code, 1);
    ok(
      raw.stderr.includes("requested Quadlet source") &&
        raw.stderr.includes("was not found"),
      raw.stderr,
    );
  },
});

Deno.test("fetchLegerRunSource() fetches v2 as an update of the same deployment", async () => {
  await using server = await legerRun();
  const [v1, v2] = await Promise.all(
    ["v1", "v2"].map((version) =>
      fetchLegerRunSource({ userUuid: UUID, version }, options(server))
    ),
  );
  strictEqual(v2.name, v1.name);
  strictEqual(v2.source.version, "v2");
  const before = new Map(v1.files.map((f) => [f.path, f.sha256]));
  const after = new Map(v2.files.map((f) => [f.path, f.sha256]));
  deepStrictEqual(
    [...before.keys()].filter((p) => !after.has(p)),
    ["qdrant.container", "qdrant.volume"],
  );
  deepStrictEqual([...after.keys()].filter((p) => !before.has(p)), []);
  deepStrictEqual(
    [...after].filter(([p, sha]) => before.get(p) !== sha).map(([p]) => p),
    ["litellm.container", "llm.network"],
  );
  ok(!text(v2, "litellm.container").includes("Secret="));
  ok(!text(v2, "llm.network").includes("Subnet="));
  strictEqual(v2.normalisations?.length, V1_NORMALISATIONS.length - 3);
});

Deno.test("fetchLegerRunSource() resolves latest through the API when there is no latest/ folder", async (t) => {
  await t.step("the newest release with a finished deployment", async () => {
    await using server = await legerRun();
    const token = await server.issueToken({ user_uuid: UUID });
    const deployment = await fetchLegerRunSource(
      { userUuid: UUID, version: "latest" },
      options(server, { token }),
    );
    deepStrictEqual(deployment.source, {
      type: "leger.run",
      location: `${server.staticUrl}/${UUID}/latest/`,
      version: "v2",
    });
    strictEqual(deployment.name, "leger-run");
    deepStrictEqual(
      server.requests.slice(0, 4).map((r) => `${r.path}${r.query}`),
      [
        `/static/${UUID}/latest/manifest.json`,
        "/releases",
        "/releases/rel_3/deployment",
        `/static/${UUID}/v2/manifest.json`,
      ],
    );
    ok(
      server.requests.filter((r) => !r.path.startsWith("/static/")).every((
        r,
      ) => r.authorization === `Bearer ${token}`),
    );
  });

  await t.step("skipping a newer release that is still rendering", async () => {
    await using server = await legerRun();
    server.addRelease(UUID, {
      name: "third",
      deployment: { status: "rendering", manifest_url: null },
    });
    const deployment = await fetchLegerRunSource(
      { userUuid: UUID, version: "latest" },
      options(server, { token: await server.issueToken({ user_uuid: UUID }) }),
    );
    strictEqual(deployment.source.version, "v2");
  });

  await t.step("from latest/ itself when the space has one", async () => {
    await using server = await legerRun();
    await server.addStaticDir(`${UUID}/latest`, `${FIXTURES}/v1`);
    let tokenReads = 0;
    const deployment = await fetchLegerRunSource(
      { userUuid: UUID, version: "latest" },
      options(server, {
        token: () => {
          tokenReads++;
          return Promise.reject(new Error("no login needed"));
        },
      }),
    );
    strictEqual(deployment.source.version, "latest");
    strictEqual(tokenReads, 0);
    strictEqual(
      server.requests.filter((r) => !r.path.startsWith("/static/")).length,
      0,
    );
  });

  await t.step("not without a login", async () => {
    await using server = await legerRun();
    await rejects(
      fetchLegerRunSource(
        { userUuid: UUID, version: "latest" },
        options(server),
      ),
      { code: "ERR_LEGER_NOT_AUTHENTICATED" },
    );
  });
});

Deno.test("fetchLegerRunSource() resolves a release name with ?name=", async () => {
  await using server = await legerRun();
  const deployment = await fetchLegerRunSource(
    { userUuid: UUID, version: "latest", releaseName: "first" },
    options(server, { token: await server.issueToken({ user_uuid: UUID }) }),
  );
  strictEqual(deployment.name, "first");
  deepStrictEqual(deployment.source, {
    type: "leger.run",
    location: `${server.staticUrl}/${UUID}/v1/`,
    version: "v1",
    ref: "first",
  });
  deepStrictEqual(
    server.requests.slice(0, 2).map((r) => `${r.path}${r.query}`),
    ["/releases?name=first", "/releases/rel_1/deployment"],
  );
});

Deno.test("fetchLegerRunSource() refuses a file whose checksum does not match, returning nothing", async () => {
  await using server = await legerRun();
  server.staticFault({
    path: `${UUID}/v1/caddy.container`,
    fault: { type: "replace", body: "[Container]\nImage=evil\n" },
  });
  const served = await sha256Hex(
    new TextEncoder().encode("[Container]\nImage=evil\n"),
  );
  await rejects(
    fetchLegerRunSource({ userUuid: UUID, version: "v1" }, options(server)),
    {
      code: "ERR_CHECKSUM_MISMATCH",
      file: "caddy.container",
      message:
        `Cannot accept "caddy.container" from ${server.staticUrl}/${UUID}/v1/: its SHA-256 does not match manifest.json`,
      details: [
        "expected: cd11e2c41271a1c37df86060ea685fd590791ba7c1639b0138181df8947e25b4",
        `actual:   ${served}`,
      ],
    },
  );
  // The units the manifest lists were checked before any unit was read for references.
  ok(!staticRequests(server).includes("v1/llm.network"));
});

Deno.test("fetchLegerRunSource() retries a 500 and succeeds", async () => {
  await using server = await legerRun();
  server.staticFault({
    path: `${UUID}/v1/openwebui.container`,
    fault: { type: "status", status: 500 },
    times: 1,
  });
  server.staticFault({
    path: `${UUID}/v1/manifest.json`,
    fault: { type: "status", status: 503 },
    times: 2,
  });
  const delays: number[] = [];
  const deployment = await fetchLegerRunSource(
    { userUuid: UUID, version: "v1" },
    options(server, {
      delay: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    }),
  );
  strictEqual(deployment.normalisations?.length, V1_NORMALISATIONS.length);
  const asked = staticRequests(server);
  strictEqual(asked.filter((p) => p === "v1/manifest.json").length, 3);
  strictEqual(asked.filter((p) => p === "v1/openwebui.container").length, 2);
  deepStrictEqual(delays, [500, 1000, 500]);
});

Deno.test("fetchLegerRunSource() names the file when a fetch fails for good", async (t) => {
  const folder = (server: LegerRunServer) => `${server.staticUrl}/${UUID}/v1/`;
  const cases: {
    name: string;
    setUp(server: LegerRunServer): void;
    extra?: Partial<FetchLegerRunSourceOptions>;
    error(server: LegerRunServer): Record<string, unknown>;
    /** How often the failing path was asked for. */
    asked: [string, number];
  }[] = [
    {
      name: "a 404 is not retried",
      setUp: (server) => server.deleteStatic(`${UUID}/v1/cockpit.container`),
      error: (server) => ({
        code: "ERR_MANIFEST_FETCH_FAILED",
        message: `Cannot fetch "cockpit.container" from ${folder(server)}: ${
          folder(server)
        }cockpit.container answered HTTP 404 Not Found`,
        details: [],
      }),
      asked: ["v1/cockpit.container", 1],
    },
    {
      name: "a body cut short every time",
      setUp: (server) =>
        server.staticFault({
          path: `${UUID}/v1/litellm.container`,
          fault: { type: "truncate", after: 100 },
        }),
      error: (server) => ({
        code: "ERR_MANIFEST_FETCH_FAILED",
        message: `Cannot fetch "litellm.container" from ${folder(server)}: ${
          folder(server)
        }litellm.container sent 100 of the 807 bytes it announced (the body was cut short)`,
        details: ["tried 4 times"],
      }),
      asked: ["v1/litellm.container", 4],
    },
    {
      name: "a server that does not answer in time",
      setUp: (server) =>
        server.staticFault({
          path: `${UUID}/v1/qdrant.container`,
          fault: { type: "hold" },
        }),
      extra: { connectTimeoutMs: 20, retries: 1 },
      error: (server) => ({
        code: "ERR_MANIFEST_FETCH_FAILED",
        message: `Cannot fetch "qdrant.container" from ${folder(server)}: ${
          folder(server)
        }qdrant.container timed out: no answer within 20 ms`,
        details: ["tried 2 times"],
      }),
      asked: ["v1/qdrant.container", 2],
    },
    {
      name: "a download that stalls",
      setUp: (server) =>
        server.staticFault({
          path: `${UUID}/v1/caddy.container`,
          fault: { type: "hold", phase: "body" },
        }),
      extra: { fileTimeoutMs: 30, retries: 0 },
      error: (server) => ({
        code: "ERR_MANIFEST_FETCH_FAILED",
        message: `Cannot fetch "caddy.container" from ${folder(server)}: ${
          folder(server)
        }caddy.container timed out: the file did not arrive whole within 30 ms`,
      }),
      asked: ["v1/caddy.container", 1],
    },
    {
      name: "a network file the units reference but the folder lacks",
      setUp: (server) => server.deleteStatic(`${UUID}/v1/llm.network`),
      error: (server) => ({
        code: "ERR_MANIFEST_FETCH_FAILED",
        file: "caddy.container",
        line: 15,
        message:
          `Cannot fetch "llm.network", which Network= of "caddy.container" names at line 15: ${
            folder(server)
          }llm.network answered HTTP 404 Not Found`,
        remedy:
          `The rendered deployment is incomplete: deploy the release again in the web UI at ${server.webUrl}, then run the command again`,
      }),
      asked: ["v1/llm.network", 1],
    },
  ];
  for (const { name, setUp, extra, error, asked } of cases) {
    await t.step(name, async () => {
      await using server = await legerRun();
      setUp(server);
      await rejects(
        fetchLegerRunSource(
          { userUuid: UUID, version: "v1" },
          options(server, extra),
        ),
        error(server),
      );
      strictEqual(
        staticRequests(server).filter((p) => p === asked[0]).length,
        asked[1],
      );
    });
  }
});

Deno.test("fetchLegerRunSource() explains a version that does not exist", async () => {
  await using server = await legerRun();
  const folder = `${server.staticUrl}/${UUID}/v9/`;
  await rejects(
    fetchLegerRunSource({ userUuid: UUID, version: "v9" }, options(server)),
    {
      code: "ERR_MANIFEST_FETCH_FAILED",
      message:
        `Cannot fetch the manifest of ${folder}: ${folder}manifest.json answered HTTP 404 Not Found`,
      remedy:
        "No such version: `leger auth status` lists the versions of your leger.run space; pick one with `leger deploy install --version vN`",
    },
  );
  deepStrictEqual(staticRequests(server), ["v9/manifest.json"]);
});

Deno.test("fetchLegerRunSource() refuses an unsafe name in a manifest before downloading anything", async (t) => {
  const cases: [string, unknown][] = [
    ["a path in quadlet_file", {
      services: [{ name: "x", quadlet_file: "../../etc/passwd" }],
    }],
    ["a hidden file in the file-list form", {
      files: [{ name: ".bashrc", checksum: "0".repeat(64) }],
    }],
    ["a volume name with a slash", {
      services: [{
        name: "x",
        quadlet_file: "x.container",
        checksum: `sha256:${"0".repeat(64)}`,
      }],
      volumes: [{ name: "a/b" }],
    }],
  ];
  for (const [name, manifest] of cases) {
    await t.step(name, async () => {
      await using server = await legerRun();
      server.putStatic(`${UUID}/v5/manifest.json`, JSON.stringify(manifest));
      await rejects(
        fetchLegerRunSource({ userUuid: UUID, version: "v5" }, options(server)),
        { code: "ERR_UNSAFE_PATH" },
      );
      deepStrictEqual(staticRequests(server), ["v5/manifest.json"]);
    });
  }
});

Deno.test("fetchLegerRunSource() reads the file-list form of the manifest", async () => {
  await using server = await legerRun();
  const names = [...Deno.readDirSync(`${FIXTURES}/v1`)].map((e) => e.name)
    .filter((n) => n !== "manifest.json").sort();
  const files = await Promise.all(names.map(async (name) => {
    const bytes = await Deno.readFile(`${FIXTURES}/v1/${name}`);
    server.putStatic(`${UUID}/v3/${name}`, bytes);
    return {
      name,
      type: name.split(".").at(-1),
      checksum: await sha256Hex(bytes),
      size: bytes.length,
    };
  }));
  server.putStatic(
    `${UUID}/v3/manifest.json`,
    JSON.stringify({
      version: "1.0",
      release_id: "rel_3",
      user_uuid: UUID,
      generated_at: "2026-11-27T22:45:23.955Z",
      files,
      required_secrets: ["openai_api_key", "postgres_password"],
    }),
  );
  const deployment = await fetchLegerRunSource(
    { userUuid: UUID, version: "v3" },
    options(server),
  );
  strictEqual(deployment.manifest.form, "file-list");
  deepStrictEqual(deployment.normalisations, V1_NORMALISATIONS);
  strictEqual(deployment.files.length, 20);
  // Every file was listed: nothing was fetched twice or in a second round.
  strictEqual(staticRequests(server).length, 1 + names.length);
});

Deno.test("fetchLegerRunSource() fetches the files units reference, round after round", async () => {
  await using server = await legerRun();
  const put = async (name: string, body: string) => {
    server.putStatic(`${UUID}/v4/${name}`, body);
    return await sha256Hex(new TextEncoder().encode(body));
  };
  const web = [
    "[Unit]",
    "Requires=db.container",
    "[Container]",
    "Image=docker.io/caddy:2",
    "EnvironmentFile=web.env",
    "Volume=./conf/Caddyfile:/etc/caddy/Caddyfile:ro",
    "",
  ].join("\n");
  const webSha = await put("web.container", web);
  await put("web.env", "A=1\n");
  await put("conf/Caddyfile", ":80 {\n}\n");
  await put(
    "db.container",
    "[Container]\nImage=docker.io/postgres:16\nEnvironmentFile=db.env\nNetwork=app.network\n",
  );
  await put("db.env", "POSTGRES_DB=app\n");
  await put("app.network", "[Network]\n");
  server.putStatic(
    `${UUID}/v4/manifest.json`,
    JSON.stringify({
      version: 1,
      services: [{
        name: "web",
        quadlet_file: "web.container",
        checksum: `sha256:${webSha}`,
      }],
    }),
  );
  const deployment = await fetchLegerRunSource(
    { userUuid: UUID, version: "v4" },
    options(server),
  );
  deepStrictEqual(deployment.files.map((f) => f.path), [
    "app.network",
    "conf/Caddyfile",
    "db.container",
    "db.env",
    "web.container",
    "web.env",
  ]);
  deepStrictEqual(deployment.normalisations, []);
  // Round by round; the files of one round are fetched in parallel.
  const asked = staticRequests(server);
  deepStrictEqual(asked.slice(0, 2), ["v4/manifest.json", "v4/web.container"]);
  deepStrictEqual(asked.slice(2, 5).sort(), [
    "v4/conf/Caddyfile",
    "v4/db.container",
    "v4/web.env",
  ]);
  deepStrictEqual(asked.slice(5).sort(), ["v4/app.network", "v4/db.env"]);
});

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

/** Logs in as the fixtures' user by writing auth.json with a token the server issued. */
async function logIn(server: LegerRunServer, env: Record<string, string>) {
  const path = authFilePath({ home: env.HOME, env: (name) => env[name] });
  await saveAuthState(path, {
    token: await server.issueToken({ user_uuid: UUID }),
    token_type: "Bearer",
    expires_at: new Date(Date.now() + 3600_000).toISOString(),
    user_uuid: UUID,
    login_name: "alice@github",
    tailnet: "alice@github",
    device_hostname: "test-host",
    api_url: server.apiUrl,
  });
}

interface PlanDocument {
  deployment: string;
  source: Record<string, string>;
  normalisations: Normalisation[];
  errors: unknown[];
  valid: boolean;
  files: { name: string }[];
}

async function planJson(
  args: string[],
  env: Record<string, string>,
): Promise<PlanDocument> {
  const result = await runLeger(
    ["deploy", "install", ...args, "--dry-run", "--json"],
    { env },
  );
  let plan: PlanDocument;
  try {
    plan = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(
      `leger printed no JSON (exit ${result.code}): ${result.stderr}`,
      { cause: error },
    );
  }
  return plan;
}

Deno.test("leger deploy install --source <leger.run URL> --dry-run --json plans v1 with its normalisations and no errors", async () => {
  await using server = await legerRun();
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);
  const plan = await planJson(
    ["--source", `${server.staticUrl}/${UUID}/v1/`],
    env,
  );
  deepStrictEqual(plan.errors, []);
  strictEqual(plan.deployment, "leger-run");
  deepStrictEqual(plan.source, {
    type: "leger.run",
    location: `${server.staticUrl}/${UUID}/v1/`,
    version: "v1",
  });
  deepStrictEqual(plan.normalisations, V1_NORMALISATIONS);
  ok(plan.files.some((f) => f.name === "llm.network"));
});

Deno.test("leger deploy install --dry-run --json without --source plans the latest release of the logged-in user", async (t) => {
  await using server = await legerRun();
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);

  await t.step("not before a login", async () => {
    const result = await runLeger(
      ["deploy", "install", "--dry-run", "--json"],
      { env },
    );
    ok(result.stdout.includes("ERR_LEGER_NOT_AUTHENTICATED"), result.stdout);
  });

  await logIn(server, env);
  await t.step("latest", async () => {
    const plan = await planJson([], env);
    deepStrictEqual(plan.errors, []);
    deepStrictEqual(plan.source, {
      type: "leger.run",
      location: `${server.staticUrl}/${UUID}/latest/`,
      version: "v2",
    });
    strictEqual(plan.normalisations.length, V1_NORMALISATIONS.length - 3);
  });

  await t.step("--version v1", async () => {
    const plan = await planJson(["--version", "v1"], env);
    deepStrictEqual(plan.errors, []);
    strictEqual(plan.source.version, "v1");
    deepStrictEqual(plan.normalisations, V1_NORMALISATIONS);
  });

  await t.step("a release by name", async () => {
    const plan = await planJson(["first"], env);
    deepStrictEqual(plan.errors, []);
    strictEqual(plan.deployment, "first");
    strictEqual(plan.source.version, "v1");
    strictEqual(plan.source.ref, "first");
  });

  await t.step("--version v2", async () => {
    const plan = await planJson(["--version", "v2"], env);
    deepStrictEqual(plan.errors, []);
    deepStrictEqual(plan.source, {
      type: "leger.run",
      location: `${server.staticUrl}/${UUID}/v2/`,
      version: "v2",
    });
  });
});

// `leger staged stage` (stage only): `deploy update --dry-run` also plans the
// release against this host, where the fixture's ports 80 and 443 may be
// refused in the user scope.
Deno.test("leger staged stage of the user's space stages the new release, and leger diff shows exactly what changed", async () => {
  await using server = await LegerRunServer.start();
  await server.addStaticDir(`${UUID}/v1`, `${FIXTURES}/v1`);
  server.addRelease(UUID, { name: "first" });
  await using dir = await tempFolder();
  const env = cliEnv(server, dir.path);
  await logIn(server, env);
  // What an install of the space's latest release (v1 then) leaves as active.
  const v1 = await fetchLegerRunSource(
    { userUuid: UUID, version: "latest" },
    options(server, {
      token: await server.issueToken({ user_uuid: UUID }),
    }),
  );
  await writeDeploymentFolder(
    `${dir.path}/data/bluebuild-quadlets/active/${v1.name}`,
    {
      deployment: v1.name,
      source: v1.source,
      fetched_at: "2026-11-27T00:00:00.000Z",
      files: v1.files.map((f) => ({ name: f.path, sha256: f.sha256 })),
      normalisations: v1.normalisations ?? [],
    },
    new Map(v1.files.map((f) => [f.path, f.bytes])),
  );
  // The user renders a second release in the web UI.
  await server.addStaticDir(`${UUID}/v2`, `${FIXTURES}/v2`);
  server.addRelease(UUID, { name: "second" });

  const update = await runLeger([
    "staged",
    "stage",
    v1.name,
    "--scope",
    "user",
  ], { env });
  strictEqual(update.code, 0, update.stderr);
  const diff = await runLeger(["diff", "--json", "--scope", "user"], { env });
  strictEqual(diff.code, 0, diff.stderr);
  const document = JSON.parse(diff.stdout);
  strictEqual(document.active.version, "v1");
  strictEqual(document.staged.version, "v2");
  deepStrictEqual(
    document.files.map((
      f: { name: string; status: string },
    ) => [f.name, f.status]),
    [
      ["litellm.container", "modified"],
      ["llm.network", "modified"],
      ["qdrant.container", "removed"],
      ["qdrant.volume", "removed"],
    ],
  );
  const removed = (name: string) =>
    document.files.find((f: { name: string }) => f.name === name).patch.split(
      "\n",
    )
      .filter((line: string) =>
        line.startsWith("-") && !line.startsWith("---")
      );
  deepStrictEqual(removed("litellm.container"), [
    "-# Secrets",
    "-Secret=openai_api_key",
    "-",
  ]);
  deepStrictEqual(removed("llm.network"), ["-Subnet=10.89.0.0/24"]);
  ok(
    document.normalisations.length > 0,
    "the staged release lists its normalisations",
  );
  const human = await runLeger(["diff", "--scope", "user"], { env });
  ok(human.stdout.includes("Normalisations ("), human.stdout);
});

Deno.test("leger reads leger.run's addresses from its config file when the environment names none", async () => {
  await using server = await legerRun();
  await using dir = await tempFolder();
  const { LEGER_API_URL: _a, LEGER_STATIC_URL: _s, LEGER_WEB_URL: _w, ...env } =
    cliEnv(server, dir.path);
  await Deno.mkdir(`${env.XDG_CONFIG_HOME}/leger`, { recursive: true });
  await Deno.writeTextFile(
    `${env.XDG_CONFIG_HOME}/leger/config.yaml`,
    `# a local leger.run\napi_url: ${server.apiUrl}\nstatic_url: ${server.staticUrl}\nweb_url: ${server.webUrl}\n`,
  );
  const plan = await planJson(
    ["--source", `${server.staticUrl}/${UUID}/v1/`],
    env,
  );
  deepStrictEqual(plan.errors, []);
  strictEqual(plan.source.version, "v1");
});
