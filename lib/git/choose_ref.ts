import { LegerError } from "../errors/mod.ts";
import { normalizeRepoPath } from "./_normalize_repo_path.ts";

const FULL_SHA_REGEXP = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const SHORT_SHA_REGEXP = /^[0-9a-f]{4,63}$/;
const HEADS = "refs/heads/";
const TAGS = "refs/tags/";

/** One line of `git ls-remote`: a full ref name and the object it points to. */
export interface RemoteRef {
  /** `refs/heads/main`, `refs/tags/v1`, `HEAD` (peeled `^{}` lines excluded). */
  name: string;
  /** The object's hex id (for an annotated tag, the tag object). */
  object: string;
}

/** Options for {@linkcode chooseRef}. */
export interface ChooseRefOptions {
  /**
   * Which refs the words may name: `"branch"` for Gitea's `/src/branch/`,
   * `"tag"` for `/src/tag/`; both when unset.
   *
   * @default {undefined}
   */
  kind?: "branch" | "tag";
  /**
   * The repository URL, without credentials, named in the error.
   *
   * @default {"the remote"}
   */
  url?: string;
}

/** The ref a URL's words name, and the folder that follows it. */
export interface ChosenRef {
  /** The ref as the user wrote it: `feature/x`, `v1`, a full commit id. */
  ref: string;
  /** The full ref name: `refs/heads/feature/x`, `refs/tags/v1`, or the commit id. */
  fetchRef: string;
  /**
   * The object the remote listed for the ref (for an annotated tag, the tag
   * object), or the commit id. Fetching it rather than the name saves a
   * round trip and gets exactly the commit the refs were read at.
   */
  object: string;
  /** What the ref is: a branch (`refs/heads/`), a tag (`refs/tags/`) or a commit id. */
  kind: "branch" | "tag" | "commit";
  /** The folder after the ref, `/`-separated (`""` for the top). */
  path: string;
}

/**
 * Splits a web URL's `REF/PATH` words (`tree/feature/x/apps/web`) into a ref
 * and a folder, using the remote's refs: the longest prefix of the words that
 * is a branch or tag wins (`feature/x` over `feature`), a branch before a tag
 * of the same name (as GitHub does); failing that, a first word that is a
 * full commit id names that commit.
 *
 * @param words The decoded segments after `/tree/`: `["feature", "x", "apps", "web"]`.
 * @param refs The remote's refs, as `git ls-remote --heads --tags` lists them.
 * @param options Which kind of ref, and the URL for the error.
 * @returns The ref, what to fetch, and the folder.
 * @throws {LegerError} `ERR_GIT_CLONE_FAILED` when no prefix is a ref of the
 * remote, naming the candidates tried and how to list the refs;
 * `ERR_UNSAFE_PATH` for a folder with a `.` or `..` segment.
 *
 * @example Usage
 * ```ts
 * import { chooseRef } from "./choose_ref.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const refs = [
 *   { name: "refs/heads/feature", object: "1".repeat(40) },
 *   { name: "refs/heads/feature/x", object: "2".repeat(40) },
 * ];
 * deepStrictEqual(chooseRef(["feature", "x", "apps", "web"], refs), {
 *   ref: "feature/x",
 *   fetchRef: "refs/heads/feature/x",
 *   object: "2".repeat(40),
 *   kind: "branch",
 *   path: "apps/web",
 * });
 * ```
 */
export function chooseRef(
  words: readonly string[],
  refs: readonly RemoteRef[],
  options: ChooseRefOptions = {},
): ChosenRef {
  const { kind, url = "the remote" } = options;
  const objects = new Map(refs.map((ref) => [ref.name, ref.object]));
  const prefixes = kind === "tag"
    ? [TAGS]
    : kind === "branch"
    ? [HEADS]
    : [HEADS, TAGS];
  const candidates = words.map((_, i) => words.slice(0, i + 1).join("/"));
  for (let i = words.length - 1; i >= 0; i--) {
    for (const prefix of prefixes) {
      const object = objects.get(prefix + candidates[i]);
      if (object !== undefined) {
        return {
          ref: candidates[i],
          fetchRef: prefix + candidates[i],
          object,
          kind: prefix === HEADS ? "branch" : "tag",
          path: normalizeRepoPath(words.slice(i + 1).join("/"), url),
        };
      }
    }
  }
  if (kind === undefined && FULL_SHA_REGEXP.test(words[0] ?? "")) {
    return {
      ref: words[0],
      fetchRef: words[0],
      object: words[0],
      kind: "commit",
      path: normalizeRepoPath(words.slice(1).join("/"), url),
    };
  }
  throw noRef(candidates, refs, { kind, url });
}

function noRef(
  candidates: string[],
  refs: readonly RemoteRef[],
  options: ChooseRefOptions & { url: string },
): LegerError {
  const { kind, url } = options;
  const what = kind ?? "branch or tag";
  const tried = candidates.map((c) => JSON.stringify(c)).join(", ");
  const details = [
    `candidates tried, longest first: ${
      candidates.toReversed().map((c) => JSON.stringify(c)).join(", ")
    }`,
  ];
  if (SHORT_SHA_REGEXP.test(candidates[0] ?? "") && kind === undefined) {
    details.push(
      `"${
        candidates[0]
      }" may be an abbreviated commit id: give all of it (git rev-parse ${
        candidates[0]
      })`,
    );
  }
  if (refs.length === 0) details.push("the remote lists no branch or tag");
  return new LegerError(
    "ERR_GIT_CLONE_FAILED",
    `Cannot find the ${what} in "${url}": none of ${tried} is a ${what} of the remote`,
    {
      details,
      remedy:
        `List the remote's branches and tags: git ls-remote --heads --tags ${url}`,
    },
  );
}
