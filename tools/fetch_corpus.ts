// deno-lint-ignore-file no-console -- a developer tool that reports on stderr
/**
 * Fetches Podman's quadlet test corpus (containers/podman `test/e2e/quadlet/`,
 * Apache-2.0) into `.corpus/podman-quadlet-e2e/`, where the conformance
 * tests look for it when `../shared/` is not beside the checkout
 * (`lib/unit/_fixtures.ts`). `.gitignore` excludes `.corpus/`.
 *
 * It takes the commit `../shared/fixtures/podman-quadlet-e2e/` was copied
 * from (no release tag holds that corpus: v5.8.2, the newest tag before it,
 * differs in 12 files), with a shallow, blob-less, sparse clone: only that
 * commit, and only the files of `test/e2e/quadlet/` (and of the top folder).
 *
 * Run with `deno task fetch-corpus` (from the project root). For a mirror:
 * `deno task fetch-corpus --repo <url> [--commit <sha>] [--dest <folder>]`.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** Podman's repository. */
export const PODMAN_REPO = "https://github.com/containers/podman";

/** The commit the corpus in `../shared/fixtures/podman-quadlet-e2e/` comes from. */
export const PODMAN_COMMIT = "c6580b4a5219c9efb9ab79a540637d8a58b736f8";

/** The corpus's folder in Podman's repository. */
export const CORPUS_PATH = "test/e2e/quadlet";

/** Where the tests look for a fetched corpus, relative to the project root. */
export const CORPUS_DEST = ".corpus/podman-quadlet-e2e";

/** What {@linkcode fetchCorpus} fetches, and where to. */
export interface FetchCorpusOptions {
  /** The repository's URL (default Podman's). */
  repo?: string;
  /** The commit to take the corpus from (default {@linkcode PODMAN_COMMIT}). */
  commit?: string;
  /** The folder that receives the corpus, replaced if it exists. */
  dest?: string;
  /** How long git may take in all, in milliseconds (default 10 minutes). */
  timeoutMs?: number;
}

/** Why {@linkcode fetchCorpus} did not fetch the corpus, with what to do. */
export class FetchCorpusError extends Error {
  override name = "FetchCorpusError";
}

/**
 * Fetches the corpus into `dest`: clones into a temporary folder beside it,
 * then swaps the corpus folder in, so that a failed fetch leaves an earlier
 * corpus as it was. The temporary clone is removed on every path.
 *
 * @param options What to fetch and where to.
 * @returns The number of files in the fetched corpus.
 * @throws {FetchCorpusError} When git is missing, cannot reach the
 *   repository, does not finish in time, or the commit has no corpus folder.
 */
export async function fetchCorpus(
  options: FetchCorpusOptions = {},
): Promise<number> {
  const repo = options.repo ?? PODMAN_REPO;
  const commit = options.commit ?? PODMAN_COMMIT;
  const dest = (options.dest ?? CORPUS_DEST).replace(/\/+$/, "");
  const parent = dest.includes("/")
    ? dest.slice(0, dest.lastIndexOf("/"))
    : ".";
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 600_000);
  await Deno.mkdir(parent, { recursive: true });
  const work = await Deno.makeTempDir({ dir: parent, prefix: ".fetch-" });
  try {
    const git = (...args: string[]) =>
      run(["-C", work, ...args], { repo, commit, deadline });
    await git("init", "-q");
    await git("remote", "add", "origin", repo);
    await git("sparse-checkout", "set", CORPUS_PATH);
    await git(
      "-c",
      "http.lowSpeedLimit=1000",
      "-c",
      "http.lowSpeedTime=30",
      "fetch",
      "-q",
      "--depth=1",
      "--filter=blob:none",
      "--no-tags",
      "origin",
      commit,
    );
    await git(
      "-c",
      "advice.detachedHead=false",
      "checkout",
      "-q",
      "FETCH_HEAD",
    );
    const fetched = `${work}/${CORPUS_PATH}`;
    const files = await countFiles(fetched).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new FetchCorpusError(
        `commit ${commit} of ${repo} has no ${CORPUS_PATH}/ folder: ` +
          `use the commit the corpus was copied from (${PODMAN_COMMIT})`,
      );
    });
    const old = `${work}/old`;
    const hadOld = await Deno.rename(dest, old).then(() => true, (error) => {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    });
    try {
      await Deno.rename(fetched, dest);
    } catch (error) {
      if (hadOld) await Deno.rename(old, dest);
      throw error;
    }
    return files;
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

async function run(
  args: string[],
  context: { repo: string; commit: string; deadline: AbortSignal },
): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("git", {
      args,
      env: { GIT_TERMINAL_PROMPT: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: context.deadline,
    }).output();
  } catch (error) {
    if (context.deadline.aborted) throw timedOut(context.repo);
    if (error instanceof Deno.errors.NotFound) {
      throw new FetchCorpusError(
        "git is not installed: install it (e.g. `apt-get install git`) and run this again",
      );
    }
    throw error;
  }
  if (context.deadline.aborted) throw timedOut(context.repo);
  if (!output.success) {
    const said = new TextDecoder().decode(output.stderr).trim()
      .split("\n").filter((line) => !line.startsWith("warning:")).join("\n");
    throw new FetchCorpusError(
      `git could not fetch commit ${context.commit} from ${context.repo}` +
        ` (git ${args.slice(2).join(" ")}):\n  ${said || "no message"}\n` +
        `This needs git to reach ${hostOf(context.repo)} over the network. ` +
        `Without it, point LEGER_PODMAN_CORPUS at a copy of Podman's ` +
        `${CORPUS_PATH}/ at that commit.`,
    );
  }
}

function timedOut(repo: string): FetchCorpusError {
  return new FetchCorpusError(
    `git did not finish fetching from ${repo} in time: check that the ` +
      `network reaches ${hostOf(repo)}, then run this again`,
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) count += await countFiles(`${dir}/${entry.name}`);
    else if (entry.isFile) count++;
  }
  return count;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      repo: { type: "string" },
      commit: { type: "string" },
      dest: { type: "string" },
    },
    strict: true,
  });
  const repo = values.repo ?? PODMAN_REPO;
  const commit = values.commit ?? PODMAN_COMMIT;
  const dest = values.dest ?? CORPUS_DEST;
  console.error(
    `fetch-corpus: ${CORPUS_PATH}/ of ${repo} at ${commit} into ${dest}/`,
  );
  try {
    const files = await fetchCorpus({ repo, commit, dest });
    console.error(`fetch-corpus: ${files} files in ${dest}/`);
  } catch (error) {
    if (!(error instanceof FetchCorpusError)) throw error;
    console.error(`fetch-corpus: ${error.message}`);
    Deno.exit(1);
  }
}
