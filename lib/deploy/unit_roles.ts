import type { QuadletUnit } from "../quadlet/types.ts";

/** Kinds whose service is a long-running workload that leger starts itself. */
const STARTED_KINDS: ReadonlySet<string> = new Set([
  "container",
  "pod",
  "kube",
]);

/**
 * The services leger starts for a deployment: those of its containers, pods
 * and kube units. Volumes, networks, images and builds start as their
 * dependencies (Podman adds `Requires=` for them); templates start only as
 * instances, which the deployment does not name.
 *
 * @example Usage
 * ```ts
 * import { servicesToStart } from "./unit_roles.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   servicesToStart([
 *     { kind: "container", template: false, serviceName: "web.service" },
 *     { kind: "volume", template: false, serviceName: "data-volume.service" },
 *   ]),
 *   ["web.service"],
 * );
 * ```
 */
export function servicesToStart(
  units: readonly Pick<QuadletUnit, "kind" | "template" | "serviceName">[],
): string[] {
  return units
    .filter((unit) => STARTED_KINDS.has(unit.kind) && !unit.template)
    .map((unit) => unit.serviceName);
}
