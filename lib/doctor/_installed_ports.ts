import { resolveSpecifiers } from "../quadlet/resolve_specifiers.ts";
import { instanceServiceName } from "../quadlet/instance_service_name.ts";
import { loadUnits } from "../quadlet/load_units.ts";
import { templateParts } from "../quadlet/template_parts.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import type { DeploymentFolder } from "../state/deployment_folder.ts";
import type { DeploymentPort } from "./check_ports.ts";

/**
 * The host ports an installed deployment's units publish, from leger's copy
 * of them (`active/<name>/`). A template publishes once per instance it runs
 * as — an instance file (`w@2.container`), its `DefaultInstance=`, or an
 * instance another unit of the deployment names (`Wants=w@3.container`; a `w@3.service` name is not read) — with
 * `%i`, `%I`, `%p`, `%P` and `%%` of `PublishPort=` resolved for that
 * instance as systemd does; a template no unit runs publishes nothing. A port
 * still holding another specifier or a variable stays as written (checkPorts
 * leaves it out: it is only known when the service starts).
 *
 * @param folder leger's copy of the deployment.
 * @param unitDir The quadlet folder, for the units' paths.
 * @returns The ports, by service.
 */
export function installedPorts(
  folder: DeploymentFolder,
  unitDir: string,
): DeploymentPort[] {
  const { units } = loadUnits(
    folder.record.files.map((f) => ({
      path: f.name,
      sha256: f.sha256,
      bytes: folder.files.get(f.name)!,
    })),
    { unitDir },
  );
  const quadlets = units.map((u) => u.quadlet);
  return quadlets.flatMap((quadlet) => {
    if (!quadlet.template) {
      return quadlet.ports.map((port) => ({
        service: quadlet.serviceName,
        port,
      }));
    }
    return instancesOf(quadlet, quadlets).flatMap(({ service }) =>
      quadlet.ports.map((port) => ({
        service,
        port: {
          ...port,
          hostIp: port.hostIp === null
            ? null
            : resolveSpecifiers(port.hostIp, service),
          hostPort: port.hostPort === null
            ? null
            : resolveSpecifiers(port.hostPort, service),
        },
      }))
    );
  });
}

/** The instances a template or instance unit runs as, with their services. */
function instancesOf(
  unit: QuadletUnit,
  all: readonly QuadletUnit[],
): { instance: string; service: string }[] {
  if (unit.instance !== null) {
    return [{ instance: unit.instance, service: unit.serviceName }];
  }
  if (!unit.serviceName.endsWith("@.service")) return [];
  const named = new Set<string>();
  if (unit.defaultInstance !== null) named.add(unit.defaultInstance);
  for (const other of all) {
    for (const ref of other.units) {
      const parts = templateParts(ref.unit);
      if (
        parts !== null && parts.instance !== "" &&
        (parts.template === unit.file || parts.template === unit.serviceName)
      ) named.add(parts.instance);
    }
  }
  // An instance file runs as itself, with its own PublishPort= lines.
  for (const other of all) {
    if (other.instance !== null) {
      const parts = templateParts(other.file);
      if (parts?.template === unit.file) named.delete(other.instance);
    }
  }
  return [...named].sort().map((instance) => ({
    instance,
    service: instanceServiceName(unit.serviceName, instance),
  }));
}
