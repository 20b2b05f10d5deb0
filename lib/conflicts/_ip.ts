/**
 * IP address helpers for the conflict checks: decoding the hex addresses of
 * `/proc/net/*`, and putting textual addresses into one canonical form so
 * that `::1` and `0:0::1`, or `127.0.0.1` and `::ffff:127.0.0.1`, compare
 * equal.
 *
 * @module
 */

/** An address reduced to what matters for `bind(2)` overlap. */
export interface CanonicalAddress {
  /** 4 for IPv4 (and IPv4-mapped IPv6), 6 for IPv6. */
  family: 4 | 6;
  /** `0.0.0.0` or `::`. */
  wildcard: boolean;
  /** Dotted quad for family 4, RFC 5952 text for family 6. */
  text: string;
}

const IPV4_REGEXP = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP_REGEXP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Decodes an address of `/proc/net/tcp*` or `udp*`: 8 hex digits (IPv4) or
 * 32 (IPv6), each 32-bit word in host byte order (little-endian here).
 */
export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) return formatIpv4(wordBytes(hex));
  if (hex.length === 32) {
    const bytes: number[] = [];
    for (let i = 0; i < 32; i += 8) {
      bytes.push(...wordBytes(hex.slice(i, i + 8)));
    }
    return formatIpv6(bytes);
  }
  throw new SyntaxError(
    `Cannot decode address "${hex}": expected 8 or 32 hex digits`,
  );
}

/**
 * Reduces an address as written (`127.0.0.1`, `[::1]`, `::ffff:10.0.0.1`) to
 * its canonical form; IPv4-mapped IPv6 addresses become IPv4.
 *
 * @returns The canonical address, or `null` when `text` is not an IP address
 * (a host name or a systemd specifier, which leger cannot compare).
 */
export function canonicalAddress(text: string): CanonicalAddress | null {
  const bare = text.startsWith("[") && text.endsWith("]")
    ? text.slice(1, -1)
    : text;
  const v4 = parseIpv4(bare);
  if (v4 !== null) return ipv4Address(v4);
  const v6 = parseIpv6(bare.replace(/%.*$/, ""));
  if (v6 === null) return null;
  if (isV4Mapped(v6)) return ipv4Address(v6.slice(12));
  return {
    family: 6,
    wildcard: v6.every((b) => b === 0),
    text: formatIpv6(v6),
  };
}

function ipv4Address(bytes: number[]): CanonicalAddress {
  return {
    family: 4,
    wildcard: bytes.every((b) => b === 0),
    text: formatIpv4(bytes),
  };
}

function wordBytes(hex8: string): number[] {
  const word = Number.parseInt(hex8, 16);
  if (!/^[0-9a-fA-F]{8}$/.test(hex8) || Number.isNaN(word)) {
    throw new SyntaxError(
      `Cannot decode address word "${hex8}": expected 8 hex digits`,
    );
  }
  return [
    word & 0xff,
    (word >>> 8) & 0xff,
    (word >>> 16) & 0xff,
    (word >>> 24) & 0xff,
  ];
}

function parseIpv4(text: string): number[] | null {
  const match = IPV4_REGEXP.exec(text);
  if (match === null) return null;
  const bytes = match.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function parseIpv6(text: string): number[] | null {
  if (!text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === null || tail === null) return null;
  const missing = 16 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 2) return null;
  return [...head, ...new Array(missing).fill(0), ...tail];
}

/** Parses `a:b:c` groups (the last may be dotted IPv4) into bytes. */
function parseGroups(text: string): number[] | null {
  if (text === "") return [];
  const groups = text.split(":");
  const bytes: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && group.includes(".")) {
      const v4 = parseIpv4(group);
      if (v4 === null) return null;
      bytes.push(...v4);
    } else if (HEX_GROUP_REGEXP.test(group)) {
      const value = Number.parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    } else {
      return null;
    }
  }
  return bytes;
}

function isV4Mapped(bytes: number[]): boolean {
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff &&
    bytes[11] === 0xff;
}

function formatIpv4(bytes: number[]): string {
  return bytes.join(".");
}

/** RFC 5952: lower-case hex, the longest run (2+) of zero groups as `::`. */
function formatIpv6(bytes: number[]): string {
  if (isV4Mapped(bytes)) return `::ffff:${formatIpv4(bytes.slice(12))}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLength).join(":");
  return `${head}::${tail}`;
}
