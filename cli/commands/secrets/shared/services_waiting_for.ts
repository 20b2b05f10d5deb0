import type { InstalledDeployment } from "../../../../lib/state/deployments_file.ts";

/**
 * The services an install left stopped (`waiting_for_secrets` of
 * deployments.yaml) that run one of the unit files using a secret: what
 * legerd starts once the secret is in Podman. A unit's service is found by
 * Podman's default name (`web.container` → `web.service`, `db.volume` →
 * `db-volume.service`, a template `worker@.container` → its instances
 * `worker@a.service`); a unit whose `ServiceName=` renames it is not
 * matched, and its services are then not named.
 *
 * @param usedBy The unit files that use the secret (`used_by` of legerd).
 * @param deployments What deployments.yaml records.
 * @returns The waiting services, sorted, each once.
 *
 * @example Usage
 * ```ts
 * import { servicesWaitingFor } from "./services_waiting_for.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const app = {
 *   name: "app", scope: "user" as const, source: { type: "local" as const, location: "/srv/app" },
 *   installed_at: "2026-11-30T12:00:00.000Z", files: [], volumes: [],
 *   units: ["web.container", "db.container"], services: ["web.service", "db.service"],
 *   waiting_for_secrets: ["db.service"],
 * };
 * deepStrictEqual(servicesWaitingFor(["db.container"], [app]), ["db.service"]);
 * deepStrictEqual(servicesWaitingFor(["web.container"], [app]), []);
 * ```
 */
export function servicesWaitingFor(
  usedBy: readonly string[],
  deployments: readonly InstalledDeployment[],
): string[] {
  const found = new Set<string>();
  for (const deployment of deployments) {
    const waiting = deployment.waiting_for_secrets ?? [];
    for (const unit of usedBy) {
      if (!deployment.units.includes(unit)) continue;
      const runs = runsUnit(unit);
      for (const service of waiting) if (runs(service)) found.add(service);
    }
  }
  return [...found].sort();
}

/** Whether a service is one Podman generates for the unit file under its default name. */
function runsUnit(unit: string): (service: string) => boolean {
  const dot = unit.lastIndexOf(".");
  const stem = unit.slice(0, dot);
  const kind = unit.slice(dot + 1);
  const base = kind === "container" || kind === "kube"
    ? stem
    : `${stem}-${kind}`;
  if (stem.endsWith("@")) {
    // A template: its instances, worker@a.service for worker@.container.
    const prefix = base.slice(0, base.indexOf("@") + 1);
    return (service) =>
      service.startsWith(prefix) && service.endsWith(".service") &&
      service.length > prefix.length + ".service".length;
  }
  return (service) => service === `${base}.service`;
}
