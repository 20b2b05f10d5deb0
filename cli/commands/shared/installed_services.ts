/**
 * The installed deployments of a scope with their services, each with the
 * unit it comes from and its health check, read from leger's state alone
 * (`deployments.yaml`, `active/<name>/`, `manifest.json`): no process, no
 * network. `leger status` and `leger deploy list` read the services' state
 * and health from it with one `readServiceStatus`.
 *
 * @module
 */
import { formatContainerPort } from "../../../lib/adapters/podman_ps.ts";
import { healthCheckOf } from "../../../lib/health/health_check_of.ts";
import type { ServiceToRead } from "../../../lib/health/read_service_status.ts";
import { type LoadedUnit, loadUnits } from "../../../lib/quadlet/load_units.ts";
import { templateParts } from "../../../lib/quadlet/template_parts.ts";
import type { QuadletUnit } from "../../../lib/quadlet/types.ts";
import { readDeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../../../lib/state/deployments_file.ts";
import { readManifests } from "../../../lib/state/manifests_file.ts";
import type { LegerPaths } from "../../../lib/state/paths.ts";

/** A service of an installed deployment, ready to be read. */
export interface InstalledService {
  /** The unit it comes from (a template's, for an instance); `undefined` when its folder lacks it. */
  unit: QuadletUnit | undefined;
  /** The service with its check, image and ports, for `readServiceStatus`. */
  toRead: ServiceToRead;
}

/** An installed deployment and its services, in its record's order. */
export interface InstalledDeploymentServices {
  deployment: InstalledDeployment;
  services: InstalledService[];
}

/**
 * Reads the installed deployments of a scope and their services.
 *
 * @param paths The scope's folders.
 * @returns The deployments, in `deployments.yaml`'s order.
 * @throws {LegerError} `ERR_STATE_INVALID` for a damaged state file.
 */
export async function readInstalledServices(
  paths: Pick<LegerPaths, "stateDir" | "workDir" | "quadletDir">,
): Promise<InstalledDeploymentServices[]> {
  const deployments = await readDeployments(paths.stateDir);
  if (deployments.length === 0) return [];
  const [manifests, units] = await Promise.all([
    readManifests(paths.stateDir),
    Promise.all(
      deployments.map((d) =>
        activeUnits(`${paths.workDir}/active/${d.name}`, paths.quadletDir)
      ),
    ),
  ]);
  return deployments.map((deployment, index) => {
    const manifestHealth = manifests[deployment.name]?.health ?? {};
    return {
      deployment,
      services: deployment.services.map((service) => {
        const loaded = unitOf(units[index], service);
        const quadlet = loaded?.quadlet;
        return {
          unit: quadlet,
          toRead: {
            service,
            check: loaded === undefined
              ? null
              : healthCheckOf(loaded, { manifestHealth }),
            image: quadlet?.image ?? null,
            ports: (quadlet?.ports ?? []).map((p) =>
              p.hostPort === null || !/^\d+$/.test(p.hostPort) ||
                !/^\d+$/.test(p.containerPort)
                ? p.spec
                : formatContainerPort({
                  hostIp: p.hostIp ?? "",
                  hostPort: Number(p.hostPort),
                  containerPort: Number(p.containerPort),
                  range: 1,
                  protocol: p.protocol,
                })
            ),
          },
        };
      }),
    };
  });
}

/**
 * The unit a service comes from: the unit of that service, or for an
 * instance (`worker@one.service`) without a file of its own, its template
 * (`worker@.container`).
 */
function unitOf(
  units: readonly LoadedUnit[],
  service: string,
): LoadedUnit | undefined {
  const own = units.find((u) => u.quadlet.serviceName === service);
  if (own !== undefined) return own;
  const template = templateParts(service)?.template;
  return units.find((u) =>
    u.quadlet.instance === null && u.quadlet.serviceName === template
  );
}

/** The loaded units of an active deployment folder (no process is started). */
async function activeUnits(
  dir: string,
  quadletDir: string,
): Promise<LoadedUnit[]> {
  const folder = await readDeploymentFolder(dir);
  if (folder === null) return [];
  const files = folder.record.files.map((f) => ({
    path: f.name,
    sha256: f.sha256,
    bytes: folder.files.get(f.name)!,
  }));
  return loadUnits(files, { unitDir: quadletDir }).units;
}
