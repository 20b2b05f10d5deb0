import type { PublishedPort } from "./types.ts";

/** Options for {@linkcode parsePublishPort}. */
export interface ParsePublishPortOptions {
  /**
   * The file the value comes from, copied into the result.
   *
   * @default {""}
   */
  file?: string;
  /**
   * The line the value comes from, copied into the result.
   *
   * @default {0}
   */
  line?: number;
}

const PORT_RANGE_REGEXP = /^(\d+)(?:-(\d+))?$/;
const IPV4_REGEXP = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_REGEXP = /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/;
const FORMAT =
  "expected [[IP:]HOST:]CONTAINER[/tcp|udp|sctp] or [IPV6]:HOST:CONTAINER";

/**
 * Parses a `PublishPort=` value the way `podman run --publish` reads it.
 *
 * Podman's generator passes the value on untouched (no unquoting), so `spec`
 * is the value itself. The forms are `CONTAINER`, `HOST:CONTAINER`,
 * `IP:HOST:CONTAINER`, `IP::CONTAINER` (Podman picks the host port),
 * `[IPV6]:HOST:CONTAINER` and `[IPV6]::CONTAINER`, each port possibly a range
 * (`8000-8010`) and each optionally followed by `/tcp`, `/udp` or `/sctp`.
 * An empty address (`:80:90`, `::90`) means all addresses. A port holding a
 * systemd specifier or an environment variable (`${PORT}`) is accepted as is,
 * since systemd expands it when the service starts.
 *
 * @param value The value, such as `127.0.0.1:8080:80/tcp`.
 * @param options Where the value comes from.
 * @returns The published port.
 * @throws {SyntaxError} When the value has none of the forms.
 * @throws {RangeError} When a port is outside 1-65535 (0 is allowed for the
 * host port) or the host and container ranges differ in length.
 *
 * @example Usage
 * ```ts
 * import { parsePublishPort } from "./parse_publish_port.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(parsePublishPort("[::1]:8080:80/udp", { file: "web.container", line: 4 }), {
 *   hostIp: "::1", hostPort: "8080", containerPort: "80", protocol: "udp",
 *   spec: "[::1]:8080:80/udp", line: 4, file: "web.container",
 * });
 * ```
 */
export function parsePublishPort(
  value: string,
  options: ParsePublishPortOptions = {},
): PublishedPort {
  const { file = "", line = 0 } = options;
  const slash = value.indexOf("/");
  let protocol: PublishedPort["protocol"] = "tcp";
  let remainder = value;
  if (slash !== -1) {
    remainder = value.slice(0, slash);
    protocol = toProtocol(value.slice(slash + 1), value);
  }
  let hostIp: string | null = null;
  let ipv6 = false;
  const close = remainder.indexOf("]");
  if (close !== -1) {
    if (remainder.indexOf("]", close + 1) !== -1) {
      throw new SyntaxError(
        `Cannot parse port "${value}": it names more than one IPv6 address`,
      );
    }
    if (!remainder.startsWith("[") || remainder[close + 1] !== ":") {
      throw new SyntaxError(
        `Cannot parse port "${value}": an IPv6 address must be written in brackets and followed by ":"`,
      );
    }
    hostIp = toAddress(remainder.slice(1, close), value, true);
    remainder = remainder.slice(close + 2);
    ipv6 = true;
  }
  const parts = remainder.split(":");
  let hostPort: string | null = null;
  let containerPort: string;
  if (parts.length === 1 && !ipv6) {
    containerPort = parts[0];
  } else if (parts.length === 2) {
    [hostPort, containerPort] = parts;
  } else if (parts.length === 3 && !ipv6) {
    hostIp = toAddress(parts[0], value, false);
    [, hostPort, containerPort] = parts;
  } else {
    throw new SyntaxError(`Cannot parse port "${value}": ${FORMAT}`);
  }
  if (containerPort === "") {
    throw new SyntaxError(
      `Cannot parse port "${value}": the container port is empty`,
    );
  }
  const containerLength = checkPorts(containerPort, value, 1);
  if (hostPort === "") hostPort = null;
  if (hostPort !== null) {
    const hostLength = checkPorts(hostPort, value, 0);
    if (
      hostLength !== undefined && containerLength !== undefined &&
      hostLength !== containerLength
    ) {
      throw new RangeError(
        `Cannot parse port "${value}": the host range has ${hostLength} ports and the container range ${containerLength}`,
      );
    }
  }
  return { hostIp, hostPort, containerPort, protocol, spec: value, line, file };
}

function toProtocol(text: string, value: string): PublishedPort["protocol"] {
  const protocol = text.toLowerCase();
  if (protocol === "tcp" || protocol === "udp" || protocol === "sctp") {
    return protocol;
  }
  throw new SyntaxError(
    `Cannot parse port "${value}": the protocol must be tcp, udp or sctp: current value is "${text}"`,
  );
}

function toAddress(
  text: string,
  value: string,
  bracketed: boolean,
): string | null {
  if (text === "") return null;
  if (isDeferred(text)) return text;
  const v4 = IPV4_REGEXP.exec(text);
  const valid = bracketed
    ? IPV6_REGEXP.test(text) && text.includes(":")
    : v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
  if (!valid) {
    throw new SyntaxError(
      `Cannot parse port "${value}": "${text}" is not an IP address`,
    );
  }
  return text;
}

/** Checks a port or range; returns its length, or `undefined` when systemd expands it. */
function checkPorts(
  text: string,
  value: string,
  min: number,
): number | undefined {
  if (isDeferred(text)) return undefined;
  const match = PORT_RANGE_REGEXP.exec(text);
  if (match === null) {
    throw new SyntaxError(
      `Cannot parse port "${value}": "${text}" is not a port or port range`,
    );
  }
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  for (const port of [start, end]) {
    if (port < min || port > 65535) {
      throw new RangeError(
        `Cannot parse port "${value}" as ports must be ${min}-65535: current value is ${port}`,
      );
    }
  }
  if (end < start) {
    throw new RangeError(
      `Cannot parse port "${value}": the range "${text}" ends before it starts`,
    );
  }
  return end - start + 1;
}

/** A `${VAR}`/`$VAR` or a systemd `%` specifier: only known when the service starts. */
function isDeferred(text: string): boolean {
  return text.includes("$") || text.includes("%");
}
