import { legerRunUrls } from "./leger_run_urls.ts";
import { classifySource } from "../../../lib/source/classify_source.ts";
import { expandPath } from "../../../lib/source/expand_path.ts";
import { readLocalSource } from "../../../lib/source/read_local_source.ts";
import type { LoadedDeployment } from "../../../lib/source/types.ts";
import type { CliContext } from "../../context.ts";

/** Options for {@linkcode fetchDeployment}. */
export interface FetchDeploymentOptions {
  /** `--version` of the user's leger.run space. */
  version?: string;
  /** A release of the user's leger.run space, by name (`leger deploy install NAME`). */
  release?: string;
  context: CliContext;
}

/**
 * Fetches the deployment a `--source` names (a local folder, a Git repository
 * folder or a leger.run version) into memory, checked for safety and
 * checksums. Nothing is written.
 *
 * Requires `--allow-read`, `--allow-net` for leger.run and `--allow-run=git`.
 */
export async function fetchDeployment(
  source: string | undefined,
  options: FetchDeploymentOptions,
): Promise<LoadedDeployment> {
  const { version, release, context } = options;
  const urls = await legerRunUrls(context);
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
      });
    case "git": {
      const { fetchGitSource } = await import(
        "../../../lib/source/fetch_git_source.ts"
      );
      return await fetchGitSource(spec.url, { home: context.home });
    }
    case "leger.run":
    case "leger.run-space": {
      const [{ fetchLegerRunSource }, { requireAuthState }] = await Promise
        .all([
          import("../../../lib/source/fetch_leger_run_source.ts"),
          import("../../../lib/auth/require_auth_state.ts"),
        ]);
      const pathEnv = { home: context.home, env: context.env };
      // The login is read only when needed: a vN URL needs none.
      const login = (action: string) => requireAuthState(pathEnv, { action });
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
      });
    }
  }
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
