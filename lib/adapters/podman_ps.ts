import { run, type Runner } from "./run.ts";

/** A port a container publishes, as `podman ps --format json` lists it. */
export interface ContainerPort {
  /** The host address; `""` when Podman binds every address. */
  hostIp: string;
  /** The first host port. */
  hostPort: number;
  /** The first container port. */
  containerPort: number;
  /** How many consecutive ports, from the first (1 for a single port). */
  range: number;
  /** `tcp`, `udp` or `sctp`. */
  protocol: string;
}

/** A container, as leger reads it from `podman ps --all --format json`. */
export interface PodmanContainer {
  /** The full container id. */
  id: string;
  /** Its names (one, in practice: `systemd-web`). */
  names: string[];
  /**
   * The systemd unit that runs it: Podman's generated services label their
   * containers `PODMAN_SYSTEMD_UNIT=<unit>`; `null` for a container started
   * by hand.
   */
  unit: string | null;
  /** Podman's state: `running`, `exited`, `created`, `paused`, `stopping`, … */
  state: string;
  /**
   * The health check's state (`HealthCmd=`): `healthy`, `unhealthy` or
   * `starting` (no check has finished yet); `null` for a container without
   * a health check. Podman 5 prints it only at the end of `Status`
   * (`Up 5 minutes (healthy)`).
   */
  health: string | null;
  /** The image as the container names it (`localhost/bb:latest`). */
  image: string;
  /** The ports it publishes. */
  ports: ContainerPort[];
  /** When its process last started, RFC 3339; `null` when it never did. */
  startedAt: string | null;
  /** Whether it is a pod's infra container (which holds the pod's ports). */
  isInfra: boolean;
}

/** The arguments of the one `podman ps` leger runs. */
export const PODMAN_PS_ARGS: readonly string[] = [
  "ps",
  "--all",
  "--format",
  "json",
];
const HEALTH_REGEXP = /\(([a-z ]+)\)$/;

/**
 * Lists every container of the invoking user, stopped ones included, with
 * the systemd unit that runs each, its state, its health check's state, its
 * image, ports and start time: one `podman ps --all --format json`, however
 * many containers there are.
 *
 * Requires `--allow-run=podman`.
 *
 * @param options The runner.
 * @returns The containers, in Podman's order.
 * @throws {SyntaxError} If the output is not Podman's JSON list.
 * @throws {CommandError} If `podman` fails.
 *
 * @example Usage
 * ```ts
 * import { listPodmanContainers } from "./podman_ps.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "podman", args: ["ps", "--all", "--format", "json"],
 *   result: { stdout: JSON.stringify([{
 *     Id: "4f1c", Names: ["systemd-web"], Image: "localhost/bb:latest",
 *     Labels: { PODMAN_SYSTEMD_UNIT: "web.service" }, State: "running",
 *     Status: "Up 5 minutes (healthy)", StartedAt: 1796064081, Ports: null,
 *   }]) },
 * }]);
 * const [web] = await listPodmanContainers({ runner });
 * strictEqual(web.unit, "web.service");
 * strictEqual(web.health, "healthy");
 * ```
 */
export async function listPodmanContainers(
  options: { runner?: Runner } = {},
): Promise<PodmanContainer[]> {
  const { runner = run } = options;
  const { stdout } = await runner("podman", PODMAN_PS_ARGS);
  return parsePodmanPs(stdout);
}

/**
 * Parses the output of `podman ps --all --format json` (Podman 4 and 5).
 * Podman prints `[]`, or nothing, when there is no container.
 *
 * @param stdout What Podman printed.
 * @returns The containers, in Podman's order.
 * @throws {SyntaxError} If it is not a JSON list of containers.
 *
 * @example Usage
 * ```ts
 * import { parsePodmanPs } from "./podman_ps.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const [db] = parsePodmanPs(JSON.stringify([{
 *   Id: "9a8b", Names: ["systemd-db"], Image: "docker.io/library/postgres:16",
 *   Labels: null, State: "exited", Status: "Exited (1) 9 seconds ago",
 *   StartedAt: 0, Ports: [{ host_ip: "", container_port: 5432, host_port: 5432, range: 1, protocol: "tcp" }],
 * }]));
 * deepStrictEqual([db.unit, db.health, db.startedAt], [null, null, null]);
 * deepStrictEqual(db.ports[0], { hostIp: "", hostPort: 5432, containerPort: 5432, range: 1, protocol: "tcp" });
 * ```
 */
export function parsePodmanPs(stdout: string): PodmanContainer[] {
  if (stdout.trim() === "" || stdout.trim() === "null") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw invalid("it is not JSON", error);
  }
  if (!Array.isArray(parsed)) throw invalid("expected a JSON list");
  return parsed.map((item, index) => readContainer(item, index));
}

function readContainer(item: unknown, index: number): PodmanContainer {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw invalid(`entry ${index} is not an object`);
  }
  const c = item as Record<string, unknown>;
  if (typeof c.Id !== "string") throw invalid(`entry ${index} has no "Id"`);
  const labels = typeof c.Labels === "object" && c.Labels !== null
    ? c.Labels as Record<string, unknown>
    : {};
  const unit = labels.PODMAN_SYSTEMD_UNIT;
  const status = typeof c.Status === "string" ? c.Status : "";
  const started = typeof c.StartedAt === "number" ? c.StartedAt : 0;
  return {
    id: c.Id,
    names: Array.isArray(c.Names)
      ? c.Names.filter((n): n is string => typeof n === "string")
      : [],
    unit: typeof unit === "string" && unit !== "" ? unit : null,
    state: typeof c.State === "string" ? c.State : "",
    health: HEALTH_REGEXP.exec(status)?.[1] ?? null,
    image: typeof c.Image === "string" ? c.Image : "",
    ports: Array.isArray(c.Ports) ? c.Ports.map(readPort) : [],
    // Podman writes 0 (or Go's zero time, far negative) when it never ran.
    startedAt: started > 0 ? new Date(started * 1000).toISOString() : null,
    isInfra: c.IsInfra === true,
  };
}

function readPort(value: unknown): ContainerPort {
  const p =
    (typeof value === "object" && value !== null ? value : {}) as Record<
      string,
      unknown
    >;
  return {
    hostIp: typeof p.host_ip === "string" ? p.host_ip : "",
    hostPort: typeof p.host_port === "number" ? p.host_port : 0,
    containerPort: typeof p.container_port === "number" ? p.container_port : 0,
    range: typeof p.range === "number" && p.range > 0 ? p.range : 1,
    protocol: typeof p.protocol === "string" ? p.protocol : "tcp",
  };
}

/**
 * A port as `podman ps` shows it: `127.0.0.1:8080->80/tcp`, or
 * `0.0.0.0:9000-9001->9000-9001/udp` for a range.
 *
 * @param port The port.
 * @returns Podman's notation.
 *
 * @example Usage
 * ```ts
 * import { formatContainerPort } from "./podman_ps.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   formatContainerPort({ hostIp: "127.0.0.1", hostPort: 18555, containerPort: 8080, range: 1, protocol: "tcp" }),
 *   "127.0.0.1:18555->8080/tcp",
 * );
 * ```
 */
export function formatContainerPort(port: ContainerPort): string {
  const ip = port.hostIp === "" ? "0.0.0.0" : port.hostIp;
  const span = (first: number) =>
    port.range > 1 ? `${first}-${first + port.range - 1}` : `${first}`;
  return `${ip}:${span(port.hostPort)}->${
    span(port.containerPort)
  }/${port.protocol}`;
}

function invalid(problem: string, cause?: unknown): SyntaxError {
  return new SyntaxError(
    `Cannot read the output of "podman ${
      PODMAN_PS_ARGS.join(" ")
    }": ${problem}`,
    { cause },
  );
}
