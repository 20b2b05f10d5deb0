/**
 * A sparse fetch of one folder (`fetchGitSource()`) against a plain
 * `git clone` of the same repository, both over the loopback smart-HTTP
 * server in the same run. The repository's other folders hold 60 MB of
 * incompressible history (12 commits of 5 MB). Targets: the sparse fetch
 * transfers ≤ 10 % of the bytes and takes ≤ 25 % of the time of the clone.
 *
 * The repository is built once and kept in the system's temporary folder,
 * keyed by {@linkcode REPO_VERSION}; change the version when changing its
 * shape. Bytes and one timed run of each are printed before the benchmark.
 *
 * Run with `deno bench --allow-all tests/git_fetch_bench.ts`.
 *
 * @module
 */
import { run, type Runner } from "../lib/adapters/run.ts";
import { fetchGitSource } from "../lib/source/fetch_git_source.ts";
import { ISOLATED_GIT_ENV, makeDeploymentRepo } from "./_git_repos.ts";
import { startGitHttpServer } from "./git_http_server.ts";

/** Bump to rebuild the cached repository. */
const REPO_VERSION = "v1-12x5MB";
const BIG_COMMITS = 12;
const BIG_FILE_BYTES = 5_000_000;
const TMP = Deno.env.get("TMPDIR") ?? "/tmp";
const CACHE = `${TMP}/leger_git_bench_${REPO_VERSION}`;

const isolated: Runner = (bin, args, options = {}) =>
  run(bin, args, { ...options, env: { ...options.env, ...ISOLATED_GIT_ENV } });

/** The cached repositories' root (holding `org/repo.git`), built if absent. */
async function benchRepos(): Promise<string> {
  try {
    await Deno.stat(`${CACHE}/complete`);
    return CACHE;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const building = await Deno.makeTempDir({
    dir: TMP,
    prefix: "leger_git_bench_build_",
  });
  await makeDeploymentRepo(building, {
    bigCommits: BIG_COMMITS,
    bigFileBytes: BIG_FILE_BYTES,
  });
  await Deno.writeTextFile(`${building}/complete`, `${REPO_VERSION}\n`);
  try {
    await Deno.rename(building, CACHE);
  } catch (err) {
    // Another run built it first.
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    await Deno.remove(building, { recursive: true });
  }
  return CACHE;
}

const root = await benchRepos();
const server = await startGitHttpServer({ root });
globalThis.addEventListener("unload", () => void server.close());
const SPARSE_URL = `${server.url}/org/repo/tree/main/apps/web`;
const CLONE_URL = `${server.url}/org/repo.git`;

async function sparseFetch(): Promise<void> {
  const deployment = await fetchGitSource(SPARSE_URL, { runner: isolated });
  if (deployment.files.length !== 3) throw new Error("Unexpected deployment");
}

async function plainClone(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "leger_git_clone_" });
  try {
    await isolated("git", ["clone", "--quiet", "--", CLONE_URL, `${dir}/repo`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One run of `fn`: wall time and bytes the server sent. */
async function measure(fn: () => Promise<void>) {
  server.resetCounters();
  const start = performance.now();
  await fn();
  return { ms: performance.now() - start, bytes: server.bytesServed };
}

// Warm both paths once (module loading, page cache), then measure one run each.
await sparseFetch();
await plainClone();
const sparse = await measure(sparseFetch);
const clone = await measure(plainClone);
const history = BIG_COMMITS * BIG_FILE_BYTES;
// deno-lint-ignore no-console -- the benchmark's report of bytes, beside deno bench's times
console.log(
  [
    `repository: ${history / 1e6} MB of other folders' history (${CACHE})`,
    `sparse fetch of apps/web: ${sparse.bytes} bytes, ${
      sparse.ms.toFixed(0)
    } ms`,
    `plain git clone:          ${clone.bytes} bytes, ${clone.ms.toFixed(0)} ms`,
    `ratio: ${(100 * sparse.bytes / clone.bytes).toFixed(4)} % of the bytes, ${
      (100 * sparse.ms / clone.ms).toFixed(1)
    } % of the time (targets ≤ 10 %, ≤ 25 %)`,
  ].join("\n"),
);

Deno.bench({
  name: "plain git clone (60 MB of history)",
  group: "git",
  baseline: true,
  n: 5,
  warmup: 1,
  fn: plainClone,
});
Deno.bench({
  name: "fetchGitSource() sparse fetch of apps/web",
  group: "git",
  n: 5,
  warmup: 1,
  fn: sparseFetch,
});
