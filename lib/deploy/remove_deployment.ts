import type { HostOps } from "../adapters/host_ops.ts";
import {
  type InstalledDeployment,
  readDeployments,
  writeDeployments,
} from "../state/deployments_file.ts";
import {
  clearJournal,
  type IntentJournal,
  writeJournal,
} from "../state/intent_journal.ts";
import { setKeptVolumes } from "../state/kept_volumes.ts";
import { setManifest } from "../state/manifests_file.ts";
import { type DeployContext, hostOf, pathsOf } from "./context.ts";

/** Options for {@linkcode removeDeployment}. */
export interface RemoveDeploymentOptions {
  /**
   * Remove the deployment's volumes too; by default they are kept, and a
   * later install of the same deployment adopts them.
   *
   * @default {false}
   */
  removeVolumes?: boolean;
}

/**
 * Removes an installed deployment, under the deploy lock: writes the intent
 * journal, then stops its services, deletes its units and files, removes its
 * networks (and its volumes when asked) and its record. Every step is
 * idempotent — units deleted by hand, Podman's markers gone, a volume
 * already removed all count as done — so a remove always finishes, and one
 * that was interrupted is finished by the next leger that takes the lock.
 * Files leger did not install are never touched.
 *
 * Requires `--allow-read`, `--allow-write` for leger's and Podman's folders
 * and `--allow-run=podman,systemctl`.
 *
 * @param deployment The deployment's entry in `deployments.yaml` (or what
 * `leger deploy remove --force` rebuilt of it).
 * @param context The scope, its folders, the runner and host facts.
 * @param options Whether to remove the volumes.
 * @returns The volumes kept.
 * @throws {CommandError} When Podman or systemctl fail for another reason
 * than what is already gone; the journal stays, and the next leger retries.
 *
 * @example Usage
 * ```ts ignore
 * import { removeDeployment } from "./remove_deployment.ts";
 * const { keptVolumes } = await removeDeployment(entry, context);
 * ```
 */
export async function removeDeployment(
  deployment: InstalledDeployment,
  context: DeployContext,
  options: RemoveDeploymentOptions = {},
): Promise<{ keptVolumes: string[] }> {
  const { removeVolumes = false } = options;
  const intent: IntentJournal = {
    change_id: crypto.randomUUID(),
    operation: "remove",
    deployment: deployment.name,
    pid: Deno.pid,
    started_at: context.now().toISOString(),
    staged_dir: null,
    files: deployment.files.map((f) => f.name),
    unit_services: deployment.unit_services ?? deployment.services,
    services: deployment.services,
    volumes: deployment.volumes,
    networks: deployment.networks ?? [],
    previous: null,
    remove_volumes: removeVolumes,
  };
  await writeJournal(pathsOf(context).stateDir, intent);
  await finishRemove(intent, context, await hostOf(context));
  return { keptVolumes: removeVolumes ? [] : [...deployment.volumes] };
}

/**
 * Carries out (or finishes) a remove as its intent journal describes it, and
 * clears the journal.
 *
 * @param intent The journal of the remove.
 * @param context The scope and its folders.
 * @param ops The host.
 *
 * @example Usage
 * ```ts ignore
 * import { finishRemove } from "./remove_deployment.ts";
 * await finishRemove(intent, context, ops);
 * ```
 */
export async function finishRemove(
  intent: IntentJournal,
  context: DeployContext,
  ops: HostOps,
): Promise<void> {
  const { deployment: name } = intent;
  const paths = pathsOf(context);
  // Instances of its templates may run beyond those it started
  // (`leger service start worker@three`): they go with the template.
  const services = [
    ...new Set([
      ...intent.unit_services,
      ...await ops.loadedInstances(templatePatterns(intent.files)),
    ]),
  ];
  context.progress(`Stopping ${services.join(", ") || "nothing"}…`);
  await ops.stop(services);
  context.progress("Removing the units…");
  await ops.removeFiles(intent.files);
  await ops.resetFailed(services);
  // Networks hold no data: they go with the deployment, or a new install of
  // it would find them taken.
  await ops.removeNetworks(intent.networks);
  if (intent.remove_volumes && intent.volumes.length > 0) {
    context.progress(`Removing the volumes ${intent.volumes.join(", ")}…`);
    await ops.removeVolumes(intent.volumes);
  }
  const installed = await readDeployments(paths.stateDir);
  if (installed.some((d) => d.name === name)) {
    await writeDeployments(
      paths.stateDir,
      installed.filter((d) => d.name !== name),
    );
  }
  await setKeptVolumes(
    paths.stateDir,
    name,
    intent.remove_volumes ? [] : intent.volumes,
  );
  await setManifest(paths.stateDir, name, null);
  await Deno.remove(`${paths.workDir}/active/${name}`, { recursive: true })
    .catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  await clearJournal(paths.stateDir);
}

/** `worker@*.service` for each template unit file (`worker@.container`). */
function templatePatterns(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const match = /^([^/]+@)\.(container|pod|kube)$/.exec(file);
    return match === null ? [] : [`${match[1]}*.service`];
  });
}
