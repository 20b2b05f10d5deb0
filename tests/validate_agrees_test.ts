// `leger validate` and `leger deploy install --dry-run`, run as the shipped
// binary runs, see every check the install makes against the host: files
// already in the quadlet folder, drop-ins that reach other deployments, ports
// written with ${VAR}, missing Podman secrets, and the unit contents Podman's
// generator alone used to catch. (That the install then refuses the same is
// tested in-process in cli/commands/deploy/plan_test.ts: as root a real
// user-scope install is refused for its scope first.)
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import type { DeploymentPlan } from "../lib/deploy/plan_types.ts";
import { writeDeployments } from "../lib/state/deployments_file.ts";
import { tempFolder } from "./_folders.ts";
import { runLeger } from "./_leger.ts";

/** A user-scope home with another deployment ("blog") installed in it. */
async function homeWithBlog(files: Record<string, string>) {
  const home = await tempFolder();
  const env = {
    HOME: home.path,
    XDG_CONFIG_HOME: `${home.path}/config`,
    XDG_DATA_HOME: `${home.path}/data`,
  };
  const quadletDir = `${env.XDG_CONFIG_HOME}/containers/systemd`;
  await Deno.mkdir(quadletDir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    const file = `${quadletDir}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  const stateDir = `${env.XDG_DATA_HOME}/leger`;
  await Deno.mkdir(stateDir, { recursive: true });
  if (Object.keys(files).length > 0) {
    const names = Object.keys(files).sort();
    await writeDeployments(stateDir, [{
      name: "blog",
      scope: "user",
      source: { type: "local", location: "/srv/blog" },
      installed_at: "2026-11-30T12:00:00.000Z",
      files: names.map((name) => ({ name, sha256: "0".repeat(64) })),
      units: names.filter((n) => n.endsWith(".container")),
      services: names.filter((n) => n.endsWith(".container")).map((n) =>
        n.replace(/\.container$/, ".service")
      ),
      volumes: [],
    }]);
  }
  return { home, env, quadletDir };
}

/** The plan `validate --json` and `deploy install --dry-run --json` print, which must be the same. */
async function plans(
  source: string,
  env: Record<string, string>,
): Promise<{ code: number; plan: DeploymentPlan }> {
  const validate = await runLeger(
    ["validate", source, "--json", "--scope", "user"],
    { env },
  );
  const dryRun = await runLeger([
    "deploy",
    "install",
    "--source",
    source,
    "--dry-run",
    "--json",
    "--scope",
    "user",
  ], { env });
  strictEqual(validate.code, dryRun.code, dryRun.stderr);
  const plan = JSON.parse(validate.stdout);
  deepStrictEqual(JSON.parse(dryRun.stdout), plan);
  return { code: validate.code, plan };
}

const SITE = (name: string) =>
  `[Container]\nImage=localhost/bb:latest\nVolume=./site:/srv:ro\n# ${name}\n`;

Deno.test("validate and --dry-run refuse a file of another deployment that Volume=./site would share", async () => {
  const { home, env, quadletDir } = await homeWithBlog({
    "blog.container": SITE("blog"),
    "site/index.html": "<h1>blog</h1>\n",
  });
  await using _ = home;
  await using shop = await tempFolder({
    "shop.container": SITE("shop"),
    "site/index.html": "<h1>shop</h1>\n",
  });
  const { code, plan } = await plans(shop.path, env);
  strictEqual(code, 1);
  strictEqual(plan.valid, false);
  deepStrictEqual(plan.errors.map((e) => [e.code, e.file]), [[
    "ERR_NAME_CONFLICT",
    "site/index.html",
  ]]);
  strictEqual(
    plan.errors[0].message,
    `Cannot install "site/index.html": "site/index.html" is already in the quadlet folder (${quadletDir}/site/index.html) and belongs to deployment "blog"; --force does not overwrite it`,
  );
  const human = await runLeger(
    ["validate", shop.path, "--scope", "user"],
    { env },
  );
  strictEqual(human.code, 1);
  match(
    human.stdout,
    /site\/index\.html: Cannot install "site\/index\.html"[^\n]*\[ERR_NAME_CONFLICT\]\n {4}fix: Podman resolves Volume=\.\/site against the quadlet folder, which every deployment shares: rename site \(and Volume=\.\/site\)/,
  );
  match(human.stdout, /✗ "[^"]+" is not ready to install: 1 error/);
});

Deno.test("validate and --dry-run report a drop-in that reaches another deployment's units", async () => {
  const { home, env } = await homeWithBlog({
    "blog.container": "[Container]\nImage=localhost/bb:latest\n",
  });
  await using _ = home;
  await using shop = await tempFolder({
    "shop.container": "[Container]\nImage=localhost/bb:latest\n",
    "container.d/10-common.conf": "[Container]\nLabel=team=shop\n",
  });
  const { code, plan } = await plans(shop.path, env);
  strictEqual(code, 1);
  strictEqual(plan.valid, true);
  deepStrictEqual(plan.conflicts.map((c) => [c.code, c.file]), [[
    "ERR_DROPIN_SCOPE",
    "container.d/10-common.conf",
  ]]);
  match(
    plan.conflicts[0].message,
    /Podman applies container\.d\/ to every \.container unit, so they would also change 1 unit outside "[^"]+": blog\.container \(deployment "blog"\)/,
  );
});

Deno.test("validate and --dry-run check a port written as ${WEB_PORT} against the port systemd will publish", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const { home, env } = await homeWithBlog({});
  await using _ = home;
  await using web = await tempFolder({
    "web.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "PublishPort=127.0.0.1:${WEB_PORT}:8080",
      "[Service]",
      `Environment=WEB_PORT=${port}`,
      "",
    ].join("\n"),
  });
  const { code, plan } = await plans(web.path, env);
  strictEqual(code, 1);
  deepStrictEqual(plan.conflicts.map((c) => [c.code, c.file, c.line]), [[
    "ERR_PORT_CONFLICT",
    "web.container",
    3,
  ]]);
  match(plan.conflicts[0].message, new RegExp(`host port ${port}/tcp`));
  strictEqual(plan.services[0].ports[0].host_port, String(port));
});

Deno.test("validate warns where it cannot resolve a variable, naming the line", async () => {
  const { home, env } = await homeWithBlog({});
  await using _ = home;
  await using web = await tempFolder({
    "web.container": [
      "[Container]",
      "Image=localhost/bb:latest",
      "Environment=WEB_PORT=18103",
      "PublishPort=127.0.0.1:${WEB_PORT}:8080",
      "Environment=EXTRA_FLAGS=--alpha=1 --beta=2",
      "",
    ].join("\n"),
  });
  const { code, plan } = await plans(web.path, env);
  strictEqual(code, 0);
  deepStrictEqual(plan.warnings.map((w) => [w.code, w.file, w.line]), [
    ["ERR_UNIT_INVALID_VALUE", "web.container", 4],
    ["ERR_UNIT_INVALID_VALUE", "web.container", 5],
  ]);
  match(
    plan.warnings[0].message,
    /no Environment= in \[Service\] sets \$\{WEB_PORT\}/,
  );
  strictEqual(
    plan.warnings[1].remedy,
    'Quote each assignment: Environment="EXTRA_FLAGS=--alpha=1 --beta=2"',
  );
});

Deno.test("validate and --dry-run list the Podman secrets this host lacks, with the command that creates them", async () => {
  const { home, env } = await homeWithBlog({});
  await using _ = home;
  // A name no host has, so that the test does not depend on the host's secrets.
  const secret = `leger_test_missing_${crypto.randomUUID().slice(0, 8)}`;
  await using web = await tempFolder({
    "web.container":
      `[Container]\nImage=localhost/bb:latest\nSecret=${secret},type=env,target=TOKEN\n`,
  });
  const { code, plan } = await plans(web.path, env);
  strictEqual(code, 0);
  deepStrictEqual(plan.secrets_missing, [secret]);
  for (
    const argv of [["validate"], ["deploy", "install", "--dry-run", "--source"]]
  ) {
    const human = await runLeger([...argv, web.path, "--scope", "user"], {
      env,
    });
    strictEqual(human.code, 0, human.stderr);
    ok(
      human.stdout.includes(
        `Secrets missing on this host (1): ${secret}\n`,
      ),
      human.stdout,
    );
    ok(
      human.stdout.includes(
        `Add one leger.run does not have with \`leger secrets set ${secret}\``,
      ),
      human.stdout,
    );
  }
});

Deno.test("validate catches what only Podman's generator used to catch", async (t) => {
  const bom = new Uint8Array([
    0xef,
    0xbb,
    0xbf,
    ...new TextEncoder().encode("[Container]\nImage=localhost/bb:latest\n"),
  ]);
  const cases: {
    name: string;
    files: Record<string, string | Uint8Array>;
    error: [string, string, number | null];
  }[] = [
    {
      name: "a byte order mark",
      files: { "web.container": bom },
      error: ["ERR_UNIT_SYNTAX", "web.container", 1],
    },
    {
      name: "web.container.d as a file",
      files: {
        "web.container": "[Container]\nImage=localhost/bb:latest\n",
        "web.container.d": "[Container]\nLabel=a=b\n",
      },
      error: ["ERR_UNIT_NAME_INVALID", "web.container.d", null],
    },
    {
      name: "a NUL byte in a value",
      files: {
        "web.container":
          "[Container]\nImage=localhost/bb:latest\nEnvironment=A=x\u0000y\n",
      },
      error: ["ERR_UNIT_INVALID_VALUE", "web.container", 3],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const { home, env } = await homeWithBlog({});
      await using _ = home;
      await using folder = await tempFolder();
      for (const [path, content] of Object.entries(c.files)) {
        const file = `${folder.path}/${path}`;
        if (typeof content === "string") {
          await Deno.writeTextFile(file, content);
        } else await Deno.writeFile(file, content);
      }
      const { code, plan } = await plans(folder.path, env);
      strictEqual(code, 1);
      deepStrictEqual(
        plan.errors.map((e) => [e.code, e.file, e.line ?? null]),
        [c.error],
      );
    });
  }
});
