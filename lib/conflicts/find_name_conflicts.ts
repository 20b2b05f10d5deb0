import { instanceServiceName } from "../quadlet/instance_service_name.ts";
import type { QuadletKind, QuadletUnit } from "../quadlet/types.ts";
import type { Finding } from "../errors/finding.ts";
import type {
  FindConflictsOptions,
  HostSnapshot,
  InstalledQuadlet,
} from "./types.ts";

/** The kinds whose resource names Podman keeps in one namespace each. */
const NAMED_KINDS: Partial<Record<QuadletKind, { noun: string; key: string }>> =
  {
    container: { noun: "container", key: "ContainerName" },
    volume: { noun: "volume", key: "VolumeName" },
    network: { noun: "network", key: "NetworkName" },
    pod: { noun: "pod", key: "PodName" },
  };

/**
 * Finds the names a deployment would take that are already taken on the host.
 *
 * - A service (a template's default instance included), container,
 *   volume, network or pod name that an installed unit
 *   of another deployment (or of none) already uses: `ERR_NAME_CONFLICT`
 *   (`ERR_VOLUME_CONFLICT` for a volume). Podman's generator would keep only
 *   one of two units with the same service name, and `podman run --replace`
 *   would remove the other unit's container.
 * - An existing Podman container or network with a name the deployment would
 *   create, made by hand (no installed unit names it): `ERR_NAME_CONFLICT`.
 *   Quadlet replaces such a container, and reuses such a network as it is.
 * - An existing Podman volume with a name one of the deployment's `.volume`
 *   units would create: `ERR_VOLUME_CONFLICT`, unless the volume is this
 *   deployment's own, which it is when an installed `.volume` unit of the same
 *   deployment creates it (an update) or `options.ownedVolumes` lists it.
 *   Otherwise Quadlet's `podman volume create --ignore` would silently hand
 *   someone else's data to the deployment's containers.
 *
 * Installed units of the same deployment are its earlier version and conflict
 * with nothing. Names holding a systemd specifier (`%i` of templates) or a
 * variable leger could not resolve (`${NAME}`, see `resolveVariables`) are
 * only known at start and are skipped.
 *
 * @param deployment The units of the deployment being installed.
 * @param host What is installed on the host and which resources exist.
 * @param options The deployment's name and the volumes it owns.
 * @returns The findings, one per name and cause.
 *
 * @example Usage
 * ```ts
 * import { findNameConflicts } from "./find_name_conflicts.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const data = {
 *   file: "data.volume", kind: "volume", serviceName: "data-volume.service",
 *   resourceName: "systemd-data", ports: [],
 * } as unknown as QuadletUnit;
 * const findings = findNameConflicts([data], {
 *   installed: [], listening: [], volumes: ["systemd-data"],
 * }, { deployment: "app" });
 * strictEqual(findings[0].code, "ERR_VOLUME_CONFLICT");
 * ```
 */
export function findNameConflicts(
  deployment: readonly QuadletUnit[],
  host: HostSnapshot,
  options: FindConflictsOptions = {},
): Finding[] {
  const { deployment: name, ownedVolumes = [] } = options;
  const isOurs = (entry: InstalledQuadlet) =>
    name !== undefined && entry.deployment === name;
  const others = host.installed.filter((entry) => !isOurs(entry));
  const installedNames = new Map<QuadletKind, Set<string | null>>();
  const installedNamesOf = (kind: QuadletKind) => {
    let names = installedNames.get(kind);
    if (names === undefined) {
      names = new Set(
        host.installed.filter((e) => e.quadlet.kind === kind).map((e) =>
          e.quadlet.resourceName
        ),
      );
      installedNames.set(kind, names);
    }
    return names;
  };
  const ownVolumes = new Set([
    ...ownedVolumes,
    ...host.installed.filter((e) => isOurs(e) && e.quadlet.kind === "volume")
      .map((e) => e.quadlet.resourceName),
  ]);
  const containers = new Set(host.containers ?? []);
  const networks = new Set(host.networks ?? []);
  const volumes = new Set(host.volumes);
  const otherVolumes = new Set(
    others.filter((e) => e.quadlet.kind === "volume").map((e) =>
      e.quadlet.resourceName
    ),
  );
  const candidatesOf = indexOthers(others);
  const findings: Finding[] = [];
  for (const unit of deployment) {
    // Only the installed units that share a service or a name with the unit
    // can conflict with it: found through maps, in host order.
    for (const i of candidatesOf(unit)) {
      const entry = others[i];
      const other = entry.quadlet;
      const service = sharedService(unit, other);
      if (service !== undefined) {
        findings.push(serviceTaken(unit, service, entry));
      } else if (sameResource(unit, other)) {
        findings.push(resourceTaken(unit, entry));
      }
    }
    const resource = unit.resourceName;
    if (resource === null || !known(resource)) continue;
    if (unit.kind === "container" && containers.has(resource)) {
      if (!installedNamesOf("container").has(resource)) {
        findings.push(existing(unit, resource));
      }
    }
    if (unit.kind === "network" && networks.has(resource)) {
      if (!installedNamesOf("network").has(resource)) {
        findings.push(existing(unit, resource));
      }
    }
    if (unit.kind === "volume" && volumes.has(resource)) {
      if (!ownVolumes.has(resource) && !otherVolumes.has(resource)) {
        findings.push(existingVolume(unit, resource, name));
      }
    }
  }
  return findings;
}

/**
 * Indexes the installed units by their services and resource names, once:
 * comparing each unit of the deployment with each installed unit would cost
 * their product. Returns, for a unit, the indexes of the installed units
 * that share one of its services or its resource name, in order.
 */
function indexOthers(
  others: readonly InstalledQuadlet[],
): (unit: QuadletUnit) => number[] {
  const byService = new Map<string, number[]>();
  const byResource = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, index: number) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  };
  others.forEach(({ quadlet }, index) => {
    for (const service of servicesOf(quadlet)) add(byService, service, index);
    if (quadlet.resourceName !== null) {
      add(byResource, `${quadlet.kind}\0${quadlet.resourceName}`, index);
    }
  });
  return (unit) => {
    const found = new Set<number>();
    for (const service of servicesOf(unit)) {
      if (!known(service)) continue;
      for (const index of byService.get(service) ?? []) found.add(index);
    }
    if (known(unit.resourceName)) {
      const key = `${unit.kind}\0${unit.resourceName}`;
      for (const index of byResource.get(key) ?? []) found.add(index);
    }
    return [...found].sort((a, b) => a - b);
  };
}

/** A name known before the service starts: no systemd specifier or unresolved variable. */
function known(name: string | null): name is string {
  return name !== null && name !== "" && !name.includes("%") &&
    !name.includes("$");
}

/**
 * The service two units would both run, if any: their own services, or a
 * template's default instance (`worker@one.service` of `worker@.container`
 * with `DefaultInstance=one`), which is also the service of an instance file
 * `worker@one.container`.
 */
function sharedService(
  unit: QuadletUnit,
  other: QuadletUnit,
): string | undefined {
  const theirs = servicesOf(other);
  return servicesOf(unit).find((service) =>
    known(service) && theirs.includes(service)
  );
}

function servicesOf(unit: QuadletUnit): string[] {
  const services = [unit.serviceName];
  if (
    unit.defaultInstance !== null && unit.defaultInstance !== undefined &&
    unit.serviceName.endsWith("@.service")
  ) {
    services.push(instanceServiceName(unit.serviceName, unit.defaultInstance));
  }
  return services;
}

function sameResource(unit: QuadletUnit, other: QuadletUnit): boolean {
  return NAMED_KINDS[unit.kind] !== undefined && unit.kind === other.kind &&
    known(unit.resourceName) && unit.resourceName === other.resourceName;
}

function owner(entry: InstalledQuadlet): string {
  return entry.deployment === undefined
    ? "installed outside leger"
    : `deployment "${entry.deployment}"`;
}

function removal(entry: InstalledQuadlet): string {
  return entry.deployment === undefined
    ? `remove "${entry.quadlet.file}" from the quadlet folder`
    : `remove the other deployment with \`leger deploy remove ${entry.deployment}\``;
}

function serviceTaken(
  unit: QuadletUnit,
  service: string,
  entry: InstalledQuadlet,
): Finding {
  return {
    code: "ERR_NAME_CONFLICT",
    message:
      `Cannot install "${unit.file}": service "${service}" already comes from "${entry.quadlet.file}" (${
        owner(entry)
      })`,
    file: unit.file,
    remedy: `Rename ${unit.file} or set ServiceName= in it, or ${
      removal(entry)
    }`,
  };
}

function resourceTaken(unit: QuadletUnit, entry: InstalledQuadlet): Finding {
  const { noun, key } = NAMED_KINDS[unit.kind]!;
  return {
    code: unit.kind === "volume" ? "ERR_VOLUME_CONFLICT" : "ERR_NAME_CONFLICT",
    message:
      `Cannot install "${unit.file}": ${noun} name "${unit.resourceName}" is already used by "${entry.quadlet.file}" (${
        owner(entry)
      })`,
    file: unit.file,
    remedy: `Set ${key}= in ${unit.file} to another name, or ${removal(entry)}`,
  };
}

function existing(unit: QuadletUnit, resource: string): Finding {
  const { noun, key } = NAMED_KINDS[unit.kind]!;
  const effect = unit.kind === "container"
    ? "Podman would replace it"
    : "Podman would reuse it as it is";
  return {
    code: "ERR_NAME_CONFLICT",
    message:
      `Cannot install "${unit.file}": a ${noun} named "${resource}" already exists and no installed unit creates it (${effect})`,
    file: unit.file,
    remedy:
      `Set ${key}= in ${unit.file} to another name, or remove the old ${noun} with \`podman ${noun} rm ${resource}\``,
  };
}

function existingVolume(
  unit: QuadletUnit,
  resource: string,
  deployment?: string,
): Finding {
  const whose = deployment === undefined
    ? "this deployment"
    : `deployment "${deployment}"`;
  return {
    code: "ERR_VOLUME_CONFLICT",
    message:
      `Cannot create volume "${resource}" for "${unit.file}": a volume of that name already exists and does not belong to ${whose}`,
    file: unit.file,
    remedy:
      `Set VolumeName= in ${unit.file} to a free name, or remove the old volume with \`podman volume rm ${resource}\` (this deletes its data)`,
  };
}
