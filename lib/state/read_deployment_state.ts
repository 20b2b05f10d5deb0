import {
  type DeploymentFolder,
  listDeploymentRecords,
  readDeploymentFolder,
} from "./deployment_folder.ts";
import { legerPaths, type PathEnv, type Scope } from "./paths.ts";

import { chooseDeployment } from "./choose_deployment.ts";

/** The staged and active versions of one deployment. */
export interface DeploymentState {
  /** The deployment's name: the one named, or the only one there is. */
  name: string;
  /** Its folder under `staged/`, or `null` when nothing is staged for it. */
  staged: DeploymentFolder | null;
  /** Its folder under `active/` (the version installed), or `null` when there is none. */
  active: DeploymentFolder | null;
}

/**
 * Reads the staged and active folders of the deployment a command names (or
 * the only one there is) from leger's working folder of the scope.
 *
 * Requires `--allow-read` for leger's working folder.
 *
 * @param named The deployment named on the command line, if any.
 * @param options The scope, its environment, and `need`: `"staged"` to
 * choose among staged deployments only, `"any"` among staged and active ones.
 * @returns The deployment's name and its staged and active folders.
 * @throws {LegerError} `ERR_DEPLOYMENT_NOT_FOUND` when `named` is not one of
 * them, or when none is named and there is not exactly one.
 *
 * @example Usage
 * ```ts ignore
 * import { readDeploymentState } from "./read_deployment_state.ts";
 * const state = await readDeploymentState("web", {
 *   scope: "user",
 *   pathEnv: { home: "/home/a", env: (name) => Deno.env.get(name) },
 *   need: "any",
 * });
 * ```
 */
export async function readDeploymentState(
  named: string | undefined,
  options: { scope: Scope; pathEnv: PathEnv; need: "staged" | "any" },
): Promise<DeploymentState> {
  const { scope, pathEnv, need } = options;
  const { workDir } = legerPaths(scope, pathEnv);
  const staged = await listDeploymentRecords(`${workDir}/staged`);
  const active = await listDeploymentRecords(`${workDir}/active`);
  const known = need === "staged"
    ? staged.map((r) => r.deployment)
    : [...new Set([...active, ...staged].map((r) => r.deployment))].sort();
  const name = chooseDeployment(
    named,
    known,
    need === "staged" ? "staged" : "installed",
    { scope },
  );
  return {
    name,
    staged: await readDeploymentFolder(`${workDir}/staged/${name}`),
    active: await readDeploymentFolder(`${workDir}/active/${name}`),
  };
}
