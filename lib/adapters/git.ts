/**
 * Typed calls to `git` for fetching a Git source: list a remote's refs, and
 * build a shallow, partial, sparse checkout of one commit in a folder. Each
 * runs one command through a {@linkcode Runner} (the real `run` by default, a
 * fake in tests) and parses its output here.
 *
 * Every call runs with `GIT_TERMINAL_PROMPT=0` (and `GCM_INTERACTIVE=never`
 * for Git Credential Manager), so that git uses the user's own credential
 * helpers and ssh agent but never stops to ask for a user name or password:
 * a private repository without credentials fails instead of hanging. URLs
 * and refs are passed after `--` or on stdin, never where git would read them
 * as options.
 *
 * Credentials that came in a URL (`GitOptions.credentials`) never go into
 * git's arguments or a file: they travel in the environment of the git
 * process (`LEGER_GIT_USERNAME`, `LEGER_GIT_PASSWORD`, readable only by the
 * same user), and a credential helper that holds no secret itself, a shell
 * function given with `-c credential.helper=…`, prints them when git asks,
 * for the URL's protocol and host only (not to a host a redirect leads to).
 * The user's own helpers are switched off for that call (`credential.helper=`
 * first), so that the URL's credentials win and no helper stores them.
 *
 * HTTP transfers that stall give up: less than 1000 bytes/s for
 * `lowSpeedTime` seconds (`GIT_HTTP_LOW_SPEED_LIMIT`/`_TIME`) ends git with
 * "Operation too slow". git 2.39 has no connect timeout of its own (curl's is
 * 300 s): callers bound the whole run with `signal`.
 *
 * Requires `--allow-run=git`.
 *
 * @module
 */
import type { RemoteRef } from "../git/choose_ref.ts";
import type { GitCredentials } from "../git/parse_git_url.ts";
import { run, type Runner, type RunOptions, type RunResult } from "./run.ts";

/** The environment every git call gets. */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: "0",
  GCM_INTERACTIVE: "never",
  GIT_HTTP_LOW_SPEED_LIMIT: "1000",
  GIT_HTTP_LOW_SPEED_TIME: "30",
};

/**
 * git's configuration when credentials are given: no helper of the user's,
 * then one that, on `get` for the URL's protocol and host (git writes
 * `protocol=…` and `host=…` lines to its stdin), prints the credentials from
 * git's environment. git runs a `!` helper with the shell, appending the
 * operation; the values are only ever expanded in quotes, never run.
 */
const CREDENTIAL_HELPER = [
  'f() { test "$1" = get || return 0; p=; h=;',
  'while IFS= read -r l; do case "$l" in protocol=*) p="${l#protocol=}";; host=*) h="${l#host=}";; esac; done;',
  'if test "$p" = "$LEGER_GIT_PROTOCOL" && test "$h" = "$LEGER_GIT_HOST"; then',
  'printf \'username=%s\\npassword=%s\\n\' "$LEGER_GIT_USERNAME" "$LEGER_GIT_PASSWORD"; fi; }; f',
].join(" ");
const CREDENTIAL_ARGS: readonly string[] = [
  "-c",
  "credential.helper=",
  "-c",
  `credential.helper=!${CREDENTIAL_HELPER}`,
];

/** Options every git call takes. */
export interface GitOptions {
  /**
   * Runs the command.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * Stops git when aborted.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Credentials for the remote (from a URL), handed to git through its
   * environment and a credential helper, never in its arguments.
   *
   * @default {undefined}
   */
  credentials?: GitCredentials;
  /**
   * Seconds an HTTP transfer may stay under 1000 bytes/s before git gives
   * up.
   *
   * @default {30}
   */
  lowSpeedTime?: number;
}

/** Options for {@linkcode lsRemote}. */
export interface LsRemoteOptions extends GitOptions {
  /**
   * List branches and tags only (`--heads --tags`), not `HEAD`, pull requests
   * or other refs.
   *
   * @default {false}
   */
  headsAndTags?: boolean;
  /**
   * Also report symbolic refs (`--symref`), such as the branch `HEAD` names.
   *
   * @default {false}
   */
  symref?: boolean;
  /**
   * Only refs matching these patterns (`HEAD`, `refs/heads/*`).
   *
   * @default {[]}
   */
  patterns?: string[];
}

/** What {@linkcode lsRemote} found. */
export interface LsRemoteResult {
  /** Refs in the order git printed them, peeled `^{}` lines left out. */
  refs: RemoteRef[];
  /** Symbolic refs, with `symref`: `{ HEAD: "refs/heads/main" }`. */
  symrefs: Record<string, string>;
}

const LS_REMOTE_LINE_REGEXP = /^([0-9a-f]{40,64})\t(\S+)$/;
const SYMREF_LINE_REGEXP = /^ref: (\S+)\t(\S+)$/;

/**
 * Lists a remote's refs with `git ls-remote`.
 *
 * @param url The repository URL (credentials, if any, are the user's).
 * @param options Which refs, and the runner.
 * @returns The refs and symbolic refs.
 * @throws {CommandError} If git fails (unknown repository, no access…).
 * @throws {SyntaxError} If git prints a line that is not `OBJECT<TAB>REF`.
 *
 * @example Usage
 * ```ts
 * import { lsRemote } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const sha = "a".repeat(40);
 * const runner = fakeRunner([{
 *   bin: "git",
 *   args: ["ls-remote", "--heads", "--tags", "--", "https://host/r.git"],
 *   result: { stdout: `${sha}\trefs/heads/main\n${sha}\trefs/tags/v1^{}\n` },
 * }]);
 * deepStrictEqual(await lsRemote("https://host/r.git", { runner, headsAndTags: true }), {
 *   refs: [{ name: "refs/heads/main", object: sha }],
 *   symrefs: {},
 * });
 * ```
 */
export async function lsRemote(
  url: string,
  options: LsRemoteOptions = {},
): Promise<LsRemoteResult> {
  const { headsAndTags = false, symref = false, patterns = [] } = options;
  const { stdout } = await git([
    "ls-remote",
    ...(headsAndTags ? ["--heads", "--tags"] : []),
    ...(symref ? ["--symref"] : []),
    "--",
    url,
    ...patterns,
  ], options);
  const result: LsRemoteResult = { refs: [], symrefs: {} };
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    const symbolic = SYMREF_LINE_REGEXP.exec(line);
    if (symbolic !== null) {
      result.symrefs[symbolic[2]] = symbolic[1];
      continue;
    }
    const match = LS_REMOTE_LINE_REGEXP.exec(line);
    if (match === null) {
      throw new SyntaxError(
        `Cannot read the output of "git ls-remote": expected "OBJECT<TAB>REF", got ${
          JSON.stringify(line)
        }`,
      );
    }
    if (!match[2].endsWith("^{}")) {
      result.refs.push({ name: match[2], object: match[1] });
    }
  }
  return result;
}

/**
 * Creates an empty repository in `dir` (which may exist and be empty) whose
 * remote `origin` is `url`: `git init` then `git remote add`. It uses no
 * template (`--template=`), so that no hook from the user's template folder
 * is copied into, and runs in, a throwaway checkout.
 *
 * @param dir The folder.
 * @param url The remote's URL.
 * @param options The runner.
 * @throws {CommandError} If git fails.
 *
 * @example Usage
 * ```ts
 * import { initRepository } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([
 *   { bin: "git", args: ["init", "--quiet", "--template=", "--", "/tmp/x"] },
 *   { bin: "git", args: ["remote", "add", "--", "origin", "https://host/r.git"] },
 * ]);
 * await initRepository("/tmp/x", "https://host/r.git", { runner });
 * runner.assertAllCalled();
 * ```
 */
export async function initRepository(
  dir: string,
  url: string,
  options: GitOptions = {},
): Promise<void> {
  await git(["init", "--quiet", "--template=", "--", dir], options);
  await git(["remote", "add", "--", "origin", url], { ...options, cwd: dir });
}

/**
 * Limits the checkout of the repository in `dir` to one folder, before
 * anything is fetched, so that a partial fetch then downloads only the files
 * of that folder.
 *
 * The pattern is non-cone `/PATH/`, anchored at the top: cone mode would also
 * check out (and so download) every file at the top of the repository and in
 * each parent folder of PATH, and a large file there would defeat the point.
 * Pattern characters in PATH are escaped, and the pattern goes on stdin.
 *
 * @param dir The repository.
 * @param path The folder, `/`-separated, not empty.
 * @param options The runner.
 * @throws {CommandError} If git fails.
 *
 * @example Usage
 * ```ts
 * import { sparseCheckoutFolder } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "git",
 *   args: ["sparse-checkout", "set", "--no-cone", "--stdin"],
 *   stdin: "/apps/web\\[1\\]/\n",
 * }]);
 * await sparseCheckoutFolder("/tmp/x", "apps/web[1]", { runner });
 * runner.assertAllCalled();
 * ```
 */
export async function sparseCheckoutFolder(
  dir: string,
  path: string,
  options: GitOptions = {},
): Promise<void> {
  const pattern = `/${path.replace(/[\\*?[\]!#]/g, "\\$&")}/\n`;
  await git(["sparse-checkout", "set", "--no-cone", "--stdin"], {
    ...options,
    cwd: dir,
    stdin: pattern,
  });
}

/**
 * Fetches one ref or commit from `origin` into `dir`, as little as possible:
 * only its commit (`--depth 1`), its trees but no file contents
 * (`--filter=blob:none`; the checkout later fetches the blobs it needs), and
 * no tags. The result is in `FETCH_HEAD`.
 *
 * @param dir The repository.
 * @param ref A branch, tag, full ref name, full commit id, or `HEAD`.
 * @param options The runner.
 * @throws {CommandError} If git fails (no such ref, no access…).
 *
 * @example Usage
 * ```ts
 * import { fetchShallow } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "git",
 *   args: ["fetch", "--quiet", "--no-tags", "--depth", "1", "--filter=blob:none", "--", "origin", "refs/heads/main"],
 * }]);
 * await fetchShallow("/tmp/x", "refs/heads/main", { runner });
 * runner.assertAllCalled();
 * ```
 */
export async function fetchShallow(
  dir: string,
  ref: string,
  options: GitOptions = {},
): Promise<void> {
  await git([
    "fetch",
    "--quiet",
    "--no-tags",
    "--depth",
    "1",
    "--filter=blob:none",
    "--",
    "origin",
    ref,
  ], { ...options, cwd: dir });
}

/**
 * Resolves a revision to a commit id (`git rev-parse --verify REV^{commit}`).
 *
 * @param dir The repository.
 * @param rev The revision: `FETCH_HEAD`, `HEAD`, a tag.
 * @param options The runner.
 * @returns The full commit id.
 * @throws {CommandError} If the revision is not a commit.
 *
 * @example Usage
 * ```ts
 * import { revParse } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "git",
 *   args: ["rev-parse", "--verify", "FETCH_HEAD^{commit}"],
 *   result: { stdout: "b".repeat(40) + "\n" },
 * }]);
 * strictEqual(await revParse("/tmp/x", "FETCH_HEAD", { runner }), "b".repeat(40));
 * ```
 */
export async function revParse(
  dir: string,
  rev: string,
  options: GitOptions = {},
): Promise<string> {
  const { stdout } = await git(["rev-parse", "--verify", `${rev}^{commit}`], {
    ...options,
    cwd: dir,
  });
  return stdout.trim();
}

/** An entry of a tree, as `git ls-tree` shows it. */
export interface TreeEntry {
  /** `040000` for a folder, `100644` for a file, `160000` for a submodule. */
  mode: string;
  type: "tree" | "blob" | "commit";
  object: string;
  path: string;
}

/**
 * Looks up one path in a commit's tree without reading any file content (so
 * it works in a partial clone, whose trees are all there).
 *
 * @param dir The repository.
 * @param commit The commit.
 * @param path The path, `/`-separated, taken literally (no globs).
 * @param options The runner.
 * @returns The entry, or `undefined` when the commit has no such path.
 * @throws {CommandError} If git fails.
 *
 * @example Usage
 * ```ts
 * import { lsTreeEntry } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "git",
 *   args: ["--literal-pathspecs", "ls-tree", "-z", "c0ffee", "--", "apps/web"],
 *   result: { stdout: `040000 tree ${"d".repeat(40)}\tapps/web\0` },
 * }]);
 * strictEqual((await lsTreeEntry("/tmp/x", "c0ffee", "apps/web", { runner }))?.type, "tree");
 * ```
 */
export async function lsTreeEntry(
  dir: string,
  commit: string,
  path: string,
  options: GitOptions = {},
): Promise<TreeEntry | undefined> {
  const { stdout } = await git(
    ["--literal-pathspecs", "ls-tree", "-z", commit, "--", path],
    { ...options, cwd: dir },
  );
  for (const record of stdout.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab === -1 || record.slice(tab + 1) !== path) continue;
    const [mode, type, object] = record.slice(0, tab).split(" ");
    return { mode, type: type as TreeEntry["type"], object, path };
  }
  return undefined;
}

/**
 * Checks out a commit (detached) in `dir`, within the sparse-checkout
 * patterns; in a partial clone git fetches the missing blobs in one batch.
 *
 * @param dir The repository.
 * @param commit The commit id.
 * @param options The runner.
 * @throws {CommandError} If git fails.
 *
 * @example Usage
 * ```ts
 * import { checkoutDetached } from "./git.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "git",
 *   args: ["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", "c0ffee"],
 * }]);
 * await checkoutDetached("/tmp/x", "c0ffee", { runner });
 * runner.assertAllCalled();
 * ```
 */
export async function checkoutDetached(
  dir: string,
  commit: string,
  options: GitOptions = {},
): Promise<void> {
  await git(
    [
      "-c",
      "advice.detachedHead=false",
      "checkout",
      "--quiet",
      "--detach",
      commit,
    ],
    { ...options, cwd: dir },
  );
}

function git(
  args: string[],
  options: GitOptions & Pick<RunOptions, "cwd" | "stdin">,
): Promise<RunResult> {
  const {
    runner = run,
    signal,
    cwd,
    stdin,
    credentials,
    lowSpeedTime,
  } = options;
  const env: Record<string, string> = { ...GIT_ENV };
  if (lowSpeedTime !== undefined) {
    env.GIT_HTTP_LOW_SPEED_TIME = String(lowSpeedTime);
  }
  if (credentials !== undefined) {
    env.LEGER_GIT_PROTOCOL = credentials.protocol;
    env.LEGER_GIT_HOST = credentials.host;
    env.LEGER_GIT_USERNAME = credentials.username;
    env.LEGER_GIT_PASSWORD = credentials.password;
  }
  return runner("git", [
    ...(credentials === undefined ? [] : CREDENTIAL_ARGS),
    ...args,
  ], {
    env,
    ...(signal === undefined ? {} : { signal }),
    ...(cwd === undefined ? {} : { cwd }),
    ...(stdin === undefined ? {} : { stdin }),
  });
}
