import type {
  PublishedPort,
  QuadletKind,
  QuadletUnit,
} from "../quadlet/types.ts";

const SERVICE_SUFFIX: Record<QuadletKind, string> = {
  container: "",
  kube: "",
  volume: "-volume",
  network: "-network",
  pod: "-pod",
  image: "-image",
  build: "-build",
  artifact: "-artifact",
};

/**
 * Builds a {@linkcode QuadletUnit} for tests from a file name, with Podman's
 * default service and resource names; `overrides` replaces any field.
 * Only the tests of this folder use it.
 */
export function makeQuadlet(
  file: string,
  overrides: Partial<QuadletUnit> = {},
): QuadletUnit {
  const dot = file.lastIndexOf(".");
  const base = file.slice(0, dot);
  const kind = file.slice(dot + 1) as QuadletKind;
  const named = ["container", "volume", "network", "pod"].includes(kind);
  return {
    file,
    kind,
    template: base.includes("@"),
    serviceName: `${base}${SERVICE_SUFFIX[kind]}.service`,
    resourceName: named ? `systemd-${base}` : null,
    image: null,
    pod: null,
    ports: [],
    secrets: [],
    volumes: [],
    networks: [],
    files: [],
    units: [],
    health: { cmd: null, notifyHealthy: false },
    ...overrides,
  };
}

/** A `PublishPort=` of `file` at `line`, parsed from `spec` (`[ip:]host:container[/proto]`). */
export function makePort(
  file: string,
  line: number,
  spec: string,
): PublishedPort {
  const [body, protocol = "tcp"] = spec.split("/");
  const match = /^(?:(\[[^\]]*\]|[^:]*):)?([^:]*):([^:]+)$/.exec(body);
  if (match === null) throw new SyntaxError(`Cannot parse port spec "${spec}"`);
  const [, ip, host, container] = match;
  return {
    hostIp: ip === undefined || ip === "" ? null : ip.replace(/^\[|\]$/g, ""),
    hostPort: host === "" ? null : host,
    containerPort: container,
    protocol: protocol as PublishedPort["protocol"],
    spec,
    line,
    file,
  };
}
