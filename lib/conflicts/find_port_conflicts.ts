import type { PublishedPort, QuadletUnit } from "../quadlet/types.ts";
import type { Finding } from "../errors/finding.ts";
import { addressesOverlap } from "./addresses_overlap.ts";
import { firstOverlaps, type PortSpot } from "./_first_overlaps.ts";
import {
  formatPortRange,
  parsePortRange,
  type PortRange,
} from "./_port_range.ts";
import type { ListeningSocket } from "./parse_proc_net.ts";
import type {
  FindConflictsOptions,
  HostSnapshot,
  InstalledQuadlet,
} from "./types.ts";

interface Published {
  port: PublishedPort;
  range: PortRange;
  unit: QuadletUnit;
}

/** How many listening sockets one finding names before it says "and N more". */
const MAX_SOCKETS_NAMED = 3;

/**
 * Finds the host ports a deployment would publish that are already taken:
 * published by an installed unit of another deployment (or of none), listened
 * on by some program, or published twice within the deployment itself.
 *
 * Ports are compared with their protocol, address (see `addressesOverlap`)
 * and ranges; a `PublishPort=` without a host port (Podman picks one) or with
 * one leger cannot read (a specifier expanded at start) conflicts with
 * nothing, and so does a template (`worker@.container`) without
 * `DefaultInstance=`, which runs only as the instances its instance files
 * (`worker@two.container`, often a symbolic link to it) declare. Installed
 * units of the same deployment are its earlier version and are ignored. A
 * listening socket on a port that an installed unit publishes
 * is taken to be that unit's own (Podman's port forwarder holds it): it is
 * reported through the unit, or not at all when the unit is this deployment's.
 *
 * @param deployment The units of the deployment being installed.
 * @param host What is installed and listening on the host.
 * @param options The deployment's name.
 * @returns One `ERR_PORT_CONFLICT` finding per conflicting `PublishPort=`
 * and cause, pointing at its file and line: it names the first earlier line
 * of the deployment, the first installed unit, and up to three sockets that
 * hold the port. (Comparing lines through an index, not each with each, keeps
 * a file of 35,000 `PublishPort=` lines fast.)
 *
 * @example Usage
 * ```ts
 * import { findPortConflicts } from "./find_port_conflicts.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const web = {
 *   file: "web.container", kind: "container", serviceName: "web.service",
 *   ports: [{
 *     hostIp: null, hostPort: "8080", containerPort: "80", protocol: "tcp",
 *     spec: "8080:80", line: 3, file: "web.container",
 *   }],
 * } as unknown as QuadletUnit;
 * const findings = findPortConflicts([web], {
 *   installed: [],
 *   listening: [{ protocol: "tcp", address: "127.0.0.1", port: 8080 }],
 *   volumes: [],
 * });
 * strictEqual(findings[0].code, "ERR_PORT_CONFLICT");
 * strictEqual(findings[0].line, 3);
 * ```
 */
export function findPortConflicts(
  deployment: readonly QuadletUnit[],
  host: HostSnapshot,
  options: FindConflictsOptions = {},
): Finding[] {
  const { deployment: name } = options;
  const ours = deployment.flatMap(published);
  const installed = host.installed.flatMap((entry) =>
    published(entry.quadlet).map((p) => ({ ...p, entry }))
  );
  const others = installed.filter(({ entry }) =>
    name === undefined || entry.deployment !== name
  );
  const oursSpots = ours.map(spotOf);
  const twice = firstOverlaps(oursSpots);
  const taken = firstOverlaps(oursSpots, others.map(spotOf));
  const sockets = freeSockets(host.listening, installed);
  const findings: Finding[] = [];
  ours.forEach((mine, i) => {
    if (twice[i] !== -1) findings.push(twiceInDeployment(mine, ours[twice[i]]));
    const other = others[taken[i]];
    if (other !== undefined) {
      findings.push(alreadyPublished(mine, other.unit, other.entry));
    }
    const held = sockets.on(mine);
    if (held.length > 0) findings.push(alreadyListening(mine, held));
  });
  return findings;
}

function spotOf(p: Published): PortSpot {
  return { protocol: p.port.protocol, range: p.range, address: p.port.hostIp };
}

/**
 * The listening sockets no installed unit accounts for, sorted by port, so
 * that each `PublishPort=` looks only at the sockets in its range.
 */
function freeSockets(
  listening: readonly ListeningSocket[],
  installed: readonly Published[],
): { on(p: Published): ListeningSocket[] } {
  const free = listening
    .filter((socket) => !installed.some((p) => listensOn(socket, p)))
    .sort((a, b) => a.port - b.port);
  return {
    on(p) {
      let low = 0;
      let high = free.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (free[middle].port < p.range[0]) low = middle + 1;
        else high = middle;
      }
      const held: ListeningSocket[] = [];
      for (let i = low; i < free.length && free[i].port <= p.range[1]; i++) {
        if (listensOn(free[i], p)) held.push(free[i]);
      }
      return held;
    },
  };
}

function published(unit: QuadletUnit): Published[] {
  // A template runs only as instances: without DefaultInstance= it runs
  // nothing itself (each instance file carries its own PublishPort=).
  if (
    unit.template && unit.instance === null && unit.defaultInstance === null
  ) {
    return [];
  }
  return unit.ports.flatMap((port) => {
    const range = parsePortRange(port.hostPort);
    return range === null ? [] : [{ port, range, unit }];
  });
}

function listensOn(socket: ListeningSocket, p: Published): boolean {
  return socket.protocol === p.port.protocol && socket.port >= p.range[0] &&
    socket.port <= p.range[1] &&
    addressesOverlap(socket.address, p.port.hostIp);
}

function what(p: Published): string {
  const plural = p.range[0] === p.range[1] ? "port" : "ports";
  return `host ${plural} ${formatPortRange(p.range)}/${p.port.protocol}`;
}

function cannot(p: Published): string {
  return `Cannot publish ${what(p)} from "${p.unit.file}"`;
}

function twiceInDeployment(mine: Published, earlier: Published): Finding {
  const where = earlier.unit.file === mine.unit.file
    ? `line ${earlier.port.line} publishes it too`
    : `"${earlier.unit.file}" of the same deployment publishes it too`;
  return {
    code: "ERR_PORT_CONFLICT",
    message: `${cannot(mine)}: ${where}`,
    file: mine.port.file,
    line: mine.port.line,
    remedy:
      `Change one of the PublishPort= lines so that each host port is published once`,
  };
}

function alreadyPublished(
  mine: Published,
  other: QuadletUnit,
  entry: InstalledQuadlet,
): Finding {
  const owner = entry.deployment === undefined
    ? "installed outside leger"
    : `deployment "${entry.deployment}"`;
  const removal = entry.deployment === undefined
    ? `remove "${other.file}" from the quadlet folder`
    : `remove the other deployment with \`leger deploy remove ${entry.deployment}\``;
  return {
    code: "ERR_PORT_CONFLICT",
    message: `${
      cannot(mine)
    }: it is already published by "${other.file}" (${owner})`,
    file: mine.port.file,
    line: mine.port.line,
    remedy: `Change PublishPort= in ${mine.port.file}, or ${removal}`,
  };
}

function alreadyListening(
  mine: Published,
  sockets: ListeningSocket[],
): Finding {
  const named = sockets.slice(0, MAX_SOCKETS_NAMED).map(endpoint).join(", ");
  const more = sockets.length > MAX_SOCKETS_NAMED
    ? ` and ${sockets.length - MAX_SOCKETS_NAMED} more`
    : "";
  const ss = `ss ${
    mine.port.protocol === "tcp" ? "-ltnp" : "-lunp"
  } 'sport = :${sockets[0].port}'`;
  return {
    code: "ERR_PORT_CONFLICT",
    message: `${cannot(mine)}: a program already listens on ${named}${more}`,
    file: mine.port.file,
    line: mine.port.line,
    remedy:
      `Change PublishPort= in ${mine.port.file}, or stop the program (\`${ss}\` shows it)`,
  };
}

function endpoint(socket: ListeningSocket): string {
  const address = socket.address.includes(":")
    ? `[${socket.address}]`
    : socket.address;
  return `${address}:${socket.port}`;
}
