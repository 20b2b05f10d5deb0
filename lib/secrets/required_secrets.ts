import { instanceServiceName } from "../quadlet/instance_service_name.ts";
import type { QuadletUnit } from "../quadlet/types.ts";

/** A Podman secret the installed units need, and who needs it. */
export interface RequiredSecret {
  /** The Podman secret name. */
  name: string;
  /** The unit files that use it (`web.container`), sorted, each once. */
  units: string[];
  /**
   * The systemd services of those units (`web.service`), sorted, each once.
   * A template unit gives its template service (`worker@.service`), which
   * stands for every instance of it, and its `DefaultInstance=` service
   * (`worker@one.service`) when it has one.
   */
  services: string[];
}

/**
 * Lists the Podman secrets the installed units need: for each name, the
 * units and the services that use it.
 *
 * Pass the typed units of a scope, their drop-ins merged (the `quadlet` of
 * each unit `readInstalledUnits()` returns), so that a `Secret=` added or
 * reset by a drop-in counts. Only Podman secrets count: a `.build` unit's
 * build secret (`Secret=id=…,src=…`) is read from the host by `podman build`
 * and is left out.
 *
 * @param units The typed units of the scope.
 * @returns One entry per secret name, sorted by name.
 *
 * @example Usage
 * ```ts
 * import { requiredSecrets } from "./required_secrets.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const web = toQuadletUnit(
 *   parseUnit("[Container]\nImage=web\nSecret=api_token,type=env,target=API_TOKEN\n", {
 *     file: "web.container",
 *   }),
 * );
 * deepStrictEqual(requiredSecrets([web]), [
 *   { name: "api_token", units: ["web.container"], services: ["web.service"] },
 * ]);
 * ```
 */
export function requiredSecrets(
  units: readonly QuadletUnit[],
): RequiredSecret[] {
  const byName = new Map<
    string,
    { units: Set<string>; services: Set<string> }
  >();
  for (const unit of units) {
    for (const secret of unit.secrets) {
      if (!secret.podmanSecret) continue;
      let entry = byName.get(secret.name);
      if (entry === undefined) {
        entry = { units: new Set(), services: new Set() };
        byName.set(secret.name, entry);
      }
      entry.units.add(unit.file);
      for (const service of servicesOf(unit)) entry.services.add(service);
    }
  }
  return [...byName]
    .map(([name, { units, services }]) => ({
      name,
      units: [...units].sort(compare),
      services: [...services].sort(compare),
    }))
    .sort((a, b) => compare(a.name, b.name));
}

function servicesOf(unit: QuadletUnit): string[] {
  const services = [unit.serviceName];
  if (
    unit.template && unit.instance === null && unit.defaultInstance !== null &&
    unit.serviceName.endsWith("@.service")
  ) {
    services.push(instanceServiceName(unit.serviceName, unit.defaultInstance));
  }
  return services;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
