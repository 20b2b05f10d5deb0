import type { HostSnapshot } from "../conflicts/types.ts";
import type { LoadedUnit } from "../quadlet/load_units.ts";
import type { LoadedDeployment } from "../source/types.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../state/deployments_file.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import { planDeployment } from "./plan_deployment.ts";
import type { DeploymentPlan } from "./plan_types.ts";

/** Everything an install decides before it changes anything. */
export interface PreparedInstall {
  /** The deployment read from its source. */
  deployment: LoadedDeployment;
  /** Its plan against this host. */
  plan: DeploymentPlan;
  /** Its units, parsed and typed. */
  units: LoadedUnit[];
  /** The host as planning saw it. */
  host: HostSnapshot;
  /** `deployments.yaml`, read once under the lock. */
  installed: InstalledDeployment[];
  /** The installed version this install replaces, or `null`. */
  previous: InstalledDeployment | null;
  /**
   * Secrets the units name that are not in Podman yet (the plan's
   * `secrets_missing`): the units that use them are installed but not
   * started.
   */
  missingSecrets: string[];
}

/**
 * Stages 2 to 5 of an install, under the deploy lock: reads
 * `deployments.yaml` once, plans the deployment against the host (the
 * secrets Podman lacks included), and finds the previous version. Changes
 * nothing.
 *
 * Requires what {@linkcode planDeployment} requires.
 *
 * @param deployment The deployment read from its source.
 * @param context The scope, its folders, the runner and host facts.
 * @returns What {@linkcode installDeployment} and the confirmation need.
 *
 * @example Usage
 * ```ts ignore
 * import { prepareInstall } from "./prepare_install.ts";
 * const prepared = await prepareInstall(deployment, context);
 * ```
 */
export async function prepareInstall(
  deployment: LoadedDeployment,
  context: DeployContext,
): Promise<PreparedInstall> {
  const installed = await readDeployments(pathsOf(context).stateDir);
  const { plan, host, units } = await planDeployment(deployment, context, {
    installed,
  });
  return {
    deployment,
    plan,
    units,
    host,
    installed,
    previous: installed.find((d) => d.name === deployment.name) ?? null,
    missingSecrets: plan.secrets_missing,
  };
}
