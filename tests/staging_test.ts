import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { readLocalSource } from "../lib/source/read_local_source.ts";
import { stageDeployment } from "../lib/deploy/stage_deployment.ts";
import { writeDeploymentFolder } from "../lib/state/deployment_folder.ts";
import type { DiffDocument } from "../cli/commands/diff.ts";
import { listTree, tempFolder } from "./_folders.ts";
import { runLeger, TESTDATA } from "./_leger.ts";

const RENDERED = `${TESTDATA}/leger-run-rendered`;

async function userHome() {
  const home = await tempFolder();
  const env = {
    HOME: home.path,
    XDG_CONFIG_HOME: `${home.path}/config`,
    XDG_DATA_HOME: `${home.path}/data`,
  };
  return { home, env, workDir: `${home.path}/data/bluebuild-quadlets` };
}

async function leger(args: string[], env: Record<string, string>) {
  const result = await runLeger([...args, "--scope", "user"], { env });
  return result;
}

/** Makes `version` of the rendered fixtures the active one, as an install will. */
async function activate(version: string, workDir: string, name: string) {
  const deployment = await readLocalSource(`${RENDERED}/${version}`);
  await writeDeploymentFolder(
    `${workDir}/active/${name}`,
    {
      deployment: name,
      source: deployment.source,
      fetched_at: "2026-11-27T00:00:00.000Z",
      files: deployment.files.map((f) => ({ name: f.path, sha256: f.sha256 })),
      normalisations: [],
    },
    new Map(deployment.files.map((f) => [f.path, f.bytes])),
  );
}

async function stage(version: string, workDir: string, name: string) {
  const deployment = await readLocalSource(`${RENDERED}/${version}`);
  return await stageDeployment({ ...deployment, name }, {
    dir: `${workDir}/staged/${name}`,
    now: new Date("2026-11-27T12:00:00Z"),
  });
}

Deno.test("leger diff shows every file as added before anything is installed", async () => {
  const { home, env, workDir } = await userHome();
  await using _ = home;
  await stage("v1", workDir, "llm");
  const result = await leger(["diff", "--json"], env);
  strictEqual(result.code, 0, result.stderr);
  const doc: DiffDocument = JSON.parse(result.stdout);
  strictEqual(doc.deployment, "llm");
  strictEqual(doc.active, null);
  strictEqual(doc.summary.added, 20);
  ok(doc.files.every((f) => f.status === "added"));
});

Deno.test("leger diff from v1 to v2 shows exactly the changes of the update", async () => {
  const { home, env, workDir } = await userHome();
  await using _ = home;
  await activate("v1", workDir, "llm");
  await stage("v2", workDir, "llm");
  const result = await leger(["diff", "llm", "--json"], env);
  strictEqual(result.code, 0, result.stderr);
  const doc: DiffDocument = JSON.parse(result.stdout);
  deepStrictEqual(doc.files.map((f) => [f.name, f.status]), [
    ["litellm.container", "modified"],
    ["llm.network", "modified"],
    ["qdrant.container", "removed"],
    ["qdrant.volume.volume", "removed"],
  ]);
  deepStrictEqual(doc.summary, {
    modified: 2,
    added: 0,
    removed: 2,
    unchanged: 16,
  });
  const removedLines = (name: string) =>
    doc.files.find((f) => f.name === name)!.patch.split("\n")
      .filter((line) => line.startsWith("-") && !line.startsWith("---"));
  deepStrictEqual(removedLines("litellm.container"), [
    "-# Secrets",
    "-Secret=openai_api_key",
    "-",
  ]);
  deepStrictEqual(removedLines("llm.network"), ["-Subnet=10.89.0.0/24"]);

  const human = await leger(["diff", "llm"], env);
  match(human.stdout, /^-Secret=openai_api_key$/m);
  match(
    human.stdout,
    /llm: active 1 → staged 1: 2 modified, 0 added, 2 removed, 16 unchanged/,
  );
});

Deno.test("leger staged list compares staged and active versions", async () => {
  const { home, env, workDir } = await userHome();
  await using _ = home;
  const empty = await leger(["staged", "list", "--json"], env);
  deepStrictEqual(JSON.parse(empty.stdout), []);
  await activate("v1", workDir, "llm");
  await stage("v2", workDir, "llm");
  await stage("v1", workDir, "other");
  const result = await leger(["staged", "list", "--json"], env);
  strictEqual(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout);
  deepStrictEqual(
    rows.map((
      r: { deployment: string; active_version: string | null },
    ) => [r.deployment, r.active_version]),
    [
      ["llm", "1"],
      ["other", null],
    ],
  );
  const human = await leger(["staged", "list"], env);
  match(
    human.stdout,
    /^other\t1\t\(not installed\)\t.*v1\t2026-11-27T12:00:00\.000Z$/m,
  );
});

Deno.test("leger diff names the staged deployments when it cannot choose", async () => {
  const { home, env, workDir } = await userHome();
  await using _ = home;
  await stage("v1", workDir, "a");
  await stage("v2", workDir, "b");
  const result = await leger(["diff"], env);
  strictEqual(result.code, 1);
  match(result.stderr, /2 are staged \(a, b\)/);
  match(result.stderr, /\[ERR_DEPLOYMENT_NOT_FOUND\]/);
  const missing = await leger(["diff", "c"], env);
  match(
    missing.stderr,
    /Cannot find the staged deployment "c" in the user scope: staged are a, b\n/,
  );
});

Deno.test("leger config show describes the active deployment", async () => {
  const { home, env, workDir } = await userHome();
  await using _ = home;
  await activate("v1", workDir, "llm");
  const result = await leger(["config", "show", "llm", "--json"], env);
  strictEqual(result.code, 0, result.stderr);
  const doc = JSON.parse(result.stdout);
  strictEqual(doc.deployment, "llm");
  strictEqual(doc.state, "active");
  ok(doc.secrets_required.includes("openai_api_key"));
  ok(
    doc.services.some((s: { unit: string }) =>
      s.unit === "openwebui.container"
    ),
  );
});

Deno.test("leger deploy update --dry-run fetches the recorded source again, stages it and shows the diff", async () => {
  const { home, env, workDir } = await userHome();
  await using _ = home;
  await using source = await tempFolder({
    ".leger.yaml": "name: web\n",
    "web.container": "[Container]\nImage=docker.io/library/nginx:1.26\n",
  });
  const deployment = await readLocalSource(source.path);
  await stageDeployment(deployment, {
    dir: `${workDir}/staged/${deployment.name}`,
    now: new Date(),
  });
  await Deno.writeTextFile(
    `${source.path}/web.container`,
    "[Container]\nImage=docker.io/library/nginx:1.27\n",
  );
  const before = await listTree(`${home.path}/config`);
  const result = await leger(["deploy", "update", "web", "--dry-run"], env);
  strictEqual(result.code, 0, result.stderr);
  match(result.stdout, /^\+Image=docker\.io\/library\/nginx:1\.27$/m);
  match(result.stderr, /nothing was applied/);
  const staged = await Deno.readTextFile(`${workDir}/staged/web/web.container`);
  match(staged, /nginx:1\.27/);
  deepStrictEqual(
    await listTree(`${home.path}/config`),
    before,
    "no unit was installed",
  );
});
