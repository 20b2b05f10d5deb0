/**
 * A TCP port of 127.0.0.1 that nothing listens on, for tests that check a
 * port against the real host: the kernel picks one for a listener on port 0,
 * which is closed before the port is returned.
 *
 * @param hostname The address to pick it on.
 * @returns The port, free when this returns.
 *
 * @example Usage
 * ```ts ignore
 * const port = freePort();
 * ```
 */
export function freePort(hostname = "127.0.0.1"): number {
  using listener = Deno.listen({ hostname, port: 0 });
  return listener.addr.port;
}
