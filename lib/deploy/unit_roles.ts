import { type StartedUnit, unitStart } from "./unit_start.ts";

/**
 * The services leger starts for a deployment, each once, in unit order: those
 * of its containers, pods and kube units. Volumes, networks, images and
 * builds start as their dependencies (Podman adds `Requires=` for them). A
 * template starts as instances: the one its `DefaultInstance=` names
 * (`worker@one.service`) and those of its instance files
 * (`worker@two.container` runs as `worker@two.service`); a template with
 * neither is not started (see {@linkcode unitStart}).
 *
 * @param units Every unit of the deployment.
 * @returns The service names, such as `["web.service", "worker@one.service"]`.
 *
 * @example Usage
 * ```ts
 * import { servicesToStart } from "./unit_roles.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = { template: false, instance: null, defaultInstance: null };
 * deepStrictEqual(
 *   servicesToStart([
 *     { ...unit, file: "web.container", kind: "container", serviceName: "web.service" },
 *     { ...unit, file: "data.volume", kind: "volume", serviceName: "data-volume.service" },
 *     {
 *       ...unit, file: "worker@.container", kind: "container", template: true,
 *       defaultInstance: "one", serviceName: "worker@.service",
 *     },
 *   ]),
 *   ["web.service", "worker@one.service"],
 * );
 * ```
 */
export function servicesToStart(units: readonly StartedUnit[]): string[] {
  return [
    ...new Set(units.flatMap((unit) => unitStart(unit, units).services)),
  ];
}
