import { LegerError } from "../errors/mod.ts";

/** What a `--source` value names. */
export type SourceSpec =
  | { type: "local"; path: string }
  | { type: "git"; url: string }
  /** A version folder of a leger.run space, named by URL. */
  | { type: "leger.run"; userUuid: string; version: string }
  /** The logged-in user's own leger.run space (no `--source`). */
  | { type: "leger.run-space"; version: string };

/** Options for {@linkcode classifySource}. */
export interface ClassifySourceOptions {
  /** The leger.run static base (`LEGER_STATIC_URL`), such as `https://static.leger.run`. */
  staticUrl: string;
  /** Whether a path exists on this machine (after `~` expansion by the caller). */
  isLocalPath(path: string): boolean;
  /**
   * `--version`: the version of the user's own space.
   *
   * @default {undefined}
   */
  version?: string;
}

const URL_SCHEME_REGEXP = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE_REGEXP = /^[^/@\s]+@[^/:\s]+:/;
const VERSION_REGEXP = /^(latest|v[0-9]+)$/;

/**
 * Decides what a `--source` names: an existing local path, a version folder
 * of leger.run (a URL on the static host), a Git repository (any other URL or
 * `git@host:path`), or, without `--source`, the user's own leger.run space.
 *
 * @param source The `--source` value, if any.
 * @param options The static base and a way to test paths.
 * @returns What to fetch.
 * @throws {LegerError} `ERR_USAGE` for a leger.run URL without `<uuid>/<version>/`
 * or `--version` with another source; `ERR_SOURCE_NOT_FOUND` for a path that
 * does not exist.
 *
 * @example Usage
 * ```ts
 * import { classifySource } from "./classify_source.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const options = { staticUrl: "https://static.leger.run", isLocalPath: () => false };
 * deepStrictEqual(classifySource("git@github.com:org/repo.git", options), {
 *   type: "git", url: "git@github.com:org/repo.git",
 * });
 * deepStrictEqual(classifySource(undefined, options), { type: "leger.run-space", version: "latest" });
 * ```
 */
export function classifySource(
  source: string | undefined,
  options: ClassifySourceOptions,
): SourceSpec {
  const { staticUrl, isLocalPath, version } = options;
  if (version !== undefined && !VERSION_REGEXP.test(version)) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use --version "${version}": expected "latest" or vN`,
      {
        remedy:
          "Name a version such as `--version v3`; `leger auth status` lists them",
      },
    );
  }
  if (source === undefined) {
    return { type: "leger.run-space", version: version ?? "latest" };
  }
  if (version !== undefined) {
    throw new LegerError("ERR_USAGE", "Cannot use --version with --source", {
      remedy:
        "--version picks a version of your own leger.run space; drop --source, or name the version in the URL",
    });
  }
  if (isLocalPath(source)) return { type: "local", path: source };
  if (URL_SCHEME_REGEXP.test(source)) {
    return sameOrigin(source, staticUrl)
      ? legerRunUrl(source, staticUrl)
      : { type: "git", url: source };
  }
  if (SCP_LIKE_REGEXP.test(source)) return { type: "git", url: source };
  throw new LegerError(
    "ERR_SOURCE_NOT_FOUND",
    `Cannot find the source "${source}": no such folder`,
    {
      remedy:
        "Name an existing folder, a Git URL (https://…, git@host:org/repo.git) or a leger.run URL",
    },
  );
}

function sameOrigin(url: string, base: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(base);
    return a.protocol === b.protocol && a.host === b.host;
  } catch {
    return false;
  }
}

function legerRunUrl(source: string, staticUrl: string): SourceSpec {
  const basePath = new URL(staticUrl).pathname.replace(/\/+$/, "");
  const path = new URL(source).pathname.slice(basePath.length);
  const [userUuid, version, ...rest] = path.split("/").filter((part) =>
    part !== ""
  );
  if (
    userUuid === undefined || version === undefined ||
    !VERSION_REGEXP.test(version) || rest.length > 0
  ) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use the leger.run source "${source}": expected ${staticUrl}/<user-uuid>/<version>/`,
      {
        remedy: "Name a version folder, such as `--source " + staticUrl +
          "/<user-uuid>/v3/`",
      },
    );
  }
  return { type: "leger.run", userUuid, version };
}
