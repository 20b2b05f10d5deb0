import type { LegerRunUrls } from "../api/resolve_leger_run_urls.ts";
import { LegerError, redactUrl } from "../errors/mod.ts";
import { checkBareFileName } from "../manifest/check_bare_file_name.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { parseManifestJson } from "../manifest/parse_manifest_json.ts";
import { verifyChecksums } from "../manifest/verify_checksums.ts";
import { mapConcurrent } from "./_map_concurrent.ts";
import {
  fetchStaticFile,
  type FetchStaticFileOptions,
} from "./_leger_run_fetch_file.ts";
import {
  findMissingReferences,
  type MissingReference,
} from "./_leger_run_missing_references.ts";
import { requireUtf8 } from "./_leger_run_require_utf8.ts";
import {
  type LegerRunFolder,
  type LegerRunSpec,
  resolveLegerRunFolder,
} from "./_leger_run_resolve_folder.ts";
import { StaticFetchError } from "./_leger_run_static_fetch_error.ts";
import { normaliseLegerRun } from "./normalise_leger_run.ts";
import { sha256Hex } from "./sha256_hex.ts";
import type { DeploymentFile, LoadedDeployment } from "./types.ts";

export type { LegerRunSpec } from "./_leger_run_resolve_folder.ts";
export type { FetchStaticFileOptions } from "./_leger_run_fetch_file.ts";

const MIB = 1024 * 1024;
const MANIFEST_JSON = "manifest.json";

/**
 * The deployment name of a user's leger.run space, whatever version or
 * release is installed from it, so that `leger deploy update` finds it again.
 */
export const LEGER_RUN_DEPLOYMENT_NAME = "leger-run";

/** Options for {@linkcode fetchLegerRunSource}. */
export interface FetchLegerRunSourceOptions extends
  Pick<
    FetchStaticFileOptions,
    | "connectTimeoutMs"
    | "fileTimeoutMs"
    | "retries"
    | "retryDelaysMs"
    | "delay"
    | "signal"
  > {
  /** leger.run's base URLs (`resolveLegerRunUrls()`). */
  urls: LegerRunUrls;
  /**
   * The bearer token, or a function that reads it (it is called only when
   * the API must be asked: for `latest` without a `latest/` folder and for a
   * release name).
   *
   * @default {undefined}
   */
  token?: string | (() => Promise<string>);
  /**
   * The `fetch` to use, for the static files and the API.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Most files fetched at once.
   *
   * @default {8}
   */
  concurrency?: number;
  /**
   * The deployment name to give the result.
   *
   * @default {the release name when one was asked for, else "leger-run"}
   */
  name?: string;
  /**
   * Largest file accepted, in bytes (the manifest included).
   *
   * @default {1048576}
   */
  maxFileSize?: number;
  /**
   * Largest total of all files accepted, in bytes.
   *
   * @default {67108864}
   */
  maxTotalSize?: number;
  /**
   * Most files accepted.
   *
   * @default {1000}
   */
  maxFiles?: number;
  /**
   * Gives up when the deployment has not arrived whole after this many
   * milliseconds: every file, retry, wait between retries and API call
   * together, so that a server that trickles its answers cannot hold leger
   * for each file's `fileTimeoutMs` times its retries.
   *
   * @default {60000}
   */
  timeoutMs?: number;
  /**
   * The command that picks another version, for the remedy when the version
   * asked for does not exist (`leger deploy update web --version vN` for an
   * update).
   *
   * @default {"leger deploy install --version vN"}
   */
  pickVersion?: string;
}

/**
 * Fetches a rendered deployment from a leger.run space into memory, checked
 * and normalised, ready to plan and stage. Nothing is written to disk.
 *
 * In order:
 *
 * 1. The version folder (see `resolveLegerRunFolder`): `vN` directly;
 *    `latest` from `latest/` when it exists, else from the newest release
 *    with a finished deployment (API, needs the token); a release name
 *    through `GET /releases?name=NAME`.
 * 2. `manifest.json`, in either form. Every name in it is checked to be a
 *    bare name before anything else is downloaded.
 * 3. Every file it lists (for the CLI form, each `quadlet_file` and the file
 *    `X.volume` of each volume `X`), a few at a time, each checked against
 *    its checksum and size on the bytes as served: a mismatch is
 *    `ERR_CHECKSUM_MISMATCH` and nothing is returned.
 * 4. Then, round after round until none is missing, the files the fetched
 *    units reference that the manifest left out (`Network=llm.network`,
 *    `EnvironmentFile=`, relative `Volume=` sources, `Yaml=`…). Such a file
 *    that cannot be fetched is an error naming the unit, line and URL: the
 *    CLI form omits them (known defect 3), so they are expected to be there.
 *    A reference to `X.volume` where the folder holds `X.volume.volume` is
 *    known defect 1, not a missing file.
 * 5. The contract's normalisations (`normaliseLegerRun`), applied to the
 *    copy in memory and listed in `normalisations`.
 *
 * Each file: 1 MiB at most, unit files valid UTF-8; 10 s to the answer's
 * headers and 60 s to its last byte; network errors, timeouts, cut-short
 * bodies and 5xx answers retried three times (0.5 s, 1 s, 2 s), other 4xx
 * answers not (see `fetchStaticFile`). The whole fetch, every file and
 * retry together, gives up after `timeoutMs` (60 s).
 *
 * The result's `name` is `options.name`, else the release name the user
 * asked for, else {@linkcode LEGER_RUN_DEPLOYMENT_NAME} (`leger-run`): one
 * name per space, whichever version is installed, so that an update from v1
 * to v2 is an update of the same deployment. `source` is
 * `{type: "leger.run", location, version}` with `location` the folder asked
 * for (`…/latest/` stays `latest`, so that fetching it again follows the
 * newest release) and `version` the `vN` actually fetched (`latest` only when
 * the space has a real `latest/` folder, whose number nothing states); a
 * release asked for by name is recorded as `ref`.
 *
 * Requires `--allow-net` for the static and API hosts.
 *
 * @param spec The user's UUID, the version (`latest` or `vN`) and an optional release name.
 * @param options URLs, token, `fetch`, limits, timeouts and retries.
 * @returns The deployment, files sorted by path, staged names and bytes.
 * @throws {LegerError} `ERR_MANIFEST_FETCH_FAILED` when the manifest or a
 * file cannot be fetched (naming the URL, and for a missing version how to
 * list versions), or when the whole fetch takes longer than `timeoutMs`
 * (naming what it still waited for, and the time waited); `ERR_CHECKSUM_MISMATCH`; `ERR_UNSAFE_PATH` for a name that
 * is not bare; `ERR_FILE_TOO_LARGE`; `ERR_NOT_UTF8`; `ERR_MANIFEST_INVALID`;
 * `ERR_NO_UNITS`; `ERR_LEGER_NOT_AUTHENTICATED` and the API's errors when the
 * API must be asked.
 *
 * @example Usage
 * ```ts ignore
 * import { fetchLegerRunSource } from "./fetch_leger_run_source.ts";
 * import { resolveLegerRunUrls } from "../api/resolve_leger_run_urls.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const deployment = await fetchLegerRunSource(
 *   { userUuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435", version: "v1" },
 *   { urls: resolveLegerRunUrls((name) => Deno.env.get(name)) },
 * );
 * strictEqual(deployment.source.version, "v1");
 * strictEqual(deployment.files.some((f) => f.path === "llm.network"), true);
 * ```
 */
export async function fetchLegerRunSource(
  spec: LegerRunSpec,
  options: FetchLegerRunSourceOptions,
): Promise<LoadedDeployment> {
  const { timeoutMs = 60_000, signal, fetch = globalThis.fetch } = options;
  signal?.throwIfAborted();
  const started = performance.now();
  const deadline = new AbortController();
  const pending = new Set<string>();
  let waiting: string[] = [];
  const timer = setTimeout(() => {
    waiting = [...pending];
    deadline.abort(new DOMException("Deadline exceeded", "TimeoutError"));
  }, timeoutMs);
  const stop = signal === undefined
    ? deadline.signal
    : AbortSignal.any([signal, deadline.signal]);
  try {
    return await fetchWithin(spec, {
      ...options,
      signal: stop,
      // The API's requests stop at the deadline too.
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([init.signal, stop]) : stop,
        }),
    }, pending);
  } catch (error) {
    // Whatever failed once the deadline passed failed because of it.
    if (!deadline.signal.aborted || signal?.aborted) throw error;
    throw timedOut(error, {
      space: `${options.urls.static.replace(/\/+$/, "")}/${
        encodeURIComponent(spec.userUuid)
      }/`,
      pending: waiting,
      timeoutMs,
      waitedMs: performance.now() - started,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The fetch itself; `pending` holds the URLs of the files under way. */
async function fetchWithin(
  spec: LegerRunSpec,
  options: FetchLegerRunSourceOptions,
  pending: Set<string>,
): Promise<LoadedDeployment> {
  const {
    urls,
    token,
    fetch,
    concurrency = 8,
    maxFileSize = MIB,
    maxTotalSize = 64 * MIB,
    maxFiles = 1000,
    pickVersion = "leger deploy install --version vN",
  } = options;
  const fetchOptions: FetchStaticFileOptions = {
    fetch,
    connectTimeoutMs: options.connectTimeoutMs,
    fileTimeoutMs: options.fileTimeoutMs,
    retries: options.retries,
    retryDelaysMs: options.retryDelaysMs,
    delay: options.delay,
    signal: options.signal,
    maxBytes: maxFileSize,
  };
  const fetchFile = async (url: string) => {
    pending.add(url);
    try {
      return await fetchStaticFile(url, fetchOptions);
    } finally {
      pending.delete(url);
    }
  };
  const name = deploymentName(spec, options.name);

  let folder: LegerRunFolder;
  try {
    folder = await resolveLegerRunFolder(spec, {
      urls,
      token,
      fetch,
      fetchFile,
    });
  } catch (error) {
    if (!(error instanceof StaticFetchError)) throw error;
    throw manifestError(
      error,
      `${error.url.slice(0, -MANIFEST_JSON.length)}`,
      pickVersion,
    );
  }
  const manifestUrl = `${folder.url}${MANIFEST_JSON}`;
  let manifestBytes = folder.manifest;
  if (manifestBytes === undefined) {
    try {
      manifestBytes = await fetchFile(manifestUrl);
    } catch (error) {
      if (!(error instanceof StaticFetchError)) throw error;
      throw manifestError(error, folder.url, pickVersion);
    }
  }
  const manifest = parseManifestJson(
    decodeManifest(manifestBytes, manifestUrl),
    {
      file: manifestUrl,
    },
  );

  const fetchOne = async (path: string, ref?: MissingReference) => {
    const url = folder.url + path.split("/").map(encodeURIComponent).join("/");
    let bytes: Uint8Array;
    try {
      bytes = await fetchFile(url);
    } catch (error) {
      if (!(error instanceof StaticFetchError)) throw error;
      throw fileError(error, { path, ref, folder: folder.url, web: urls.web });
    }
    return { path, bytes, sha256: await sha256Hex(bytes) };
  };
  const listed = manifest.files.map((file) => file.name);
  checkCount(listed.length, maxFiles, folder.url);
  const files: DeploymentFile[] = await mapConcurrent(
    listed,
    concurrency,
    (path) => fetchOne(path),
  );
  // Checksums first: a file that is not what the manifest says is reported as such.
  verifyChecksums(files, manifest, {
    location: folder.url,
    remedy:
      `Nothing was staged; run the command again, and if it repeats, deploy the release again in the web UI at ${urls.web}`,
  });
  const checkText = (file: DeploymentFile) =>
    requireUtf8(file.path, file.bytes, folder.url + file.path);
  files.forEach(checkText);
  for (
    let missing = findMissingReferences(files);
    missing.length > 0;
    missing = findMissingReferences(files)
  ) {
    checkCount(files.length + missing.length, maxFiles, folder.url);
    const fetched = await mapConcurrent(
      missing,
      concurrency,
      (ref) => fetchOne(ref.path, ref),
    );
    fetched.forEach(checkText);
    files.push(...fetched);
  }
  checkTotal(files, maxTotalSize, folder.url);

  const staged = await normaliseLegerRun(files);
  const units = discoverManifest(staged.files.map((file) => file.path)).units;
  if (Object.keys(units ?? {}).length === 0) {
    throw new LegerError(
      "ERR_NO_UNITS",
      `Cannot use ${folder.url} as a deployment: its manifest names no quadlet unit`,
      {
        remedy:
          `Add services to the release in the web UI at ${urls.web} and deploy it again`,
      },
    );
  }
  return {
    name,
    source: {
      type: "leger.run",
      // Shown and recorded: never with credentials LEGER_STATIC_URL may hold.
      location: redactUrl(folder.location),
      version: folder.version,
      ...(spec.releaseName === undefined ? {} : { ref: spec.releaseName }),
    },
    files: staged.files,
    manifest: { ...manifest, units },
    normalisations: staged.normalisations,
  };
}

function timedOut(
  cause: unknown,
  context: {
    space: string;
    pending: string[];
    timeoutMs: number;
    waitedMs: number;
  },
): LegerError {
  const { space, pending, timeoutMs, waitedMs } = context;
  const [first, ...more] = pending;
  return new LegerError(
    "ERR_MANIFEST_FETCH_FAILED",
    `Cannot fetch the deployment from ${space}: it did not arrive whole within the limit of ${
      seconds(timeoutMs)
    } s (waited ${seconds(waitedMs)} s)`,
    {
      cause,
      details: first === undefined ? [] : [
        `still waiting for ${first}${
          more.length === 0 ? "" : ` and ${more.length} more`
        }`,
      ],
      remedy:
        "Check this machine's network connection, then run the command again; allow more time with --timeout SECONDS",
    },
  );
}

/** Milliseconds as seconds, to a tenth. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

function deploymentName(spec: LegerRunSpec, name: string | undefined): string {
  const chosen = name ?? spec.releaseName ?? LEGER_RUN_DEPLOYMENT_NAME;
  const problem = checkBareFileName(chosen);
  if (problem !== undefined) {
    throw new LegerError(
      "ERR_UNSAFE_PATH",
      `Cannot use ${
        JSON.stringify(chosen)
      } as a deployment name: the name ${problem}`,
      {
        remedy:
          "Rename the release in the web UI to a plain name such as `production`",
      },
    );
  }
  return chosen;
}

function decodeManifest(bytes: Uint8Array, url: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new LegerError(
      "ERR_MANIFEST_INVALID",
      `Cannot read ${url}: it is not valid UTF-8 text`,
      { file: url, cause: error },
    );
  }
}

function manifestError(
  error: StaticFetchError,
  folder: string,
  pickVersion: string,
): LegerError {
  if (error.failure === "too-large") {
    return new LegerError(
      "ERR_FILE_TOO_LARGE",
      `Cannot fetch the manifest of ${folder}: ${error.message}`,
      {
        cause: error,
        remedy: "Check that the URL names a leger.run version folder",
      },
    );
  }
  return new LegerError(
    "ERR_MANIFEST_FETCH_FAILED",
    `Cannot fetch the manifest of ${folder}: ${error.message}`,
    {
      cause: error,
      details: attempts(error),
      remedy: error.notFound
        ? `No such version: \`leger auth status\` lists the versions of your leger.run space; pick one with \`${pickVersion}\``
        : retryRemedy(error),
    },
  );
}

function fileError(
  error: StaticFetchError,
  context: {
    path: string;
    ref?: MissingReference;
    folder: string;
    web: string;
  },
): LegerError {
  const { path, ref, folder, web } = context;
  const what = ref === undefined
    ? `Cannot fetch ${JSON.stringify(path)} from ${folder}`
    : `Cannot fetch ${
      JSON.stringify(path)
    }, which ${ref.key}= of "${ref.unit}" names at line ${ref.line}`;
  const where = ref === undefined ? {} : { file: ref.unit, line: ref.line };
  if (error.failure === "too-large") {
    return new LegerError("ERR_FILE_TOO_LARGE", `${what}: ${error.message}`, {
      ...where,
      cause: error,
      remedy:
        "Keep large data out of the deployment and mount it with Volume= instead",
    });
  }
  return new LegerError(
    "ERR_MANIFEST_FETCH_FAILED",
    `${what}: ${error.message}`,
    {
      ...where,
      cause: error,
      details: attempts(error),
      remedy: error.failure === "status" && error.status! < 500
        ? `The rendered deployment is incomplete: deploy the release again in the web UI at ${web}, then run the command again`
        : retryRemedy(error),
    },
  );
}

function attempts(error: StaticFetchError): string[] {
  return error.attempts > 1 ? [`tried ${error.attempts} times`] : [];
}

function retryRemedy(error: StaticFetchError): string {
  return error.failure === "status"
    ? "leger.run has a problem on its side: try again in a few minutes"
    : "Check this machine's network connection, then run the command again";
}

function checkCount(count: number, maxFiles: number, folder: string): void {
  if (count <= maxFiles) return;
  throw new LegerError(
    "ERR_FILE_TOO_LARGE",
    `Cannot fetch ${folder}: it has ${count} files, more than the limit of ${maxFiles}`,
    { remedy: "Split the release into smaller deployments" },
  );
}

function checkTotal(
  files: readonly DeploymentFile[],
  maxTotalSize: number,
  folder: string,
): void {
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total <= maxTotalSize) return;
  throw new LegerError(
    "ERR_FILE_TOO_LARGE",
    `Cannot fetch ${folder}: its files total ${total} bytes, more than the limit of ${maxTotalSize} bytes`,
    {
      remedy:
        "Keep large data out of the deployment and mount it with Volume= instead",
    },
  );
}
