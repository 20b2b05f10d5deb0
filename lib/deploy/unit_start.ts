import { instanceServiceName } from "../quadlet/instance_service_name.ts";
import { templateParts } from "../quadlet/template_parts.ts";
import type { QuadletUnit } from "../quadlet/types.ts";

/**
 * How a unit of a deployment comes to run:
 *
 * - `started`: leger starts its service (a container, pod or kube unit, an
 *   instance file such as `worker@two.container`), or for a template with
 *   `DefaultInstance=`, that instance (`worker@one.service`);
 * - `dependency`: systemd starts it with the services that need it (volumes,
 *   networks, images, builds and artifacts: Podman adds `Requires=` on them);
 * - `instances`: a template without `DefaultInstance=` whose instance files
 *   in the deployment are started instead (each is a unit of its own);
 * - `template-no-instance`: a template without `DefaultInstance=` and without
 *   instance files: installed, and not started (`systemctl start
 *   worker@NAME.service` would start one).
 */
export type StartRole =
  | "started"
  | "dependency"
  | "instances"
  | "template-no-instance";

/** How {@linkcode unitStart} says a unit starts. */
export interface UnitStart {
  /** How it comes to run. */
  role: StartRole;
  /**
   * The services leger starts for it: its own (`web.service`,
   * `worker@two.service`), a template's default instance
   * (`worker@one.service`), or none.
   */
  services: string[];
}

/** What {@linkcode unitStart} reads of a unit. */
export type StartedUnit = Pick<
  QuadletUnit,
  "file" | "kind" | "template" | "instance" | "defaultInstance" | "serviceName"
>;

/** Kinds whose service is a long-running workload that leger starts itself. */
const STARTED_KINDS: ReadonlySet<string> = new Set([
  "container",
  "pod",
  "kube",
]);

/**
 * Tells how a unit of a deployment comes to run, and which services leger
 * starts for it. A template (`worker@.container`) runs only as instances: the
 * one its `[Install]` section's `DefaultInstance=` names (systemd.unit(5);
 * Podman's generator passes `[Install]` through and enables that instance),
 * and those the deployment has files for (`worker@two.container`, a file of
 * its own or a symbolic link to the template). A template renamed by
 * `ServiceName=` is an ordinary service and is started as one.
 *
 * @param unit The unit.
 * @param units Every unit of the deployment (to find a template's instance
 * files).
 * @returns Its role and the services leger starts for it.
 *
 * @example Usage
 * ```ts
 * import { unitStart } from "./unit_start.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const worker = {
 *   file: "worker@.container", kind: "container", template: true,
 *   instance: null, defaultInstance: "one", serviceName: "worker@.service",
 * } as const;
 * deepStrictEqual(unitStart(worker, [worker]), {
 *   role: "started",
 *   services: ["worker@one.service"],
 * });
 * ```
 */
export function unitStart(
  unit: StartedUnit,
  units: readonly StartedUnit[],
): UnitStart {
  if (!STARTED_KINDS.has(unit.kind)) {
    return { role: "dependency", services: [] };
  }
  const templateService = unit.template && unit.instance === null &&
    unit.serviceName.endsWith("@.service");
  if (!templateService) {
    return { role: "started", services: [unit.serviceName] };
  }
  if (unit.defaultInstance !== null) {
    return {
      role: "started",
      services: [instanceServiceName(unit.serviceName, unit.defaultInstance)],
    };
  }
  const template = templateParts(unit.file)?.template;
  const hasInstances = template !== undefined &&
    instantiated(units).has(template);
  return {
    role: hasInstances ? "instances" : "template-no-instance",
    services: [],
  };
}

interface Instantiated {
  /** The length of the list when read: a longer list is read again. */
  length: number;
  templates: Set<string>;
}

// Every unit of a deployment asks about the same list: reading it once keeps
// a deployment of n templates at n steps, not n².
const INSTANTIATED = new WeakMap<readonly StartedUnit[], Instantiated>();

/** The templates (`worker@.container`) that units of the list are instances of. */
function instantiated(units: readonly StartedUnit[]): Set<string> {
  const cached = INSTANTIATED.get(units);
  if (cached !== undefined && cached.length === units.length) {
    return cached.templates;
  }
  const templates = new Set<string>();
  for (const other of units) {
    const template = other.instance === null
      ? undefined
      : templateParts(other.file)?.template;
    if (template !== undefined) templates.add(template);
  }
  INSTANTIATED.set(units, { length: units.length, templates });
  return templates;
}
