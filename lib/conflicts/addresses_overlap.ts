import { canonicalAddress } from "./_ip.ts";

/**
 * Tells whether two sockets bound to the same port and protocol on these
 * local addresses would collide, the way Linux decides for `bind(2)`.
 *
 * - `null` (no host address in `PublishPort=`: Podman binds every address of
 *   both families) overlaps everything;
 * - `0.0.0.0` overlaps every IPv4 address, IPv4-mapped IPv6 ones included;
 * - `::` overlaps everything: a dual-stack socket also holds the IPv4 port,
 *   and whether a given socket was opened `IPV6_V6ONLY` cannot be seen from
 *   `/proc/net`, so leger assumes the default (`net.ipv6.bindv6only=0`) and
 *   would rather warn once too often than let a start fail;
 * - two specific addresses overlap only when they are the same address
 *   (`127.0.0.1` and `::ffff:127.0.0.1` are).
 *
 * An address that is not an IP (a host name, a systemd specifier) overlaps a
 * wildcard or the same text only.
 *
 * @param a One local address (brackets around IPv6 allowed), or `null` for all.
 * @param b The other.
 * @returns Whether both cannot be bound at once.
 *
 * @example Usage
 * ```ts
 * import { addressesOverlap } from "./addresses_overlap.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(addressesOverlap("0.0.0.0", "127.0.0.1"), true);
 * strictEqual(addressesOverlap("127.0.0.1", "127.0.0.2"), false);
 * strictEqual(addressesOverlap("::", "10.0.0.1"), true);
 * strictEqual(addressesOverlap("0.0.0.0", "::1"), false);
 * strictEqual(addressesOverlap(null, "::1"), true);
 * ```
 */
export function addressesOverlap(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return true;
  const left = canonicalAddress(a);
  const right = canonicalAddress(b);
  if (left === null || right === null) {
    return a === b || left?.wildcard === true || right?.wildcard === true;
  }
  if (
    (left.wildcard && left.family === 6) ||
    (right.wildcard && right.family === 6)
  ) {
    return true;
  }
  if (left.family !== right.family) return false;
  return left.wildcard || right.wildcard || left.text === right.text;
}
