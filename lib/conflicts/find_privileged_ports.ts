import type { Finding } from "../errors/finding.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { formatPortRange, parsePortRange } from "./_port_range.ts";
import type { HostSnapshot } from "./types.ts";

/**
 * Finds the host ports a rootless deployment publishes below the host's
 * unprivileged port start (`host.unprivilegedPortStart`, read from
 * `/proc/sys/net/ipv4/ip_unprivileged_port_start`, usually 1024). Rootless
 * Podman binds a published port as the user, which the kernel refuses below
 * that limit, so the service would fail to start. `readHost` reads the limit
 * for the user scope only (root binds any port); without it there is nothing
 * to check. A port written with `${NAME}` counts once resolved; one still
 * holding a variable or specifier, and a host port Podman picks (`::80`),
 * are skipped.
 *
 * @param deployment The units of the deployment, ports resolved.
 * @param host The host, with its unprivileged port start when rootless.
 * @returns One `ERR_PORT_PRIVILEGED` error per such port, naming its file,
 * line, port and the host's limit, in source order.
 *
 * @example Usage
 * ```ts
 * import { findPrivilegedPorts } from "./find_privileged_ports.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const web = toQuadletUnit(parseUnit(
 *   "[Container]\nImage=busybox\nPublishPort=80:80\nPublishPort=8080:80\n",
 *   { file: "web.container" },
 * ));
 * const host = { installed: [], listening: [], volumes: [], unprivilegedPortStart: 1024 };
 * deepStrictEqual(
 *   findPrivilegedPorts([web], host).map((f) => [f.code, f.file, f.line]),
 *   [["ERR_PORT_PRIVILEGED", "web.container", 3]],
 * );
 * ```
 */
export function findPrivilegedPorts(
  deployment: readonly QuadletUnit[],
  host: HostSnapshot,
): Finding[] {
  const limit = host.unprivilegedPortStart;
  if (limit === undefined || limit <= 1) return [];
  const findings: Finding[] = [];
  for (const unit of deployment) {
    for (const port of unit.ports) {
      const range = parsePortRange(port.hostPort);
      if (range === null || range[0] >= limit) continue;
      const ports = formatPortRange(range);
      findings.push({
        code: "ERR_PORT_PRIVILEGED",
        message:
          `Cannot publish host port ${ports} of PublishPort=${port.spec} in the user scope: rootless Podman binds it as the user, and this host lets a user bind only ports from ${limit} (/proc/sys/net/ipv4/ip_unprivileged_port_start), so the service would fail to start`,
        file: port.file,
        line: port.line,
        remedy:
          `Publish a host port of ${limit} or above in PublishPort= at ${port.file}:${port.line} (such as ${
            Math.max(limit, 8000) + (range[0] % 1000)
          }), or let users bind it with \`sudo sysctl net.ipv4.ip_unprivileged_port_start=${
            range[0]
          }\`, or deploy in the system scope (--scope system, as root)`,
      });
    }
  }
  return findings;
}
