import type { LoadedDeployment } from "../source/types.ts";
import {
  type DeploymentRecord,
  writeDeploymentFolder,
} from "../state/deployment_folder.ts";
import {
  type InstalledDeployment,
  writeDeployments,
} from "../state/deployments_file.ts";
import { setKeptVolumes } from "../state/kept_volumes.ts";
import { setManifest } from "../state/manifests_file.ts";
import type { LegerPaths, Scope } from "../state/paths.ts";

/** What {@linkcode recordDeployment} records of an installed deployment. */
export interface RecordDeploymentOptions {
  /** The scope it is installed in. */
  scope: Scope;
  /** The scope's folders. */
  paths: LegerPaths;
  /** The staged record (files and checksums, source, normalisations). */
  record: DeploymentRecord;
  /** The unit files. */
  units: readonly string[];
  /** The services leger starts. */
  services: readonly string[];
  /** The services of every unit (volumes and networks included). */
  unitServices: readonly string[];
  /** The Podman volumes the units create. */
  volumes: readonly string[];
  /** The Podman networks the units create. */
  networks: readonly string[];
  /** `deployments.yaml` as read under the deploy lock. */
  installed: readonly InstalledDeployment[];
  /** When it was installed. */
  now: Date;
  /** The id of the change (its intent journal's), recorded with it. */
  changeId?: string;
  /**
   * Services left stopped because a secret they use is not in Podman yet:
   * legerd starts them once it is (`waiting_for_secrets`).
   *
   * @default {[]}
   */
  waitingForSecrets?: readonly string[];
  /**
   * Podman volumes of its that no unit creates any more (an update dropped
   * their `.volume` units) and that were kept with their data: recorded as
   * its kept volumes, so that installing a unit of them again adopts them.
   *
   * @default {[]}
   */
  keptVolumes?: readonly string[];
}

/**
 * The last stage of a deploy. Records an installed deployment: its files as `active/<name>/`, its entry in
 * `deployments.yaml` and its manifest in `manifest.json`, each written
 * atomically; the staged copy it came from is then removed.
 *
 * Requires `--allow-read` and `--allow-write` for leger's folders.
 *
 * @param deployment The deployment installed.
 * @param options What was installed, and where.
 *
 * @example Usage
 * ```ts ignore
 * import { recordDeployment } from "./record_deployment.ts";
 * await recordDeployment(deployment, { scope, paths, record, units, services, unitServices, volumes, networks, installed, now: new Date() });
 * ```
 */
export async function recordDeployment(
  deployment: LoadedDeployment,
  options: RecordDeploymentOptions,
): Promise<void> {
  const { scope, paths, record } = options;
  const entry: InstalledDeployment = {
    name: deployment.name,
    scope,
    source: deployment.source,
    installed_at: options.now.toISOString(),
    files: record.files,
    units: [...options.units],
    services: [...options.services],
    unit_services: [...options.unitServices],
    volumes: [...options.volumes],
    networks: [...options.networks],
    ...(options.changeId === undefined ? {} : { change_id: options.changeId }),
    ...(options.waitingForSecrets?.length
      ? { waiting_for_secrets: [...options.waitingForSecrets] }
      : {}),
  };
  const others = options.installed.filter((d) => d.name !== deployment.name);
  // deployments.yaml first: once it names this change, the change is done,
  // and a leger interrupted after this point finishes the rest from the
  // staged copy rather than undoing it.
  await writeDeployments(paths.stateDir, [...others, entry]);
  await writeDeploymentFolder(
    `${paths.workDir}/active/${deployment.name}`,
    record,
    new Map(deployment.files.map((file) => [file.path, file.bytes])),
  );
  await setManifest(paths.stateDir, deployment.name, deployment.manifest);
  await setKeptVolumes(paths.stateDir, deployment.name, [
    ...options.keptVolumes ?? [],
  ]);
  // A staged update of it is superseded by what was just installed.
  await Deno.remove(`${paths.workDir}/staged/${deployment.name}`, {
    recursive: true,
  }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}
