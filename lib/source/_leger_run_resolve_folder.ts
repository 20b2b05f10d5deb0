import { LegerRunClient } from "../api/leger_run_client.ts";
import type { LegerRunUrls } from "../api/resolve_leger_run_urls.ts";
import type { Deployment, Release } from "../api/types.ts";
import { LegerError } from "../errors/mod.ts";
import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";

/** The deployment statuses whose files are all uploaded (the service sets `ready` after the upload). */
const FINISHED: ReadonlySet<string> = new Set(["ready", "deployed"]);
const VERSION_IN_PATH_REGEXP = /(?:^|\/)(v[0-9]+)\/(?:manifest\.json)?$/;

/** What to fetch from a user's leger.run space. */
export interface LegerRunSpec {
  /** The user's UUID: the first path segment under the static base. */
  userUuid: string;
  /** `latest` or `vN`; ignored when `releaseName` is given. */
  version: string;
  /** A release named by the user (`leger deploy install NAME`). */
  releaseName?: string;
}

/** The version folder a spec resolves to. */
export interface LegerRunFolder {
  /** The folder the files are fetched from, ending in `/`. */
  url: string;
  /**
   * The folder to record as the source: `url`, except for `latest`, which
   * stays `…/latest/` so that fetching it again follows the newest release.
   */
  location: string;
  /** `vN`; `latest` only when the space really has a `latest/` folder. */
  version: string;
  /** The release's name, when the API was asked. */
  releaseName?: string;
  /** The manifest's bytes, when probing `latest/` fetched them already. */
  manifest?: Uint8Array;
}

/** Options for {@linkcode resolveLegerRunFolder}. */
export interface ResolveLegerRunFolderOptions {
  urls: LegerRunUrls;
  /** Fetches a static file (retries and timeouts included). */
  fetchFile: (url: string) => Promise<Uint8Array>;
  /**
   * The bearer token, or a function that reads it only when the API is
   * needed (an explicit `vN` needs no login).
   *
   * @default {undefined}
   */
  token?: string | (() => Promise<string>);
  /**
   * The `fetch` the API client uses.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
}

/**
 * Finds the version folder of a leger.run space to fetch, as the contract
 * says: `vN` is `<static>/<uuid>/vN/`; `latest` is `<static>/<uuid>/latest/`
 * when its manifest exists, and otherwise (the deployed service has no
 * `latest/` folder) the folder of the newest release (`GET /releases`, newest
 * first) whose deployment is finished (`ready` or `deployed`: the service sets
 * `ready` once every file and then the manifest are uploaded); a release name
 * is looked up with `GET /releases?name=NAME` and must be finished too.
 *
 * The folder of a release is rebuilt under the configured static base from
 * the `vN` of its deployment's `manifest_url` (or `r2_path`, or the release's
 * number): the service writes `https://static.leger.run/…` into
 * `manifest_url` whatever host serves the files.
 *
 * @param spec The user, version and optional release name.
 * @param options The URLs, the static fetcher and the token.
 * @returns The folder, its version and what the API said.
 * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` when the API is needed
 * and there is no token; `ERR_MANIFEST_FETCH_FAILED` when no release fits;
 * the API client's errors.
 * @throws {StaticFetchError} When probing `latest/` fails other than with 404.
 *
 * @example Usage
 * ```ts
 * import { resolveLegerRunFolder } from "./_leger_run_resolve_folder.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const folder = await resolveLegerRunFolder(
 *   { userUuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435", version: "v2" },
 *   {
 *     urls: { api: "https://api.leger.run", static: "https://static.leger.run", web: "https://app.leger.run" },
 *     fetchFile: () => Promise.reject(new Error("not needed")),
 *   },
 * );
 * strictEqual(folder.url, "https://static.leger.run/f44a09fc-90d1-5f2b-bf2c-7380100ec435/v2/");
 * ```
 */
export async function resolveLegerRunFolder(
  spec: LegerRunSpec,
  options: ResolveLegerRunFolderOptions,
): Promise<LegerRunFolder> {
  const { urls, fetchFile } = options;
  const space = `${urls.static.replace(/\/+$/, "")}/${
    encodeURIComponent(spec.userUuid)
  }/`;
  if (spec.releaseName !== undefined) {
    return await namedRelease(spec, space, options);
  }
  if (spec.version !== "latest") {
    const url = `${space}${spec.version}/`;
    return { url, location: url, version: spec.version };
  }
  const latest = `${space}latest/`;
  try {
    const manifest = await fetchFile(`${latest}manifest.json`);
    return { url: latest, location: latest, version: "latest", manifest };
  } catch (error) {
    if (!(error instanceof StaticFetchError && error.notFound)) throw error;
  }
  const client = await apiClient(
    options,
    `find the latest version of ${space}`,
  );
  const releases = (await client.listReleases()).filter((release) =>
    release.user_uuid === spec.userUuid
  );
  const unfinished: string[] = [];
  for (const release of releases) {
    const { deployment } = await client.getDeployment(release.id);
    if (deployment !== null && FINISHED.has(deployment.status)) {
      const version = versionOf(release, deployment);
      return {
        url: `${space}${version}/`,
        location: latest,
        version,
        releaseName: release.name,
      };
    }
    unfinished.push(
      `release "${release.name}" (v${release.version}): ${
        deployment === null
          ? "never deployed"
          : `deployment ${deployment.status}`
      }`,
    );
  }
  throw new LegerError(
    "ERR_MANIFEST_FETCH_FAILED",
    `Cannot find the latest version of ${space}: it has no latest/ folder, and ${
      releases.length === 0
        ? "the space has no release"
        : "no release has a finished deployment"
    }`,
    {
      details: unfinished,
      remedy:
        `Deploy a release in the web UI at ${urls.web}, then run the command again`,
    },
  );
}

async function namedRelease(
  spec: LegerRunSpec,
  space: string,
  options: ResolveLegerRunFolderOptions,
): Promise<LegerRunFolder> {
  const name = spec.releaseName!;
  const { urls } = options;
  const client = await apiClient(options, `find release "${name}"`);
  const release = (await client.listReleases({ name })).find((r) =>
    r.name === name && r.user_uuid === spec.userUuid
  );
  if (release === undefined) {
    throw new LegerError(
      "ERR_MANIFEST_FETCH_FAILED",
      `Cannot find release "${name}" in the leger.run space ${space}`,
      {
        remedy:
          `\`leger auth status\` lists your releases; create one in the web UI at ${urls.web}`,
      },
    );
  }
  const { deployment } = await client.getDeployment(release.id);
  if (deployment === null || !FINISHED.has(deployment.status)) {
    throw new LegerError(
      "ERR_MANIFEST_FETCH_FAILED",
      `Cannot fetch release "${name}": ${
        deployment === null
          ? "it has never been deployed"
          : `its deployment is ${deployment.status}, not finished`
      }`,
      {
        details: deployment?.error_message ? [deployment.error_message] : [],
        remedy:
          `Deploy it in the web UI at ${urls.web} and wait until it is ready, then run the command again`,
      },
    );
  }
  const version = versionOf(release, deployment);
  const url = `${space}${version}/`;
  return { url, location: url, version, releaseName: name };
}

async function apiClient(
  options: ResolveLegerRunFolderOptions,
  action: string,
): Promise<LegerRunClient> {
  const { urls, token, fetch } = options;
  const value = typeof token === "function" ? await token() : token;
  if (value === undefined) {
    throw new LegerError(
      "ERR_LEGER_NOT_AUTHENTICATED",
      `Cannot ${action}: asking leger.run's API needs a login`,
      {
        remedy: "Run `leger auth login`, or name a version with --version vN",
      },
    );
  }
  return new LegerRunClient(urls.api, {
    token: value,
    webUrl: urls.web,
    fetch,
  });
}

function versionOf(release: Release, deployment: Deployment): string {
  for (const path of [pathOf(deployment.manifest_url), deployment.r2_path]) {
    const match = path === null ? null : VERSION_IN_PATH_REGEXP.exec(path);
    if (match !== null) return match[1];
  }
  return `v${release.version}`;
}

function pathOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).pathname;
  } catch (error) {
    // A bare path (`<uuid>/v3/manifest.json`) is no URL, and fine as it is.
    if (!(error instanceof TypeError)) throw error;
    return url;
  }
}
