import {
  type DeploymentFolder,
  listDeploymentRecords,
  readDeploymentFolder,
} from "./deployment_folder.ts";
import { legerPaths, type PathEnv, type Scope } from "./paths.ts";

import { chooseDeployment } from "./choose_deployment.ts";

/** The staged and active versions of one deployment. */
export interface DeploymentState {
  name: string;
  staged: DeploymentFolder | null;
  active: DeploymentFolder | null;
}

/**
 * Reads the staged and active folders of the deployment a command names (or
 * the only one there is) from leger's working folder of the scope.
 *
 * Requires `--allow-read` for leger's working folder.
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
  );
  return {
    name,
    staged: await readDeploymentFolder(`${workDir}/staged/${name}`),
    active: await readDeploymentFolder(`${workDir}/active/${name}`),
  };
}
