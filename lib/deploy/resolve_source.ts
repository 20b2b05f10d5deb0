import { readLegerRunUrls } from "../api/read_leger_run_urls.ts";
import { LegerError } from "../errors/mod.ts";
import { redactUrl } from "../git/redact_url.ts";
import { checkDeploymentName } from "../manifest/check_deployment_name.ts";
import { classifySource } from "../source/classify_source.ts";
import { expandPath } from "../source/expand_path.ts";
import { readLocalSource } from "../source/read_local_source.ts";
import type { LoadedDeployment } from "../source/types.ts";
import type { DeployContext } from "./context.ts";

/** Options for {@linkcode resolveSource}. */
export interface ResolveSourceOptions {
  /** `--version` of the user's leger.run space (`latest`, `v3`). */
  version?: string;
  /** A release of the user's leger.run space, by name (`leger deploy install NAME`). */
  release?: string;
  /** The deployment's name, in place of the one its source gives. */
  name?: string;
  /**
   * Gives up when a Git or leger.run source has not been fetched whole after
   * this many milliseconds (`--timeout`), every step and retry together.
   *
   * @default {60000}
   */
  timeoutMs?: number;
  /**
   * Stops the fetch (git, downloads, retries) when aborted: the CLI aborts
   * it on SIGINT, SIGTERM and SIGHUP. Nothing is left behind.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * The command that picks another leger.run version, for the remedy when
   * the version asked for does not exist.
   *
   * @default {"leger deploy install --version vN"}
   */
  pickVersion?: string;
}

/**
 * Stage 1 of a deploy: fetches the deployment a `--source` names into memory
 * (a local folder, a Git repository folder, a leger.run version; the user's
 * leger.run space when `source` is undefined), checked for safety and
 * checksums. Nothing is written (a Git checkout goes to a temporary folder
 * that is removed on every way out, an abort included).
 *
 * Requires `--allow-read`, `--allow-net` for leger.run and `--allow-run=git`.
 *
 * @param source The `--source` as given, or `undefined` for the user's space.
 * @param context The environment (home, folder, variables) and runner.
 * @param options Version, release, name, time limit and abort signal.
 * @returns The deployment: files sorted by path, manifest, source.
 * @throws {LegerError} `ERR_DEPLOYMENT_NAME_INVALID`, `ERR_SOURCE_*`, `ERR_GIT_*`, `ERR_CHECKSUM_MISMATCH`,
 * `ERR_NOT_LOGGED_IN` and the other codes of the source readers;
 * `ERR_GIT_CLONE_FAILED` or `ERR_MANIFEST_FETCH_FAILED` when the fetch takes
 * longer than `timeoutMs`; `ERR_INTERRUPTED` when `signal` aborts it.
 *
 * @example Usage
 * ```ts ignore
 * import { resolveSource } from "./resolve_source.ts";
 * const deployment = await resolveSource("./my-app", context);
 * ```
 */
export async function resolveSource(
  source: string | undefined,
  context: DeployContext,
  options: ResolveSourceOptions = {},
): Promise<LoadedDeployment> {
  if (options.name !== undefined) {
    checkDeploymentName(options.name, {
      where: "the command line",
      fix: "Pass",
    });
  }
  let deployment: LoadedDeployment;
  try {
    deployment = await fetchSource(source, context, options);
  } catch (error) {
    if (options.signal?.aborted) throw interrupted(source, error);
    throw error;
  }
  if (options.name !== undefined) deployment.name = options.name;
  // Git and leger.run sources name a deployment after a repository or
  // release: it must be a name leger can use for folders and units too.
  checkDeploymentName(deployment.name, {
    where: `the source ${JSON.stringify(deployment.source.location)}`,
    fix:
      "Name it on the command line (`leger deploy install NAME --source …`), or",
  });
  return deployment;
}

async function fetchSource(
  source: string | undefined,
  context: DeployContext,
  options: ResolveSourceOptions,
): Promise<LoadedDeployment> {
  const { version, release, timeoutMs, signal } = options;
  const limits = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(signal === undefined ? {} : { signal }),
  };
  const urls = await readLegerRunUrls(context);
  const spec = classifySource(source, {
    staticUrl: urls.static,
    version,
    isLocalPath: (path) =>
      pathExists(expandPath(path, context.home, context.cwd)),
  });
  switch (spec.type) {
    case "local":
      return await readLocalSource(spec.path, {
        home: context.home,
        cwd: context.cwd,
        name: options.name,
      });
    case "git": {
      const { fetchGitSource } = await import(
        "../source/fetch_git_source.ts"
      );
      return await fetchGitSource(spec.url, {
        home: context.home,
        runner: context.runner,
        ...limits,
      });
    }
    case "leger.run":
    case "leger.run-space": {
      const [{ fetchLegerRunSource }, { requireAuthState }] = await Promise
        .all([
          import("../source/fetch_leger_run_source.ts"),
          import("../auth/require_auth_state.ts"),
        ]);
      // The login is read only when needed: a vN URL needs none.
      const login = (action: string) => requireAuthState(context, { action });
      const userUuid = spec.type === "leger.run"
        ? spec.userUuid
        : (await login("fetch your leger.run space")).user_uuid;
      return await fetchLegerRunSource({
        userUuid,
        version: spec.version,
        ...(release === undefined ? {} : { releaseName: release }),
      }, {
        urls,
        token: async () =>
          (await login(`resolve version "${spec.version}" on leger.run`)).token,
        ...limits,
        ...(options.pickVersion === undefined
          ? {}
          : { pickVersion: options.pickVersion }),
      });
    }
  }
}

function interrupted(source: string | undefined, cause: unknown): LegerError {
  return new LegerError(
    "ERR_INTERRUPTED",
    `Cannot fetch ${
      source === undefined
        ? "the deployment"
        : JSON.stringify(redactUrl(source))
    }: it was interrupted`,
    {
      cause,
      remedy: "Nothing was changed on this host; run the command again",
    },
  );
}

function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) return false;
    throw error;
  }
}
