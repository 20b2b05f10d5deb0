import type { PodmanContainer } from "../adapters/podman_ps.ts";
import { addressesOverlap } from "../conflicts/addresses_overlap.ts";
import type { ListeningSocket } from "../conflicts/parse_proc_net.ts";
import type { PublishedPort } from "../quadlet/types.ts";
import type { DoctorCheck } from "./types.ts";

/** A host port an installed deployment publishes. */
export interface DeploymentPort {
  /** The service whose container publishes it (`web.service`, a pod's `x-pod.service`). */
  service: string;
  /** The `PublishPort=` entry (its file and line). */
  port: PublishedPort;
}

/** What {@linkcode checkPorts} judges. */
export interface PortFacts {
  /** The deployment. */
  deployment: string;
  /** Its published host ports. */
  ports: readonly DeploymentPort[];
  /** The sockets listening on this host (`readProcNet()`), or why they could not be read. */
  sockets: readonly ListeningSocket[] | Error;
  /** The scope's containers (`podman ps --all`), or why they could not be listed. */
  containers: readonly PodmanContainer[] | Error;
}

const RANGE_REGEXP = /^(\d+)(?:-(\d+))?$/;

/**
 * Checks that the host ports a deployment publishes are free, or held by
 * its own running container (Podman's port forwarder, or conmon, listens on
 * them). A port some other program or container listens on is a failure:
 * the deployment's service cannot start (or, restarted, will not) until it
 * is freed.
 *
 * @param facts The deployment's ports, the host's sockets and the scope's containers.
 * @returns `pass` when every port is free or its own, `fail` naming each
 * port held by something else, and `warn` when the sockets cannot be read.
 *
 * @example Usage
 * ```ts
 * import { checkPorts } from "./check_ports.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const port = { hostIp: null, hostPort: "18080", containerPort: "8080", protocol: "tcp" as const, spec: "18080:8080", line: 3, file: "web.container" };
 * const check = checkPorts({
 *   deployment: "web",
 *   ports: [{ service: "web.service", port }],
 *   sockets: [{ protocol: "tcp", address: "0.0.0.0", port: 18080 }],
 *   containers: [],
 * });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix?.split("\n")[0], "sudo ss -ltnp 'sport = :18080'   # which process holds it: stop it");
 * ```
 */
export function checkPorts(facts: PortFacts): DoctorCheck {
  const { deployment, sockets } = facts;
  const base = { id: `ports:${deployment}`, group: "deployments" } as const;
  const ports = facts.ports.flatMap((p) => {
    const match = RANGE_REGEXP.exec(p.port.hostPort ?? "");
    if (match === null) return [];
    const first = Number(match[1]);
    return [{ ...p, first, last: Number(match[2] ?? match[1]) }];
  }).sort((a, b) =>
    a.first - b.first || a.last - b.last ||
    a.port.protocol.localeCompare(b.port.protocol)
  );
  if (ports.length === 0) {
    return {
      ...base,
      title: `${deployment} publishes no fixed host port`,
      status: "pass",
      detail: "Nothing to check.",
      fix: null,
    };
  }
  const label = (p: typeof ports[number]) =>
    `${
      p.first === p.last ? p.first : `${p.first}-${p.last}`
    }/${p.port.protocol}`;
  const list = ports.map(label).join(", ");
  if (sockets instanceof Error) {
    return {
      ...base,
      title: `${deployment}: ports ${list}`,
      status: "warn",
      detail: `Cannot tell whether they are free: ${sockets.message}`,
      fix: "sudo ss -ltnup   # lists the ports held on this host",
    };
  }
  const containers = facts.containers instanceof Error ? [] : facts.containers;
  const overlaps = (
    p: typeof ports[number],
    protocol: string,
    address: string | null,
    first: number,
    last: number,
  ) =>
    protocol === p.port.protocol && first <= p.last && p.first <= last &&
    addressesOverlap(p.port.hostIp, address);
  const publishers = (p: typeof ports[number]) =>
    containers.filter((c) =>
      c.state === "running" &&
      c.ports.some((cp) =>
        overlaps(
          p,
          cp.protocol,
          cp.hostIp === "" ? null : cp.hostIp,
          cp.hostPort,
          cp.hostPort + cp.range - 1,
        )
      )
    );
  const problems: string[] = [];
  const fix: string[] = [];
  for (const p of ports) {
    const by = publishers(p);
    if (by.some((c) => c.unit === p.service)) continue;
    const held = sockets.some((s) =>
      overlaps(p, s.protocol, s.address, s.port, s.port)
    );
    if (!held) continue;
    const where =
      `${p.port.file} line ${p.port.line} (PublishPort=${p.port.spec})`;
    const other = by[0];
    problems.push(
      other === undefined
        ? `Port ${
          label(p)
        } of ${where} is held by another process: ${p.service} cannot start until it is free.`
        : `Port ${label(p)} of ${where} is published by the container ${
          other.names[0] ?? other.id.slice(0, 12)
        }${
          other.unit === null ? "" : ` (${other.unit})`
        }: ${p.service} cannot start until it is free.`,
    );
    const flags = p.port.protocol === "udp" ? "-lunp" : "-ltnp";
    fix.push(
      other === undefined
        ? `sudo ss ${flags} 'sport = :${p.first}'   # which process holds it: stop it`
        : `podman stop ${other.names[0] ?? other.id.slice(0, 12)}`,
    );
  }
  if (problems.length === 0) {
    return {
      ...base,
      title: `${deployment}: ports ${list} are free or its own`,
      status: "pass",
      detail:
        "No other program or container holds a host port this deployment publishes.",
      fix: null,
    };
  }
  fix.push(
    `leger service restart ${deployment}   # then, or publish it on another port (PublishPort=) and update the deployment`,
  );
  return {
    ...base,
    title: `${deployment}: ${problems.length} of its ports ${
      problems.length === 1 ? "is" : "are"
    } taken`,
    status: "fail",
    detail: problems.join("\n"),
    fix: fix.join("\n"),
  };
}
