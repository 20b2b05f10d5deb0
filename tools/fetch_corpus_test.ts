/**
 * `deno task fetch-corpus`, run with the task's own permission flags against
 * a local repository shaped like Podman's (the real one needs the network).
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { listTree, tempFolder } from "../tests/_folders.ts";
import { spawnCaptured } from "../tests/_spawn.ts";
import { CORPUS_DEST, CORPUS_PATH } from "./fetch_corpus.ts";

const SCRIPT = new URL("./fetch_corpus.ts", import.meta.url).pathname;

/** The `deno run` flags of the fetch-corpus task. */
const FLAGS = denoJson.tasks["fetch-corpus"].split(/\s+/)
  .filter((word) => word.startsWith("--allow-"));

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await spawnCaptured("git", [
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.invalid",
    "-c",
    "init.defaultBranch=main",
    ...args,
  ], { cwd });
  strictEqual(result.code, 0, result.stderr);
  return result.stdout.trim();
}

/**
 * A repository with the corpus folder and files beside it at its first
 * commit, and a second commit that changes the corpus.
 */
async function podmanLike(path: string): Promise<{ first: string }> {
  await Deno.mkdir(`${path}/${CORPUS_PATH}/web.container.d`, {
    recursive: true,
  });
  await Deno.mkdir(`${path}/pkg/systemd/quadlet`, { recursive: true });
  await Deno.writeTextFile(`${path}/README.md`, "podman\n");
  await Deno.writeTextFile(`${path}/pkg/systemd/quadlet/quadlet.go`, "//\n");
  await Deno.writeTextFile(
    `${path}/${CORPUS_PATH}/web.container`,
    "[Container]\nImage=localhost/web\n",
  );
  await Deno.writeTextFile(
    `${path}/${CORPUS_PATH}/web.container.d/10-env.conf`,
    "[Container]\nEnvironment=A=1\n",
  );
  await git(path, "init", "-q");
  await git(path, "add", ".");
  await git(path, "commit", "-q", "-m", "first");
  const first = await git(path, "rev-parse", "HEAD");
  await Deno.writeTextFile(`${path}/${CORPUS_PATH}/later.container`, "[X]\n");
  await git(path, "add", ".");
  await git(path, "commit", "-q", "-m", "later");
  return { first };
}

function fetchCorpus(cwd: string, args: string[]) {
  return spawnCaptured(Deno.execPath(), ["run", ...FLAGS, SCRIPT, ...args], {
    cwd,
  });
}

Deno.test("fetch-corpus puts only the corpus folder of the pinned commit in .corpus/", async () => {
  await using repo = await tempFolder();
  await using project = await tempFolder();
  const { first } = await podmanLike(repo.path);
  const result = await fetchCorpus(project.path, [
    "--repo",
    `file://${repo.path}`,
    "--commit",
    first,
  ]);
  strictEqual(result.code, 0, result.stderr);
  match(result.stderr, /2 files in \.corpus\/podman-quadlet-e2e\//);
  deepStrictEqual(await listTree(`${project.path}/.corpus`), [
    "podman-quadlet-e2e",
    "podman-quadlet-e2e/web.container",
    "podman-quadlet-e2e/web.container.d",
    "podman-quadlet-e2e/web.container.d/10-env.conf",
  ]);
  strictEqual(
    await Deno.readTextFile(
      `${project.path}/${CORPUS_DEST}/web.container.d/10-env.conf`,
    ),
    "[Container]\nEnvironment=A=1\n",
  );
});

Deno.test("fetch-corpus replaces an earlier corpus", async () => {
  await using repo = await tempFolder();
  await using project = await tempFolder({
    [`${CORPUS_DEST}/stale.container`]: "[Container]\n",
  });
  const { first } = await podmanLike(repo.path);
  const result = await fetchCorpus(project.path, [
    "--repo",
    `file://${repo.path}`,
    "--commit",
    first,
  ]);
  strictEqual(result.code, 0, result.stderr);
  deepStrictEqual(await listTree(`${project.path}/.corpus`), [
    "podman-quadlet-e2e",
    "podman-quadlet-e2e/web.container",
    "podman-quadlet-e2e/web.container.d",
    "podman-quadlet-e2e/web.container.d/10-env.conf",
  ]);
});

Deno.test("fetch-corpus says what to do when git cannot reach the host, keeping an earlier corpus", async () => {
  await using project = await tempFolder({
    [`${CORPUS_DEST}/kept.container`]: "[Container]\n",
  });
  // Nothing listens on port 1 of the loopback: the connection is refused.
  const result = await fetchCorpus(project.path, [
    "--repo",
    "https://127.0.0.1:1/containers/podman",
  ]);
  strictEqual(result.code, 1);
  strictEqual(result.stdout, "");
  match(
    result.stderr,
    /git could not fetch commit c6580b4a5219c9efb9ab79a540637d8a58b736f8 from https:\/\/127\.0\.0\.1:1\/containers\/podman/,
  );
  match(result.stderr, /unable to access/);
  match(
    result.stderr,
    /This needs git to reach 127\.0\.0\.1:1 over the network/,
  );
  match(result.stderr, /LEGER_PODMAN_CORPUS/);
  ok(!/error: Uncaught/.test(result.stderr), result.stderr);
  deepStrictEqual(await listTree(`${project.path}/.corpus`), [
    "podman-quadlet-e2e",
    "podman-quadlet-e2e/kept.container",
  ]);
});

Deno.test("fetch-corpus names the folder a commit without the corpus lacks", async () => {
  await using repo = await tempFolder();
  await using project = await tempFolder();
  await Deno.writeTextFile(`${repo.path}/README.md`, "not podman\n");
  await git(repo.path, "init", "-q");
  await git(repo.path, "add", ".");
  await git(repo.path, "commit", "-q", "-m", "first");
  const commit = await git(repo.path, "rev-parse", "HEAD");
  const result = await fetchCorpus(project.path, [
    "--repo",
    `file://${repo.path}`,
    "--commit",
    commit,
  ]);
  strictEqual(result.code, 1);
  match(
    result.stderr,
    new RegExp(`commit ${commit} of file://.* has no test/e2e/quadlet/ folder`),
  );
  deepStrictEqual(await listTree(`${project.path}/.corpus`), []);
});
