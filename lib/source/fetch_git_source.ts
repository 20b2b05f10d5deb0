import { join } from "node:path";
import { CommandError } from "../adapters/command_error.ts";
import {
  checkoutDetached,
  fetchShallow,
  type GitOptions,
  initRepository,
  lsRemote,
  lsTreeEntry,
  revParse,
  sparseCheckoutFolder,
} from "../adapters/git.ts";
import type { Runner } from "../adapters/run.ts";
import { LegerError } from "../errors/mod.ts";
import { chooseRef } from "../git/choose_ref.ts";
import { type GitUrl, parseGitUrl } from "../git/parse_git_url.ts";
import { redactUrl } from "../git/redact_url.ts";
import { readLocalSource } from "./read_local_source.ts";
import type { LoadedDeployment } from "./types.ts";

/** Options for {@linkcode fetchGitSource}. */
export interface FetchGitSourceOptions {
  /**
   * Runs git (tests pass a fake, or a wrapper of the real one).
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * The folder the temporary checkout is made in.
   *
   * @default {the system's temporary folder}
   */
  tempDir?: string;
  /**
   * The home folder, passed on to `readLocalSource()`.
   *
   * @default {undefined}
   */
  home?: string;
  /**
   * Stops git when aborted; the temporary checkout is removed all the same,
   * and the promise rejects with the signal's reason.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Gives up when the whole fetch (every git step together) has not finished
   * after this many milliseconds: git is stopped, and the error says how long
   * leger waited.
   *
   * @default {60000}
   */
  timeoutMs?: number;
  /**
   * Seconds a git HTTP transfer may stay under 1000 bytes/s before git gives
   * up by itself.
   *
   * @default {30}
   */
  lowSpeedTime?: number;
}

/** The ref and folder a URL names, once the remote has been asked. */
interface Target {
  /** The ref to record (`main`, `feature/x`, a commit id), if known. */
  ref?: string;
  /**
   * What to fetch: the object id the remote listed for the ref when it was
   * asked (saving the fetch its own listing), else the ref as given.
   */
  fetch: string;
  /** The folder, `""` for the top. */
  path: string;
}

/**
 * Fetches one folder of a Git repository at a ref and reads it as a
 * deployment, with the same safety checks as a local folder.
 *
 * It fetches the least possible, into a temporary folder that is removed
 * whatever happens: one commit (`--depth 1`), its trees but no file content
 * (`--filter=blob:none`), and then, through a sparse checkout of only PATH,
 * the files of that folder and nothing else. The same steps serve a branch, a
 * tag and a full commit id: `git init`, `sparse-checkout set`,
 * `fetch --depth 1 --filter=blob:none origin REF`, `checkout --detach` (and,
 * only when the folder came out missing, `ls-tree` to say why).
 * When the remote has been asked for its refs, the object it listed is
 * fetched by id, which spares the fetch listing the refs again.
 *
 * A web URL's `tree/REF/PATH` is split against the remote's branches and tags
 * (`git ls-remote --heads --tags`, longest ref first); a URL with no ref asks
 * the remote which branch `HEAD` is, to record it. A `#REF` is fetched as is.
 *
 * The folder is then read with `readLocalSource()`; the deployment's name is
 * the manifest's, else the folder's last segment, else the repository's name.
 * `source` is `{ type: "git", location, ref, commit }`, where `location` is
 * the URL as given without credentials.
 *
 * Credentials are the user's own: git's credential helpers and ssh agent,
 * or a user name and token in an `http(s)` URL. leger never asks for a
 * token, and git never prompts (`GIT_TERMINAL_PROMPT=0`): a private
 * repository without credentials fails with git's message. Credentials in
 * the URL never reach git's arguments (which any user of the host can read
 * in `/proc`) or the checkout's `.git/config`: git gets the URL without
 * them, and the credentials through its environment (see `lib/adapters/git.ts`).
 * No URL with credentials appears in what this returns or throws.
 *
 * The checkout is made in a folder only the user can enter (`0700`,
 * `leger_git_*` in the temporary folder), removed on every way out: success,
 * error, the deadline, and an abort through `signal` (which the CLI raises
 * on SIGINT, SIGTERM and SIGHUP).
 *
 * Every network step is bounded: an HTTP transfer that stalls ends git by
 * itself (`lowSpeedTime`), and the whole fetch gives up after `timeoutMs`,
 * stopping git whatever it waits for (a server that accepts the connection
 * and never answers, an ssh host that hangs).
 *
 * Requires `--allow-run=git`, and `--allow-read` and `--allow-write` on the
 * temporary folder.
 *
 * @param url The source URL (see `parseGitUrl()` for the forms).
 * @param options The runner, temporary folder, home, abort signal and time
 * limits.
 * @returns The deployment, with files sorted by path.
 * @throws {LegerError} `ERR_USAGE` for a URL leger cannot use.
 * @throws {LegerError} `ERR_GIT_CLONE_FAILED` when git cannot list or fetch
 * the repository or ref, with git's message and the fix, or when the fetch
 * takes longer than `timeoutMs`, with the time waited.
 * @throws {LegerError} `ERR_SOURCE_NOT_FOUND` when the folder is not in the
 * commit, naming the path, ref and commit.
 * @throws {LegerError} Any error of `readLocalSource()` about the folder's
 * content (`ERR_UNSAFE_PATH`, `ERR_FILE_TOO_LARGE`, `ERR_NO_UNITS`…).
 *
 * @example Usage
 * ```ts ignore
 * import { fetchGitSource } from "./fetch_git_source.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const deployment = await fetchGitSource(
 *   "https://github.com/org/deployments/tree/main/apps/web",
 * );
 * strictEqual(deployment.name, "web");
 * strictEqual(deployment.source.type, "git");
 * strictEqual(deployment.source.ref, "main");
 * ```
 */
export async function fetchGitSource(
  url: string,
  options: FetchGitSourceOptions = {},
): Promise<LoadedDeployment> {
  const {
    runner,
    tempDir,
    home,
    signal,
    timeoutMs = 60_000,
    lowSpeedTime,
  } = options;
  const parsed = parseGitUrl(url);
  signal?.throwIfAborted();
  const started = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException("Deadline exceeded", "TimeoutError")),
    timeoutMs,
  );
  const git: GitOptions = {
    signal: signal === undefined
      ? deadline.signal
      : AbortSignal.any([signal, deadline.signal]),
    ...(runner === undefined ? {} : { runner }),
    ...(parsed.credentials === undefined
      ? {}
      : { credentials: parsed.credentials }),
    ...(lowSpeedTime === undefined ? {} : { lowSpeedTime }),
  };
  let top: string;
  try {
    top = await makePrivateTempDir(tempDir);
  } catch (error) {
    clearTimeout(timer);
    throw error;
  }
  const dir = join(top, "repo");
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
    // Asking the remote which ref the URL names (a round trip) and making the
    // empty repository (local work) do not wait for each other.
    const [resolved, initialized] = await Promise.allSettled([
      gitStep(parsed, undefined, () => resolve(parsed, git)),
      gitStep(
        parsed,
        undefined,
        () => initRepository(dir, parsed.cloneUrl, git),
      ),
    ]);
    if (resolved.status === "rejected") throw resolved.reason;
    if (initialized.status === "rejected") throw initialized.reason;
    const target = resolved.value;
    const commit = await gitStep(parsed, target.ref, async () => {
      if (target.path !== "") {
        await sparseCheckoutFolder(dir, target.path, git);
      }
      await fetchShallow(dir, target.fetch, git);
      return await revParse(dir, "FETCH_HEAD", git);
    });
    await gitStep(parsed, target.ref, async () => {
      await checkoutDetached(dir, commit, git);
      // A sparse checkout of a path that is no folder of the commit checks
      // out nothing; only then ask git what the path is, to say so.
      if (target.path !== "" && !(await hasEntries(join(dir, target.path)))) {
        await checkFolder(dir, commit, target, parsed, git);
      }
    });
    const deployment = await readFolder(dir, target.path, {
      parsed,
      home,
      temporary: [top],
    });
    return {
      ...deployment,
      name: deployment.manifest.name ??
        (target.path.split("/").at(-1) || parsed.repoName),
      source: {
        type: "git",
        location: parsed.displayUrl,
        ...(target.ref === undefined ? {} : { ref: target.ref }),
        commit,
      },
    };
  } catch (error) {
    if (deadline.signal.aborted && error === deadline.signal.reason) {
      throw timedOut(parsed, timeoutMs, performance.now() - started, error);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    await Deno.remove(top, { recursive: true });
  }
}

/**
 * Makes the folder the checkout goes in, `0700` whatever the umask, so that
 * no other user of the host can read the repository or its config.
 */
async function makePrivateTempDir(
  tempDir: string | undefined,
): Promise<string> {
  const dir = await Deno.makeTempDir({
    prefix: "leger_git_",
    ...(tempDir === undefined ? {} : { dir: tempDir }),
  });
  await Deno.chmod(dir, 0o700);
  return dir;
}

function timedOut(
  parsed: GitUrl,
  timeoutMs: number,
  waitedMs: number,
  cause: unknown,
): LegerError {
  const repo = redactUrl(parsed.cloneUrl);
  return new LegerError(
    "ERR_GIT_CLONE_FAILED",
    `Cannot fetch ${parsed.displayUrl}: git did not finish within the limit of ${
      seconds(timeoutMs)
    } s (waited ${seconds(waitedMs)} s), so leger stopped it`,
    {
      cause,
      details: [`repository: ${repo}`],
      remedy:
        `Check that the server answers (\`git ls-remote ${repo}\`), or allow more time with --timeout SECONDS`,
    },
  );
}

/** Milliseconds as seconds, to a tenth where that says more. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Asks the remote what the URL's ref is, when the URL alone does not say. */
async function resolve(parsed: GitUrl, git: GitOptions): Promise<Target> {
  if (parsed.refWords !== undefined) {
    const { refs } = await lsRemote(parsed.cloneUrl, {
      ...git,
      headsAndTags: true,
    });
    const chosen = chooseRef(parsed.refWords, refs, {
      url: redactUrl(parsed.cloneUrl),
      ...(parsed.refKind === undefined ? {} : { kind: parsed.refKind }),
    });
    return { ref: chosen.ref, fetch: chosen.object, path: chosen.path };
  }
  const path = parsed.path ?? "";
  if (parsed.ref !== undefined) {
    return { ref: parsed.ref, fetch: parsed.ref, path };
  }
  const { refs, symrefs } = await lsRemote(parsed.cloneUrl, {
    ...git,
    symref: true,
    patterns: ["HEAD"],
  });
  const head = symrefs.HEAD?.replace(/^refs\/heads\//, "");
  return {
    ...(head === undefined ? {} : { ref: head }),
    fetch: refs.find((ref) => ref.name === "HEAD")?.object ?? "HEAD",
    path,
  };
}

async function hasEntries(folder: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(folder)) return true;
    return false;
  } catch (err) {
    if (
      err instanceof Deno.errors.NotFound ||
      err instanceof Deno.errors.NotADirectory
    ) return false;
    throw err;
  }
}

async function checkFolder(
  dir: string,
  commit: string,
  target: Target,
  parsed: GitUrl,
  git: GitOptions,
): Promise<void> {
  const entry = await lsTreeEntry(dir, commit, target.path, git);
  if (entry?.type === "tree") return;
  const at = `${
    target.ref === undefined ? "" : `${JSON.stringify(target.ref)} `
  }(commit ${commit.slice(0, 12)})`;
  const repo = redactUrl(parsed.cloneUrl);
  throw new LegerError(
    "ERR_SOURCE_NOT_FOUND",
    `Cannot find folder "${target.path}" in ${repo} at ${at}: ${
      entry === undefined
        ? "it does not exist"
        : entry.type === "commit"
        ? "it is a submodule, not a folder"
        : "it is a file, not a folder"
    }`,
    {
      details: [`source: ${parsed.displayUrl}`],
      remedy:
        `Check the path, from the top of the repository; to list its folders: ${
          listFolders(repo, target)
        }`,
    },
  );
}

function listFolders(repo: string, target: Target): string {
  const branch = target.ref === undefined ||
      /^[0-9a-f]{40,64}$/.test(target.ref)
    ? ""
    : ` --branch ${target.ref}`;
  return `git clone --depth 1 --filter=blob:none --no-checkout${branch} ${repo} /tmp/repo && git -C /tmp/repo ls-tree -r -d --name-only HEAD`;
}

/**
 * Reads the checked-out folder; errors about it name the URL, not the
 * temporary folder the user never sees.
 */
async function readFolder(
  dir: string,
  path: string,
  context: { parsed: GitUrl; home: string | undefined; temporary: string[] },
): Promise<LoadedDeployment> {
  const { parsed, home, temporary } = context;
  const realDir = await Deno.realPath(dir);
  const folder = join(realDir, path);
  try {
    return await readLocalSource(folder, home === undefined ? {} : { home });
  } catch (err) {
    if (!(err instanceof LegerError)) throw err;
    const rename = (text: string) =>
      [folder, realDir, dir, ...temporary].reduce(
        (renamed, temporary) =>
          renamed.replaceAll(temporary, parsed.displayUrl),
        text,
      );
    throw new LegerError(err.code, rename(err.message), {
      cause: err,
      details: err.details.map(rename),
      ...(err.remedy === undefined ? {} : { remedy: rename(err.remedy) }),
      ...(err.file === undefined ? {} : { file: err.file }),
      ...(err.line === undefined ? {} : { line: err.line }),
    });
  }
}

/**
 * Runs git steps, turning a git failure into `ERR_GIT_CLONE_FAILED` with
 * git's own message, credentials removed from everything kept.
 */
async function gitStep<T>(
  parsed: GitUrl,
  ref: string | undefined,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    const repo = redactUrl(parsed.cloneUrl);
    const stderr = redactUrl(err.stderrTail);
    const lines = stderr.split("\n").filter((line) => line.trim() !== "");
    const reason = lines.find((line) => /^(fatal|error):/.test(line)) ??
      lines.at(-1) ?? `git exited with code ${err.code}`;
    throw new LegerError(
      "ERR_GIT_CLONE_FAILED",
      `Cannot fetch ${parsed.displayUrl}${
        ref === undefined ? "" : ` at ${JSON.stringify(ref)}`
      }: ${reason}`,
      {
        cause: new CommandError(
          err.bin,
          err.args.map(redactUrl),
          err.code,
          stderr,
        ),
        details: lines.slice(-6).filter((line) => line !== reason),
        remedy:
          `Check the URL and ref: git ls-remote ${repo}; for a private repository, ` +
          "set up git credentials or your ssh agent so that this works without a prompt",
      },
    );
  }
}
