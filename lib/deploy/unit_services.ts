import { type StartedUnit, unitStart } from "./unit_start.ts";

/**
 * Every service systemd runs for a deployment's units, each once, in unit
 * order: what to stop, and whose failed state to clear, when the deployment
 * is removed or an install is undone. That is the service of each unit
 * (`web.service`, `data-volume.service`, `worker@two.service` of an instance
 * file) and, for a template, the instance leger starts
 * (`worker@one.service` for `DefaultInstance=one`) rather than the template
 * itself (`worker@.service`), which systemd cannot start or stop.
 *
 * @param units Every unit of the deployment.
 * @returns The service names.
 *
 * @example Usage
 * ```ts
 * import { unitServices } from "./unit_services.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = { template: false, instance: null, defaultInstance: null };
 * deepStrictEqual(
 *   unitServices([
 *     { ...unit, file: "data.volume", kind: "volume", serviceName: "data-volume.service" },
 *     {
 *       ...unit, file: "worker@.container", kind: "container", template: true,
 *       defaultInstance: "one", serviceName: "worker@.service",
 *     },
 *     {
 *       ...unit, file: "worker@two.container", kind: "container", template: true,
 *       instance: "two", serviceName: "worker@two.service",
 *     },
 *   ]),
 *   ["data-volume.service", "worker@one.service", "worker@two.service"],
 * );
 * ```
 */
export function unitServices(units: readonly StartedUnit[]): string[] {
  return [
    ...new Set(units.flatMap((unit) => {
      const isTemplate = unit.template && unit.instance === null &&
        unit.serviceName.endsWith("@.service");
      return isTemplate ? unitStart(unit, units).services : [unit.serviceName];
    })),
  ];
}
