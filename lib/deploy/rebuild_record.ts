import { loadUnits } from "../quadlet/load_units.ts";
import { readDeploymentFolder } from "../state/deployment_folder.ts";
import type { InstalledDeployment } from "../state/deployments_file.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import { servicesToStart } from "./unit_roles.ts";
import { unitServices } from "./unit_services.ts";

/**
 * Rebuilds what `deployments.yaml` should say of a deployment from the copy
 * leger kept of it — `active/<name>/`, else `staged/<name>/` — for
 * `leger deploy remove --force` when its entry is missing or damaged.
 *
 * Requires `--allow-read` for leger's working folder.
 *
 * @param name The deployment's name.
 * @param context The scope and its folders.
 * @returns The entry, or `null` when leger kept no copy of it.
 *
 * @example Usage
 * ```ts ignore
 * import { rebuildRecord } from "./rebuild_record.ts";
 * const entry = await rebuildRecord("web", context);
 * ```
 */
export async function rebuildRecord(
  name: string,
  context: DeployContext,
): Promise<InstalledDeployment | null> {
  const { workDir, quadletDir } = pathsOf(context);
  const folder = await readDeploymentFolder(`${workDir}/active/${name}`) ??
    await readDeploymentFolder(`${workDir}/staged/${name}`);
  if (folder === null) return null;
  const files = folder.record.files.map((f) => ({
    path: f.name,
    bytes: folder.files.get(f.name) ?? new Uint8Array(),
  }));
  const units = loadUnits(files, { unitDir: quadletDir }).units.map((u) =>
    u.quadlet
  );
  const named = (kind: string) =>
    units.filter((u) => u.kind === kind && u.resourceName !== null).map((u) =>
      u.resourceName!
    );
  return {
    name,
    scope: context.scope,
    source: folder.record.source,
    installed_at: folder.record.fetched_at,
    files: folder.record.files,
    units: units.map((u) => u.file),
    services: servicesToStart(units),
    unit_services: unitServices(units),
    volumes: named("volume"),
    networks: named("network"),
  };
}
