import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import type { DeploymentPlan } from "../lib/deploy/plan_types.ts";
import { freePort } from "./_free_port.ts";
import { listTree, tempFolder } from "./_folders.ts";
import { ROOT, runLeger, TESTDATA } from "./_leger.ts";

// The port is checked against this host: one nothing listens on.
const WEB = `[Container]
Image=localhost/bb:latest
PublishPort=127.0.0.1:${freePort()}:80
Secret=web_token,type=env,target=TOKEN
Volume=data.volume:/data
Network=app.network
`;

/** A user-scope home so that tests see only the quadlet folder they make. */
async function userHome() {
  const home = await tempFolder();
  return {
    home,
    env: {
      HOME: home.path,
      XDG_CONFIG_HOME: `${home.path}/config`,
      XDG_DATA_HOME: `${home.path}/data`,
    },
  };
}

async function planJson(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; plan: DeploymentPlan; stderr: string }> {
  const result = await runLeger([...args, "--json", "--scope", "user"], {
    env,
  });
  return {
    code: result.code,
    plan: JSON.parse(result.stdout),
    stderr: result.stderr,
  };
}

Deno.test("deploy install --dry-run --json plans the built-in example", async () => {
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(
    ["deploy", "install", "--source", `${ROOT}/examples/reader`, "--dry-run"],
    env,
  );
  strictEqual(code, 0);
  strictEqual(plan.deployment, "leger-demo-reader");
  deepStrictEqual(plan.source, {
    type: "local",
    location: `${ROOT}/examples/reader`,
    version: "1.0.0",
  });
  strictEqual(plan.scope, "user");
  strictEqual(plan.valid, true);
  deepStrictEqual(plan.errors, []);
  deepStrictEqual(plan.conflicts, []);
  deepStrictEqual(plan.secrets_required, [
    "reader_admin_password",
    "reader_database_url",
    "reader_db_password",
  ]);
  const caddy = plan.services.find((s) => s.unit === "caddy.container")!;
  deepStrictEqual(caddy.ports, [{
    host_ip: "127.0.0.1",
    host_port: "8480",
    container_port: "80",
    protocol: "tcp",
  }]);
  const postgres = plan.services.find((s) => s.unit === "postgres.container")!;
  deepStrictEqual(postgres.volumes, ["leger-demo-reader-db"]);
  deepStrictEqual(postgres.secrets, [{
    name: "reader_db_password",
    type: "env",
    target: "POSTGRES_PASSWORD",
  }]);
  strictEqual(
    plan.services.find((s) => s.unit === "reader-db.volume")?.service,
    "reader-db-volume.service",
  );
  const files = plan.files.map((f) => f.name);
  ok(files.includes("miniflux.container.d/10-limits.conf"));
  ok(!files.includes(".leger.yaml"), "metadata is not installed");
  for (const file of plan.files) match(file.sha256, /^[0-9a-f]{64}$/);
});

Deno.test("deploy install --dry-run changes nothing on the host", async () => {
  const { home, env } = await userHome();
  await using _ = home;
  const before = await listTree(home.path);
  const result = await runLeger(
    [
      "deploy",
      "install",
      "--source",
      `${ROOT}/examples/reader`,
      "--dry-run",
      "--scope",
      "user",
    ],
    { env },
  );
  strictEqual(result.code, 0, result.stderr);
  match(result.stdout, /Deployment "leger-demo-reader"/);
  match(
    result.stdout,
    /caddy\.container\tcaddy\.service\tdocker\.io\/library\/caddy:2\.8-alpine\t127\.0\.0\.1:8480->80\/tcp/,
  );
  match(
    result.stdout,
    /Secrets required: reader_admin_password, reader_database_url, reader_db_password/,
  );
  match(result.stderr, /Dry run: nothing was changed/);
  deepStrictEqual(await listTree(home.path), before);
});

Deno.test(
  "deploy install without a terminal asks for --yes and installs nothing",
  {
    ignore: Deno.uid() !== 0,
  },
  async () => {
    const before = await listTree("/etc/containers/systemd");
    const result = await runLeger([
      "deploy",
      "install",
      "--source",
      `${ROOT}/examples/reader`,
    ]);
    strictEqual(result.code, 2);
    match(result.stderr, /not running in a terminal/);
    match(result.stderr, /Pass --yes/);
    match(result.stderr, /\[ERR_CONFIRMATION_REQUIRED\]/);
    deepStrictEqual(await listTree("/etc/containers/systemd"), before);
  },
);

Deno.test(
  "deploy install refuses a host whose Podman has no Quadlet, before changing anything",
  {
    ignore: Deno.uid() !== 0 || !hasPodman() || hasQuadletCommand(),
  },
  async () => {
    const before = await listTree("/etc/containers/systemd");
    const result = await runLeger([
      "deploy",
      "install",
      "--source",
      `${ROOT}/examples/reader`,
      "--yes",
    ]);
    strictEqual(result.code, 1);
    match(
      result.stderr,
      /Cannot install quadlets with Podman 4\.[0-3]|systemd is not running/,
    );
    deepStrictEqual(await listTree("/etc/containers/systemd"), before);
  },
);

Deno.test("validate reports secrets of drop-ins, sorted and unique", async () => {
  await using folder = await tempFolder({
    "web.container": WEB,
    "web.container.d/20-more.conf":
      "[Container]\nSecret=api_key\nSecret=web_token\n",
    "data.volume": "[Volume]\n",
    "app.network": "[Network]\n",
  });
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(["validate", folder.path], env);
  strictEqual(code, 0);
  deepStrictEqual(plan.secrets_required, ["api_key", "web_token"]);
  deepStrictEqual(plan.volumes, ["systemd-data"]);
  deepStrictEqual(plan.networks, ["systemd-app"]);
  strictEqual(plan.deployment, folder.path.split("/").pop());
});

Deno.test("validate names the file, line and fix of an unknown key", async () => {
  await using folder = await tempFolder({
    "web.container": "[Container]\nImage=busybox\nPublishPorts=8080:80\n",
  });
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(["validate", folder.path], env);
  strictEqual(code, 1);
  strictEqual(plan.valid, false);
  strictEqual(plan.errors.length, 1);
  const [error] = plan.errors;
  strictEqual(error.code, "ERR_UNIT_UNKNOWN_KEY");
  strictEqual(error.file, "web.container");
  strictEqual(error.line, 3);
  match(error.remedy ?? "", /PublishPort/);

  const human = await runLeger(["validate", folder.path, "--scope", "user"], {
    env,
  });
  strictEqual(human.code, 1);
  match(
    human.stdout,
    /web\.container:3: .*PublishPorts.*\[ERR_UNIT_UNKNOWN_KEY\]/,
  );
  match(human.stdout, /fix: .*PublishPort/);
});

Deno.test("validate reports a syntax error with its line and keeps checking other units", async () => {
  await using folder = await tempFolder({
    "a.container": "[Container]\nImage=busybox\nthis is not a key\n",
    "b.container": "[Container]\n",
  });
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(["validate", folder.path], env);
  strictEqual(code, 1);
  deepStrictEqual(
    plan.errors.map((e) => [e.code, e.file, e.line]),
    // A missing key is reported at the header of the section that lacks it.
    [["ERR_UNIT_SYNTAX", "a.container", 3], [
      "ERR_UNIT_MISSING_KEY",
      "b.container",
      1,
    ]],
  );
});

Deno.test("validate finds a port already listened on", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  await using folder = await tempFolder({
    "web.container": `[Container]\nImage=busybox\nPublishPort=${port}:80\n`,
  });
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(["validate", folder.path], env);
  strictEqual(code, 1);
  strictEqual(plan.valid, true, "a conflict is not a unit error");
  strictEqual(plan.conflicts.length, 1);
  strictEqual(plan.conflicts[0].code, "ERR_PORT_CONFLICT");
  strictEqual(plan.conflicts[0].file, "web.container");
  match(plan.conflicts[0].message, new RegExp(`${port}`));
});

Deno.test("validate finds a port published by a unit installed outside the deployment", async () => {
  const { home, env } = await userHome();
  await using _ = home;
  await Deno.mkdir(`${env.XDG_CONFIG_HOME}/containers/systemd`, {
    recursive: true,
  });
  // A port nothing on this host listens on: the conflict is the unit's only.
  const port = freePort();
  await Deno.writeTextFile(
    `${env.XDG_CONFIG_HOME}/containers/systemd/metabase.container`,
    `[Container]\nImage=metabase\nPublishPort=0.0.0.0:${port}:3000\n`,
  );
  await using folder = await tempFolder({
    "grafana.container":
      `[Container]\nImage=grafana\nPublishPort=127.0.0.1:${port}:3000\n`,
  });
  const { code, plan } = await planJson(["validate", folder.path], env);
  strictEqual(code, 1);
  deepStrictEqual(plan.conflicts.map((c) => [c.code, c.file]), [[
    "ERR_PORT_CONFLICT",
    "grafana.container",
  ]]);
  match(plan.conflicts[0].message, /metabase\.container/);
});

Deno.test("validate finds a Podman volume that exists outside the deployment", {
  ignore: Deno.uid() !== 0 || !hasPodman(),
}, async () => {
  const name = `leger-test-${crypto.randomUUID().slice(0, 8)}`;
  await run("podman", ["volume", "create", name]);
  try {
    await using folder = await tempFolder({
      "data.volume": `[Volume]\nVolumeName=${name}\n`,
    });
    // Root's own podman: the system scope is where its volumes are.
    const result = await runLeger([
      "validate",
      folder.path,
      "--json",
      "--scope",
      "system",
    ]);
    const plan: DeploymentPlan = JSON.parse(result.stdout);
    strictEqual(result.code, 1);
    deepStrictEqual(plan.conflicts.map((c) => [c.code, c.file]), [[
      "ERR_VOLUME_CONFLICT",
      "data.volume",
    ]]);
  } finally {
    await run("podman", ["volume", "rm", name]);
  }
});

Deno.test("validate of a missing folder fails with the path and still prints one JSON document", async () => {
  const { home, env } = await userHome();
  await using _ = home;
  const missing = `${home.path}/nope`;
  const human = await runLeger(["validate", missing], { env });
  strictEqual(human.code, 1);
  match(human.stderr, /nope/);
  match(human.stderr, /\[ERR_SOURCE_NOT_FOUND\]/);
  const { code, plan } = await planJson(["validate", missing], env);
  strictEqual(code, 1);
  strictEqual(plan.valid, false);
  strictEqual(plan.errors[0].code, "ERR_SOURCE_NOT_FOUND");
});

Deno.test("validate refuses a symlink that leaves the folder", async () => {
  await using outside = await tempFolder({ "secret.txt": "x" });
  await using folder = await tempFolder({
    "web.container": "[Container]\nImage=busybox\n",
  });
  await Deno.symlink(`${outside.path}/secret.txt`, `${folder.path}/web.env`);
  const result = await runLeger(["validate", folder.path]);
  strictEqual(result.code, 1);
  match(result.stderr, /web\.env/);
  match(result.stderr, /\[ERR_UNSAFE_PATH\]/);
});

Deno.test("validate verifies the checksums of a manifest and changes nothing on mismatch", async () => {
  await using folder = await tempFolder({
    "web.container": "[Container]\nImage=busybox\n",
    "manifest.json": JSON.stringify({
      version: 1,
      created_at: "2025-10-16T12:00:00Z",
      user_uuid: "u",
      services: [{
        name: "web",
        quadlet_file: "web.container",
        checksum: `sha256:${"0".repeat(64)}`,
      }],
    }),
  });
  const result = await runLeger(["validate", folder.path]);
  strictEqual(result.code, 1);
  match(result.stderr, /web\.container/);
  match(result.stderr, /\[ERR_CHECKSUM_MISMATCH\]/);
});

Deno.test("validate reports the leger.run defects of a rendered deployment as it is served", async () => {
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson([
    "validate",
    `${TESTDATA}/leger-run-rendered/v1`,
  ], env);
  strictEqual(code, 1);
  const codes = new Set(plan.errors.map((e) => e.code));
  ok(
    codes.has("ERR_UNIT_MISSING_REFERENCE"),
    JSON.stringify(plan.errors, null, 1),
  );
  ok(
    plan.errors.some((e) =>
      /llm-network\.service/.test(`${e.message} ${e.remedy}`)
    ),
  );
});

/** Podman 5.6+ on this machine (the e2e tests cover installing there). */
function hasQuadletCommand(): boolean {
  const { stdout } = new Deno.Command("podman", {
    args: ["--version"],
    stdout: "piped",
  }).outputSync();
  const [major, minor] = new TextDecoder().decode(stdout).replace(/^\D+/, "")
    .split(".").map(Number);
  return major > 5 || (major === 5 && minor >= 6);
}

function hasPodman(): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/podman`).isFile;
    } catch {
      return false;
    }
  });
}

async function run(bin: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(bin, {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `${bin} ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`,
    );
  }
}

Deno.test("validate passes on what Podman's own generator says about a unit", {
  ignore: !exists("/usr/libexec/podman/quadlet") &&
    !exists("/usr/lib/podman/quadlet"),
}, async () => {
  await using folder = await tempFolder({
    "web.container": "[Container]\nImage=busybox\n",
  });
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(["validate", folder.path], env);
  strictEqual(code, 0, "a warning does not make a deployment invalid");
  strictEqual(plan.warnings.length, 1);
  strictEqual(plan.warnings[0].code, "ERR_QUADLET_GENERATOR");
  strictEqual(plan.warnings[0].file, "web.container");
  match(plan.warnings[0].message, /not a fully qualified image name/);
});

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

Deno.test("deploy install NAME --source names the deployment", async () => {
  const { home, env } = await userHome();
  await using _ = home;
  const { code, plan } = await planJson(
    [
      "deploy",
      "install",
      "reader-test",
      "--source",
      `${ROOT}/examples/reader`,
      "--dry-run",
    ],
    env,
  );
  strictEqual(code, 0);
  strictEqual(plan.deployment, "reader-test");
});
