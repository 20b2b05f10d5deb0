import type { LoadedDeployment } from "../../../lib/source/types.ts";
import {
  type DeploymentRecord,
  writeDeploymentFolder,
} from "../../../lib/state/deployment_folder.ts";
import {
  type InstalledDeployment,
  writeDeployments,
} from "../../../lib/state/deployments_file.ts";
import { setKeptVolumes } from "../../../lib/state/kept_volumes.ts";
import type { LegerPaths, Scope } from "../../../lib/state/paths.ts";
import { writeFileAtomic } from "../../../lib/state/write_file_atomic.ts";

/**
 * Records an installed deployment: its files as `active/<name>/`, its entry in
 * `deployments.yaml` and its manifest in `manifest.json`, each written
 * atomically; the staged copy it came from is then removed.
 *
 * Requires `--allow-read` and `--allow-write` for leger's folders.
 */
export async function saveInstalled(
  deployment: LoadedDeployment,
  options: {
    scope: Scope;
    paths: LegerPaths;
    record: DeploymentRecord;
    /** The unit files. */
    units: readonly string[];
    /** The services leger starts, and those of every unit. */
    services: readonly string[];
    unitServices: readonly string[];
    /** The Podman volumes and networks the units create. */
    volumes: readonly string[];
    networks: readonly string[];
    /** `deployments.yaml` as read under the deploy lock. */
    installed: readonly InstalledDeployment[];
  },
): Promise<void> {
  const { scope, paths, record } = options;
  await writeDeploymentFolder(
    `${paths.workDir}/active/${deployment.name}`,
    record,
    new Map(deployment.files.map((file) => [file.path, file.bytes])),
  );
  const entry: InstalledDeployment = {
    name: deployment.name,
    scope,
    source: deployment.source,
    installed_at: new Date().toISOString(),
    files: record.files,
    units: [...options.units],
    services: [...options.services],
    unit_services: [...options.unitServices],
    volumes: [...options.volumes],
    networks: [...options.networks],
  };
  const others = options.installed.filter((d) => d.name !== deployment.name);
  await writeDeployments(paths.stateDir, [...others, entry]);
  await writeManifests(paths.stateDir, deployment);
  await setKeptVolumes(paths.stateDir, deployment.name, []);
  await Deno.remove(`${paths.workDir}/staged/${deployment.name}`, {
    recursive: true,
  });
}

/** `manifest.json`: the manifest of each installed deployment, by name. */
async function writeManifests(
  stateDir: string,
  deployment: LoadedDeployment,
): Promise<void> {
  const path = `${stateDir}/manifest.json`;
  let manifests: Record<string, unknown> = {};
  try {
    manifests = JSON.parse(await Deno.readTextFile(path)).deployments ?? {};
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  manifests[deployment.name] = deployment.manifest;
  await writeFileAtomic(
    path,
    new TextEncoder().encode(
      JSON.stringify({ deployments: manifests }, null, 2) + "\n",
    ),
  );
}
