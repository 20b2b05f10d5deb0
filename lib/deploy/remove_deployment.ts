import { hostOps } from "../adapters/host_ops.ts";
import {
  type InstalledDeployment,
  writeDeployments,
} from "../state/deployments_file.ts";
import { setKeptVolumes } from "../state/kept_volumes.ts";
import { writeFileAtomic } from "../state/write_file_atomic.ts";
import { type DeployContext, pathsOf } from "./context.ts";

/** Options for {@linkcode removeDeployment}. */
export interface RemoveDeploymentOptions {
  /** `deployments.yaml` as read under the deploy lock. */
  installed: readonly InstalledDeployment[];
  /**
   * Remove the deployment's volumes too; by default they are kept, and a
   * later install of the same deployment adopts them.
   *
   * @default {false}
   */
  removeVolumes?: boolean;
}

/**
 * Removes an installed deployment, under the deploy lock: stops its
 * services, removes its units (`podman quadlet rm`, or the files for Podman
 * < 5.6) and its networks, its volumes when asked, and its record. Files
 * leger did not install are never touched.
 *
 * Requires `--allow-read`, `--allow-write` for leger's and Podman's folders
 * and `--allow-run=podman,systemctl`.
 *
 * @param deployment The deployment's entry in `deployments.yaml`.
 * @param context The scope, its folders, the runner and host facts.
 * @param options `deployments.yaml`, and whether to remove the volumes.
 * @returns The volumes kept.
 * @throws {CommandError} When Podman or systemctl fail.
 *
 * @example Usage
 * ```ts ignore
 * import { removeDeployment } from "./remove_deployment.ts";
 * const { keptVolumes } = await removeDeployment(entry, context, { installed });
 * ```
 */
export async function removeDeployment(
  deployment: InstalledDeployment,
  context: DeployContext,
  options: RemoveDeploymentOptions,
): Promise<{ keptVolumes: string[] }> {
  const { installed, removeVolumes = false } = options;
  const { name } = deployment;
  const paths = pathsOf(context);
  const support = await context.detectSupport();
  const ops = hostOps({
    scope: context.scope,
    quadletDir: paths.quadletDir,
    runner: context.runner,
    ...support,
  });
  const unitServices = deployment.unit_services ?? deployment.services;
  context.progress(`Stopping ${unitServices.join(", ") || "nothing"}…`);
  await ops.stop(unitServices);
  context.progress("Removing the units…");
  await ops.removeFiles(deployment.files.map((f) => f.name));
  await ops.resetFailed(unitServices);
  // Networks hold no data: they go with the deployment, or a new install of
  // it would find them taken.
  await ops.removeNetworks(deployment.networks ?? []);
  if (removeVolumes && deployment.volumes.length > 0) {
    context.progress(`Removing the volumes ${deployment.volumes.join(", ")}…`);
    await ops.removeVolumes(deployment.volumes);
  }
  await writeDeployments(
    paths.stateDir,
    installed.filter((d) => d.name !== name),
  );
  const keptVolumes = removeVolumes ? [] : [...deployment.volumes];
  await setKeptVolumes(paths.stateDir, name, keptVolumes);
  await forgetManifest(paths.stateDir, name);
  await Deno.remove(`${paths.workDir}/active/${name}`, { recursive: true })
    .catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  return { keptVolumes };
}

async function forgetManifest(stateDir: string, name: string): Promise<void> {
  const path = `${stateDir}/manifest.json`;
  let document: { deployments?: Record<string, unknown> };
  try {
    document = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  delete document.deployments?.[name];
  await writeFileAtomic(
    path,
    new TextEncoder().encode(JSON.stringify(document, null, 2) + "\n"),
  );
}
