/**
 * Bare Git repositories for the Git source tests and benchmark, made with the
 * real `git` (isolated from the user's and system's git configuration).
 *
 * @module
 */

/** Environment for every git command the helpers run. */
export const ISOLATED_GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "leger tests",
  GIT_AUTHOR_EMAIL: "tests@leger.invalid",
  GIT_COMMITTER_NAME: "leger tests",
  GIT_COMMITTER_EMAIL: "tests@leger.invalid",
  GIT_AUTHOR_DATE: "2025-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2025-01-01T00:00:00Z",
};

/** Runs git with the isolated environment; returns its trimmed stdout. */
export async function git(
  args: string[],
  options: { cwd?: string; stdin?: string } = {},
): Promise<string> {
  const child = new Deno.Command("git", {
    args,
    cwd: options.cwd,
    env: ISOLATED_GIT_ENV,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  if (code !== 0) {
    throw new Error(
      `git ${args.join(" ")} exited with ${code}: ${decoder.decode(stderr)}`,
    );
  }
  return decoder.decode(stdout).trim();
}

/** The units of the deployment at `apps/web/` (the `main` branch's version). */
export function webDeployment(imageTag: string): Record<string, string> {
  return {
    "apps/web/web.container": [
      "[Unit]",
      "Description=Web server",
      "",
      "[Container]",
      `Image=docker.io/library/nginx:${imageTag}`,
      "Volume=web-data.volume:/usr/share/nginx/html:Z",
      "PublishPort=127.0.0.1:18080:80",
      "",
      "[Install]",
      "WantedBy=default.target",
      "",
    ].join("\n"),
    "apps/web/web-data.volume": "[Volume]\n",
    "apps/web/web.container.d/10-limits.conf": "[Container]\nMemory=256m\n",
  };
}

/** What {@linkcode makeDeploymentRepo} made. */
export interface DeploymentRepo {
  /** The bare repository's path. */
  bare: string;
  /** Commit ids: the first commit (tagged v1.0), main's tip, feature/x's tip. */
  commits: { first: string; main: string; featureX: string };
  /** Ids of every blob ever stored under `big/`. */
  bigBlobs: Set<string>;
  /** Their total size in bytes. */
  bigBytes: number;
}

/** Options for {@linkcode makeDeploymentRepo}. */
export interface MakeDeploymentRepoOptions {
  /** Commits on main that each add one random file under `big/`. */
  bigCommits: number;
  /** Bytes of each such file (incompressible). */
  bigFileBytes: number;
}

/**
 * Makes `DIR/org/repo.git`: `apps/web/` holds a small valid deployment,
 * `apps/api/` another, `big/` incompressible random files added over
 * several commits. Refs: `main`; `feature/x` (changes `apps/web` and names
 * it `web-feature` in `.leger.yaml`); annotated tag `v1.0` and lightweight
 * tag `feature` on the first commit.
 */
export async function makeDeploymentRepo(
  dir: string,
  options: MakeDeploymentRepoOptions,
): Promise<DeploymentRepo> {
  const { bigCommits, bigFileBytes } = options;
  const work = `${dir}/work`;
  await git(["init", "--quiet", "--initial-branch=main", work]);
  await writeFiles(work, {
    "README.md": "Deployments\n",
    ...webDeployment("1.27"),
    "apps/api/api.container": "[Container]\nImage=docker.io/library/redis:7\n",
  });
  await git(["add", "--all"], { cwd: work });
  await git(["commit", "--quiet", "-m", "Add deployments"], { cwd: work });
  const first = await git(["rev-parse", "HEAD"], { cwd: work });
  await git(["tag", "-a", "-m", "Release 1.0", "v1.0"], { cwd: work });
  await git(["tag", "feature"], { cwd: work });

  for (let i = 1; i <= bigCommits; i++) {
    await Deno.mkdir(`${work}/big`, { recursive: true });
    await writeRandomFile(`${work}/big/part-${i}.bin`, bigFileBytes);
    if (i === 1) {
      await writeFiles(work, webDeployment("1.28"));
    }
    await git(["add", "--all"], { cwd: work });
    await git(["commit", "--quiet", "-m", `Add data part ${i}`], { cwd: work });
  }
  const main = await git(["rev-parse", "HEAD"], { cwd: work });

  await git(["checkout", "--quiet", "-b", "feature/x"], { cwd: work });
  await writeFiles(work, {
    ...webDeployment("feature"),
    "apps/web/.leger.yaml": "name: web-feature\n",
  });
  await git(["add", "--all"], { cwd: work });
  await git(["commit", "--quiet", "-m", "Try a feature"], { cwd: work });
  const featureX = await git(["rev-parse", "HEAD"], { cwd: work });
  await git(["checkout", "--quiet", "main"], { cwd: work });

  const bigBlobs = new Set<string>();
  let bigBytes = 0;
  const listing = await git([
    "log",
    "--all",
    "--format=",
    "--raw",
    "--no-abbrev",
    "--",
    "big",
  ], { cwd: work });
  for (const line of listing.split("\n")) {
    const object = line.split(" ")[3];
    if (object === undefined || bigBlobs.has(object)) continue;
    bigBlobs.add(object);
    bigBytes += Number(
      await git(["cat-file", "-s", object], { cwd: work }),
    );
  }

  const bare = await cloneBare(work, `${dir}/org/repo.git`);
  await Deno.remove(work, { recursive: true });
  return { bare, commits: { first, main, featureX }, bigBlobs, bigBytes };
}

/**
 * Makes `DIR/org/solo.git` whose top folder is a deployment, on branch
 * `trunk` (so that a URL without a ref must learn the default branch).
 */
export async function makeSoloRepo(dir: string): Promise<string> {
  const work = `${dir}/solo-work`;
  await git(["init", "--quiet", "--initial-branch=trunk", work]);
  await writeFiles(work, {
    "solo.container": "[Container]\nImage=docker.io/library/busybox:1\n",
  });
  await git(["add", "--all"], { cwd: work });
  await git(["commit", "--quiet", "-m", "Solo"], { cwd: work });
  const bare = await cloneBare(work, `${dir}/org/solo.git`);
  await Deno.remove(work, { recursive: true });
  return bare;
}

/** Clones `work` into a bare repository, packed, that allows partial fetches. */
async function cloneBare(work: string, bare: string): Promise<string> {
  await git(["clone", "--quiet", "--bare", "--mirror", work, bare]);
  await git(["config", "uploadpack.allowFilter", "true"], { cwd: bare });
  await git(["config", "uploadpack.allowAnySHA1InWant", "true"], {
    cwd: bare,
  });
  await git(["remote", "remove", "origin"], { cwd: bare });
  await git(["repack", "-a", "-d", "--quiet"], { cwd: bare });
  return bare;
}

async function writeFiles(
  root: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const file = `${root}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(65536);
  for (let written = 0; written < bytes; written += chunk.length) {
    crypto.getRandomValues(chunk);
    const size = Math.min(chunk.length, bytes - written);
    let offset = 0;
    while (offset < size) {
      offset += await file.write(chunk.subarray(offset, size));
    }
  }
}
