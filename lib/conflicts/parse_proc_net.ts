import { decodeProcAddress } from "./_ip.ts";

/** A socket bound to a local address and port, waiting for peers. */
export interface ListeningSocket {
  /** The protocol: `tcp` for `/proc/net/tcp{,6}`, `udp` for `/proc/net/udp{,6}`. */
  protocol: "tcp" | "udp";
  /**
   * The local address: a dotted quad, or IPv6 in RFC 5952 form (`::`, `::1`,
   * `::ffff:127.0.0.1`). `0.0.0.0` and `::` mean every address.
   */
  address: string;
  /** The local port (`local_address` after the `:`, written in hex in the file; proc(5), `/proc/net/tcp`). */
  port: number;
}

/** `st` of a TCP socket in LISTEN state (`TCP_LISTEN`). */
const TCP_LISTEN = "0A";
/** `st` of an unconnected UDP socket (`TCP_CLOSE`): bound, receiving from anyone. */
const UDP_UNCONNECTED = "07";

const HEADER_REGEXP = /^\s*sl\s+local_address\s/;
const LINE_REGEXP =
  /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\s+([0-9A-Fa-f]{2})\s/;

/**
 * Parses the text of `/proc/net/tcp`, `tcp6`, `udp` or `udp6` into the
 * sockets that hold a local port: TCP sockets in LISTEN state and unconnected
 * (bound) UDP sockets. Established connections are left out, since they use a
 * port without keeping others from binding it.
 *
 * Addresses are decoded from the kernel's hex form (each 32-bit word in host,
 * here little-endian, byte order); the family follows from their length, so
 * one function reads the IPv4 and the IPv6 files alike. Duplicates (several
 * `SO_REUSEPORT` sockets) are listed once.
 *
 * @param text The file's text, header line included.
 * @param protocol Which protocol the file describes.
 * @returns The listening sockets, in file order.
 * @throws {SyntaxError} If a line is not in the kernel's format.
 *
 * @example Usage
 * ```ts
 * import { parseProcNet } from "./parse_proc_net.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const text =
 *   "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
 *   "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n" +
 *   "   1: 0100007F:E88C 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4243 1\n";
 * deepStrictEqual(parseProcNet(text, "tcp"), [
 *   { protocol: "tcp", address: "127.0.0.1", port: 8080 },
 * ]);
 * ```
 */
export function parseProcNet(
  text: string,
  protocol: "tcp" | "udp",
): ListeningSocket[] {
  const wanted = protocol === "tcp" ? TCP_LISTEN : UDP_UNCONNECTED;
  const seen = new Set<string>();
  const sockets: ListeningSocket[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "" || HEADER_REGEXP.test(line)) continue;
    const match = LINE_REGEXP.exec(line);
    if (match === null) {
      throw new SyntaxError(
        `Cannot parse /proc/net/${protocol} at line ${
          index + 1
        }: expected "sl: address:port address:port st …", got "${line.trim()}"`,
      );
    }
    const [, hexAddress, hexPort, state] = match;
    if (state.toUpperCase() !== wanted) continue;
    const socket = {
      protocol,
      address: decodeProcAddress(hexAddress),
      port: Number.parseInt(hexPort, 16),
    };
    const key = `${socket.address}|${socket.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sockets.push(socket);
  }
  return sockets;
}
