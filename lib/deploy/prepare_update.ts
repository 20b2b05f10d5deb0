import { LegerError } from "../errors/mod.ts";
import { loadUnits } from "../quadlet/load_units.ts";
import type { LoadedDeployment } from "../source/types.ts";
import { readDeploymentFolder } from "../state/deployment_folder.ts";
import { deploymentNotFound } from "../state/deployment_not_found.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../state/deployments_file.ts";
import { resolveVariables } from "../validate/resolve_variables.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import { planUpdate, type UpdatePlan } from "./plan_update.ts";
import { type PreparedInstall, prepareInstall } from "./prepare_install.ts";

/** Everything an update decides before it changes anything. */
export interface PreparedUpdate extends PreparedInstall {
  /** The installed version it updates. */
  previous: InstalledDeployment;
  /** What it changes, unit by unit (see {@linkcode planUpdate}). */
  update: UpdatePlan;
}

/**
 * Stages 2 to 5 of an update, under the deploy lock: plans the new version
 * exactly as an install plans it ({@linkcode prepareInstall}: validation,
 * Podman's generator, every check against the host), then compares it with
 * the installed version — its files as `deployments.yaml` records them and
 * its units typed from its recorded copy (`active/<name>/`) — to decide
 * what changes ({@linkcode planUpdate}). Changes nothing.
 *
 * Requires what {@linkcode prepareInstall} requires, and `--allow-read`
 * for leger's working folder.
 *
 * @param deployment The new version, read from its source or staged copy.
 * @param context The scope, its folders, the runner and host facts.
 * @returns The install plan, the previous version and the update plan.
 * @throws {LegerError} `ERR_DEPLOYMENT_NOT_FOUND` when the deployment is not
 * installed in the scope, listing those that are (and the closest name); `ERR_STATE_INVALID` when its recorded copy is
 * missing; what {@linkcode prepareInstall} throws.
 *
 * @example Usage
 * ```ts ignore
 * import { prepareUpdate } from "./prepare_update.ts";
 * const prepared = await prepareUpdate(deployment, context);
 * console.log(prepared.update.restart);
 * ```
 */
export async function prepareUpdate(
  deployment: LoadedDeployment,
  context: DeployContext,
): Promise<PreparedUpdate> {
  const prepared = await prepareInstall(deployment, context);
  const { previous } = prepared;
  const { quadletDir, stateDir, workDir } = pathsOf(context);
  if (previous === null) {
    // Installed ones listed, and the closest suggested, as every command does.
    const installed = await readDeployments(stateDir);
    throw deploymentNotFound(deployment.name, {
      known: installed.map((d) => d.name),
      scope: context.scope,
      remedy:
        `Install it with \`leger deploy install ${deployment.name} --source …\`${
          context.scope === "system" ? "" : ", or pass --scope system"
        }`,
    });
  }
  const activeDir = `${workDir}/active/${deployment.name}`;
  const active = await readDeploymentFolder(activeDir);
  if (active === null) {
    throw new LegerError(
      "ERR_STATE_INVALID",
      `Cannot update "${deployment.name}": leger's copy of its installed version (${activeDir}) is missing`,
      {
        file: activeDir,
        remedy:
          `Install the new version over it with \`leger deploy install ${deployment.name} --source …\`, which restarts every service`,
      },
    );
  }
  // Typed as planning types the new version, `${NAME}` resolved alike.
  const loaded = loadUnits(
    [...active.files].map(([path, bytes]) => ({ path, bytes })),
    { unitDir: quadletDir },
  ).units.map((unit) => ({
    path: unit.path,
    quadlet: resolveVariables(unit.unit, unit.quadlet).quadlet,
  }));
  const update = planUpdate(
    { files: previous.files, units: loaded },
    { files: prepared.plan.files, units: prepared.units },
  );
  return { ...prepared, previous, update };
}
