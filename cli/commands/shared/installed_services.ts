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
import { LegerError } from "../../../lib/errors/leger_error.ts";
import { healthCheckOf } from "../../../lib/health/health_check_of.ts";
import type { ServiceToRead } from "../../../lib/health/read_service_status.ts";
import { type LoadedUnit, loadUnits } from "../../../lib/quadlet/load_units.ts";
import { resolveSpecifiers } from "../../../lib/quadlet/resolve_specifiers.ts";
import { templateParts } from "../../../lib/quadlet/template_parts.ts";
import type { PublishedPort, QuadletUnit } from "../../../lib/quadlet/types.ts";
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
  /**
   * The ports its unit publishes, with the specifiers of an instance
   * (`127.0.0.1:2317%i`) resolved for this service, as systemd does.
   */
  ports: PublishedPort[];
  /** The service with its check, image and ports, for `readServiceStatus`. */
  toRead: ServiceToRead;
}

/** An installed deployment and its services, in its record's order. */
export interface InstalledDeploymentServices {
  deployment: InstalledDeployment;
  services: InstalledService[];
  /**
   * Why leger's copy of it (`active/<name>/`) cannot be read, or `null`.
   * Its services, from `deployments.yaml`, then carry no unit, check, image
   * or ports; the other deployments are read as usual.
   */
  problem: LegerError | null;
}

/**
 * Reads the installed deployments of a scope and their services.
 *
 * @param paths The scope's folders.
 * @returns The deployments, in `deployments.yaml`'s order.
 * @throws {LegerError} `ERR_STATE_INVALID` for a damaged `deployments.yaml`
 * or `manifest.json` (a damaged copy of one deployment is its `problem`).
 */
export async function readInstalledServices(
  paths: Pick<LegerPaths, "stateDir" | "workDir" | "quadletDir">,
): Promise<InstalledDeploymentServices[]> {
  const deployments = await readDeployments(paths.stateDir);
  if (deployments.length === 0) return [];
  const [manifests, copies] = await Promise.all([
    readManifests(paths.stateDir),
    Promise.all(
      deployments.map((d) =>
        activeUnits(`${paths.workDir}/active/${d.name}`, paths.quadletDir)
      ),
    ),
  ]);
  return deployments.map((deployment, index) => {
    const manifestHealth = manifests[deployment.name]?.health ?? {};
    const copy = copies[index];
    const units = copy instanceof LegerError ? [] : copy;
    return {
      deployment,
      problem: copy instanceof LegerError ? copy : null,
      services: deployment.services.map((service) => {
        const loaded = unitOf(units, service);
        const quadlet = loaded?.quadlet;
        const ports = (quadlet?.ports ?? []).map((p) =>
          resolvePort(p, service)
        );
        return {
          unit: quadlet,
          ports,
          toRead: {
            service,
            check: loaded === undefined
              ? null
              : healthCheckOf(loaded, { manifestHealth }),
            image: quadlet?.image ?? null,
            ports: ports.map((p) =>
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

/** A port of a unit as it is for one service: its specifiers resolved. */
function resolvePort(port: PublishedPort, service: string): PublishedPort {
  const resolve = (text: string) => resolveSpecifiers(text, service);
  return {
    ...port,
    hostIp: port.hostIp === null ? null : resolve(port.hostIp),
    hostPort: port.hostPort === null ? null : resolve(port.hostPort),
    containerPort: resolve(port.containerPort),
    spec: resolve(port.spec),
  };
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

/**
 * The loaded units of an active deployment folder (no process is started),
 * or why the folder cannot be read.
 */
async function activeUnits(
  dir: string,
  quadletDir: string,
): Promise<LoadedUnit[] | LegerError> {
  const folder = await readDeploymentFolder(dir).catch(
    (error: unknown): LegerError => {
      // Only a damaged copy is that deployment's own problem: a folder the
      // user may not read (another scope's) is every deployment's.
      if (
        !(error instanceof LegerError) || error.code !== "ERR_STATE_INVALID"
      ) {
        throw error;
      }
      return error;
    },
  );
  if (folder instanceof LegerError) return folder;
  if (folder === null) return [];
  const files = folder.record.files.map((f) => ({
    path: f.name,
    sha256: f.sha256,
    bytes: folder.files.get(f.name)!,
  }));
  return loadUnits(files, { unitDir: quadletDir }).units;
}
