import { LegerError } from "../errors/mod.ts";
import { checkRefName } from "./_check_ref_name.ts";
import { normalizeRepoPath } from "./_normalize_repo_path.ts";
import { redactUrl } from "./redact_url.ts";

/** `user@host:path`, git's scp-like form for ssh (a user is required here). */
const SCP_REGEXP =
  /^([A-Za-z0-9._~-]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):([^\s]+)$/;
const SCHEME_REGEXP = /^([a-z][a-z0-9+.-]*):\/\//i;
const SCHEMES = new Set(["http", "https", "ssh", "git", "file"]);
const WEB_SCHEMES = new Set(["http:", "https:"]);
const SRC_KINDS = new Set(["branch", "tag", "commit"]);
const EXAMPLES =
  "Pass a repository or folder URL such as https://github.com/ORG/REPO/tree/main/apps/web, " +
  "https://HOST/ORG/REPO.git#main:apps/web or git@HOST:ORG/REPO.git#main:apps/web";

/** The user name and password (or token) an `http(s)` URL carried. */
export interface GitCredentials {
  /** `http` or `https`: the credentials are for this protocol only. */
  protocol: string;
  /** The host, with its port if the URL gave one: the credentials are for it only. */
  host: string;
  /** The user name, percent-decoded (`""` when the URL gave none). */
  username: string;
  /** The password or token, percent-decoded (`""` when the URL gave none). */
  password: string;
}

/** A Git source URL taken apart: what to fetch, and which ref and folder. */
export interface GitUrl {
  /**
   * What `git` fetches from: the repository's URL without credentials (an
   * ssh user name stays, as it is part of the address and no secret).
   */
  cloneUrl: string;
  /**
   * The credentials an `http(s)` URL carried (`https://USER:TOKEN@host/…`),
   * taken out of `cloneUrl` so that they never reach git's arguments, a
   * repository's config or a message: hand them to git another way (see
   * `fetchGitSource()`). Absent when the URL carried none.
   */
  credentials?: GitCredentials;
  /** The URL as given (web form, `#REF:PATH` and all) without credentials. */
  displayUrl: string;
  /** The repository's name: the last segment of its path, without `.git`. */
  repoName: string;
  /** The ref, when the URL names it on its own (`#REF`, `/src/commit/SHA`). */
  ref?: string;
  /** The folder inside the repository, when known (`""` is the top). */
  path?: string;
  /**
   * The decoded segments after `/tree/` (or `/-/tree/`, `/src/branch/`,
   * `/src/tag/`): `REF/PATH`, where REF may itself hold `/`. They are split
   * against the remote's refs by `chooseRef()`. Set only when `ref` is not.
   */
  refWords?: string[];
  /** Which refs `refWords` may name: `/src/branch/` and `/src/tag/` say. */
  refKind?: "branch" | "tag";
}

/**
 * Parses a Git source URL: a repository, or a folder of it at a ref.
 *
 * Forms accepted:
 * - `https://github.com/ORG/REPO` and `…/tree/REF/PATH`;
 * - GitLab `https://gitlab.com/GROUP/SUBGROUP/REPO/-/tree/REF/PATH`;
 * - Gitea, Forgejo, Codeberg `…/REPO/src/branch/REF/PATH` (also `/src/tag/`,
 *   `/src/commit/SHA/PATH`);
 * - any `http(s)://`, `ssh://`, `git://` or `file://` URL, and
 *   `USER@HOST:ORG/REPO.git`, each with an optional `#REF`, `#REF:PATH` or
 *   `#:PATH` (a ref never holds `:`, so the first `:` splits).
 *
 * The web forms are recognised on any `http(s)` host, not only on
 * github.com, gitlab.com and codeberg.org, since self-hosted GitLab, Gitea and
 * Forgejo use the same paths: `/-/tree/` first, then `/src/branch|tag|commit/`,
 * then the first `/tree/` that follows at least two segments (`ORG/REPO`; on
 * github.com exactly two). A URL whose last segment ends in `.git` is a
 * repository URL as is, whatever its path holds. Web forms are not looked for
 * in `ssh://`, `git://` and `file://` URLs, whose paths are folders on the
 * server. A web form's query (`?ref_type=heads`) is ignored.
 *
 * A `/blob/` URL names a file, not a folder: it is refused, and the error
 * gives the tree URL of the folder that holds the file.
 *
 * Credentials in an `http(s)` URL are taken out of `cloneUrl` and
 * `displayUrl` and returned apart, percent-decoded, in `credentials`.
 *
 * @param url The URL, as the user gave it.
 * @returns The parts, with credentials only in `credentials`.
 * @throws {LegerError} `ERR_USAGE` for a URL that is none of the forms, a
 * `/blob/` URL, or an invalid ref name; `ERR_UNSAFE_PATH` for a folder with a
 * `.` or `..` segment.
 *
 * @example Usage
 * ```ts
 * import { parseGitUrl } from "./parse_git_url.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(parseGitUrl("https://github.com/org/repo/tree/feature/x/apps/web"), {
 *   cloneUrl: "https://github.com/org/repo",
 *   displayUrl: "https://github.com/org/repo/tree/feature/x/apps/web",
 *   repoName: "repo",
 *   refWords: ["feature", "x", "apps", "web"],
 * });
 * deepStrictEqual(parseGitUrl("git@codeberg.org:org/repo.git#v1.2:apps/web"), {
 *   cloneUrl: "git@codeberg.org:org/repo.git",
 *   displayUrl: "git@codeberg.org:org/repo.git#v1.2:apps/web",
 *   repoName: "repo",
 *   ref: "v1.2",
 *   path: "apps/web",
 * });
 * deepStrictEqual(parseGitUrl("https://alice:s3cret@host.example/org/repo.git"), {
 *   cloneUrl: "https://host.example/org/repo.git",
 *   displayUrl: "https://host.example/org/repo.git",
 *   repoName: "repo",
 *   credentials: {
 *     protocol: "https",
 *     host: "host.example",
 *     username: "alice",
 *     password: "s3cret",
 *   },
 * });
 * ```
 */
export function parseGitUrl(url: string): GitUrl {
  const given = url.trim();
  const shown = redactUrl(given);
  if (given === "" || given.startsWith("-") || /\s/.test(given)) {
    throw invalid(shown, "it is not a URL");
  }
  const hash = given.indexOf("#");
  const base = hash === -1 ? given : given.slice(0, hash);
  const fragment = hash === -1 ? "" : given.slice(hash + 1);
  const parsed = SCP_REGEXP.test(base)
    ? plain(base, SCP_REGEXP.exec(base)![3], shown)
    : fromSchemeUrl(base, shown);
  const credentials = credentialsOf(base, shown);
  const target: GitUrl = {
    ...parsed,
    cloneUrl: redactUrl(parsed.cloneUrl),
    ...(credentials === undefined ? {} : { credentials }),
  };
  if (fragment === "") return target;
  if (target.refWords !== undefined || target.ref !== undefined) {
    throw invalid(
      shown,
      "it names the ref twice, in its path and after #",
    );
  }
  return { ...target, ...parseFragment(fragment, shown) };
}

/** The user name and password of an `http(s)` URL, decoded, if it has any. */
function credentialsOf(
  base: string,
  shown: string,
): GitCredentials | undefined {
  if (!/^https?:\/\//i.test(base)) return undefined;
  const url = new URL(base);
  if (url.username === "" && url.password === "") return undefined;
  return {
    protocol: url.protocol.slice(0, -1),
    host: url.host,
    username: decode(url.username, shown),
    password: decode(url.password, shown),
  };
}

function fromSchemeUrl(base: string, shown: string): GitUrl {
  const scheme = SCHEME_REGEXP.exec(base)?.[1].toLowerCase();
  if (scheme === undefined || !SCHEMES.has(scheme)) {
    throw invalid(
      shown,
      scheme === undefined
        ? "it is neither a URL nor USER@HOST:PATH"
        : `leger does not fetch "${scheme}://" URLs (use https, ssh, git or file)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw invalid(shown, "it is not a valid URL");
  }
  const segments = parsed.pathname.split("/").filter((s) => s !== "");
  if (
    !WEB_SCHEMES.has(parsed.protocol) || segments.length === 0 ||
    segments.at(-1)!.endsWith(".git")
  ) {
    return plain(base, parsed.pathname, shown);
  }
  return webForm(parsed, segments, shown) ??
    plainWeb(base, parsed, segments, shown);
}

/** A repository URL with no ref or folder in its path. */
function plain(cloneUrl: string, repoPath: string, shown: string): GitUrl {
  return { cloneUrl, displayUrl: shown, repoName: repoName(repoPath, shown) };
}

function plainWeb(
  base: string,
  parsed: URL,
  segments: string[],
  shown: string,
): GitUrl {
  if (parsed.hostname === "github.com" && segments.length !== 2) {
    throw invalid(
      shown,
      "it is neither a repository (github.com/ORG/REPO) nor a folder (…/tree/REF/PATH)",
    );
  }
  return plain(base, parsed.pathname, shown);
}

/** `/-/tree/`, `/src/branch|tag|commit/` or `/tree/`, else `undefined`. */
function webForm(
  parsed: URL,
  segments: string[],
  shown: string,
): GitUrl | undefined {
  const gitlab = segments.indexOf("-", 2);
  if (gitlab !== -1) {
    const route = segments[gitlab + 1];
    if (route !== "tree" && route !== "blob") {
      throw invalid(
        shown,
        `it names a GitLab page ("/-/${route ?? ""}"), not a folder`,
      );
    }
    return treeOrBlob(parsed, segments, gitlab, gitlab + 1, shown);
  }
  const src = segments.findIndex((s, i) =>
    i >= 2 && s === "src" && SRC_KINDS.has(segments[i + 1])
  );
  if (src !== -1) {
    const words = decodeWords(segments.slice(src + 2), shown);
    const repo = repoOf(parsed, segments.slice(0, src), shown);
    if (words.length === 0) {
      throw invalid(shown, `it names no ${segments[src + 1]} after "/src/"`);
    }
    if (segments[src + 1] !== "commit") {
      return {
        ...repo,
        refWords: words,
        refKind: segments[src + 1] as "branch" | "tag",
      };
    }
    return {
      ...repo,
      ref: checkRefName(words[0], shown),
      path: normalizeRepoPath(words.slice(1).join("/"), shown),
    };
  }
  const tree = segments.findIndex((s, i) =>
    i >= 2 && (s === "tree" || s === "blob")
  );
  if (tree === -1 || (parsed.hostname === "github.com" && tree !== 2)) {
    return undefined;
  }
  return treeOrBlob(parsed, segments, tree, tree, shown);
}

/**
 * `segments[route]` is `tree` or `blob`; the repository is everything before
 * `segments[repoEnd]` (`/-/` included for GitLab).
 */
function treeOrBlob(
  parsed: URL,
  segments: string[],
  repoEnd: number,
  route: number,
  shown: string,
): GitUrl {
  const words = decodeWords(segments.slice(route + 1), shown);
  if (segments[route] === "blob") {
    const folder = [
      ...segments.slice(0, route),
      "tree",
      ...segments.slice(route + 1, Math.max(route + 2, segments.length - 1)),
    ];
    const treeUrl = `${parsed.protocol}//${parsed.host}/${folder.join("/")}`;
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use "${shown}" as a Git source: it names a file (a /blob/ URL), not a folder`,
      { remedy: `Pass the tree URL of its folder: --source ${treeUrl}` },
    );
  }
  if (words.length === 0) {
    throw invalid(shown, 'it names no branch, tag or commit after "/tree/"');
  }
  return {
    ...repoOf(parsed, segments.slice(0, repoEnd), shown),
    refWords: words,
  };
}

/** The clone URL (credentials still in it) and name of a web form's repo. */
function repoOf(
  parsed: URL,
  repoSegments: string[],
  shown: string,
): GitUrl {
  const userinfo = parsed.username === ""
    ? ""
    : `${parsed.username}${
      parsed.password === "" ? "" : `:${parsed.password}`
    }@`;
  const path = repoSegments.join("/");
  return {
    cloneUrl: `${parsed.protocol}//${userinfo}${parsed.host}/${path}`,
    displayUrl: shown,
    repoName: repoName(path, shown),
  };
}

function repoName(repoPath: string, shown: string): string {
  const last = repoPath.split("/").filter((s) => s !== "").at(-1) ?? "";
  const name = decode(last, shown).replace(/\.git$/, "");
  if (name === "" || name === "." || name === "..") {
    throw invalid(shown, "it names no repository");
  }
  return name;
}

function parseFragment(
  fragment: string,
  shown: string,
): Pick<GitUrl, "ref" | "path"> {
  const colon = fragment.indexOf(":");
  const ref = decode(colon === -1 ? fragment : fragment.slice(0, colon), shown);
  const path = colon === -1
    ? undefined
    : normalizeRepoPath(decode(fragment.slice(colon + 1), shown), shown);
  return {
    ...(ref === "" ? {} : { ref: checkRefName(ref, shown) }),
    ...(path === undefined ? {} : { path }),
  };
}

function decodeWords(words: string[], shown: string): string[] {
  return words.map((word) => decode(word, shown));
}

function decode(text: string, shown: string): string {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    if (!(err instanceof URIError)) throw err;
    throw invalid(shown, `${JSON.stringify(text)} is not valid URL encoding`);
  }
}

function invalid(shown: string, why: string): LegerError {
  return new LegerError(
    "ERR_USAGE",
    `Cannot use "${shown}" as a Git source: ${why}`,
    { remedy: EXAMPLES },
  );
}
