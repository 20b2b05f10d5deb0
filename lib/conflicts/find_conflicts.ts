import type { QuadletUnit } from "../quadlet/types.ts";
import type { Finding } from "../errors/finding.ts";
import { findDropInConflicts } from "./find_drop_in_conflicts.ts";
import { findFileConflicts } from "./find_file_conflicts.ts";
import { findNameConflicts } from "./find_name_conflicts.ts";
import { findPortConflicts } from "./find_port_conflicts.ts";
import { findPrivilegedPorts } from "./find_privileged_ports.ts";
import type { FindConflictsOptions, HostSnapshot } from "./types.ts";

/**
 * Checks a deployment against the host before it is installed: host ports
 * below a rootless host's unprivileged port start (see
 * {@linkcode findPrivilegedPorts}) and host ports in use (see
 * {@linkcode findPortConflicts}); service, container, volume, network
 * and pod names (see {@linkcode findNameConflicts}); files already in the
 * quadlet folder and folders shared through relative `Volume=` paths (see
 * {@linkcode findFileConflicts}); and drop-ins that reach units of other
 * deployments (see {@linkcode findDropInConflicts}). Pure: the caller
 * gathers the {@linkcode HostSnapshot} through the adapters.
 *
 * @param deployment The units of the deployment being installed.
 * @param host The installed units, listening sockets, existing resources and
 * the files in the quadlet folder.
 * @param options The deployment's name (its own installed units are its
 * earlier version), the volumes it owns and its files.
 * @returns Port findings first, then name, file and drop-in findings; empty
 * when none.
 *
 * @example Usage
 * ```ts
 * import { findConflicts } from "./find_conflicts.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const web = {
 *   file: "web.container", kind: "container", serviceName: "web.service",
 *   resourceName: "systemd-web", ports: [],
 * } as unknown as QuadletUnit;
 * const other = { ...web, ports: [] };
 * const findings = findConflicts([web], {
 *   installed: [{ deployment: "blog", quadlet: other }],
 *   listening: [],
 *   volumes: [],
 * }, { deployment: "shop" });
 * deepStrictEqual(findings.map((f) => f.code), ["ERR_NAME_CONFLICT"]);
 * ```
 */
export function findConflicts(
  deployment: readonly QuadletUnit[],
  host: HostSnapshot,
  options: FindConflictsOptions = {},
): Finding[] {
  return [
    ...findPrivilegedPorts(deployment, host),
    ...findPortConflicts(deployment, host, options),
    ...findNameConflicts(deployment, host, options),
    ...findFileConflicts(deployment, host, options),
    ...findDropInConflicts(host, options),
  ];
}
