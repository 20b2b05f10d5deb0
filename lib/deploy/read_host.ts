import { readInstalledUnits } from "../adapters/installed_units.ts";
import {
  listContainers,
  listNetworks,
  listVolumes,
} from "../adapters/podman.ts";
import { readProcNet } from "../adapters/proc_net.ts";
import type { HostSnapshot } from "../conflicts/types.ts";
import { LegerError } from "../errors/mod.ts";
import type { InstalledDeployment } from "../state/deployments_file.ts";
import { type DeployContext, pathsOf } from "./context.ts";

/**
 * Stage 4 of a deploy, first half: what is installed and in use on this host
 * — the quadlet units in the scope's folder (with the deployment leger
 * recorded each under), the sockets holding ports (`/proc/net`), and
 * Podman's volumes, containers and networks — for the conflict checks.
 * Without Podman there are no volumes, containers or networks to collide with.
 *
 * Requires `--allow-read` for the quadlet folder and
 * `--allow-run=podman,cat`.
 *
 * @param context The scope, its folders and the runner.
 * @param installed `deployments.yaml`, which names each unit's deployment.
 * @returns The snapshot `findConflicts` takes.
 *
 * @example Usage
 * ```ts ignore
 * import { readHost } from "./read_host.ts";
 * const host = await readHost(context, installed);
 * ```
 */
export async function readHost(
  context: DeployContext,
  installed: readonly InstalledDeployment[],
): Promise<HostSnapshot> {
  const { runner } = context;
  const owners = new Map(
    installed.flatMap((d) => d.units.map((unit) => [unit, d.name])),
  );
  const [units, listening, volumes, containers, networks] = await Promise.all([
    readInstalledUnits([pathsOf(context).quadletDir]),
    readProcNet({ runner }),
    orEmptyWithoutPodman(listVolumes(runner)),
    orEmptyWithoutPodman(listContainers(runner)),
    orEmptyWithoutPodman(listNetworks(runner)),
  ]);
  return {
    installed: units.units.map((unit) => ({
      quadlet: unit.quadlet,
      deployment: owners.get(unit.quadlet.file),
    })),
    listening,
    volumes,
    containers,
    networks,
  };
}

async function orEmptyWithoutPodman(
  list: Promise<string[]>,
): Promise<string[]> {
  try {
    return await list;
  } catch (error) {
    if (error instanceof LegerError && error.code === "ERR_COMMAND_NOT_FOUND") {
      return [];
    }
    throw error;
  }
}
