/**
 * The hosts the `leger` binary's `--allow-net` flag names: leger.run's three
 * hosts and loopback. It must equal the list in deno.json's `leger` task (a
 * test checks it): a URL naming any other host would be refused by Deno
 * itself, so leger refuses it first, with an error that says what to do.
 */
export const ALLOWED_NET_HOSTS: readonly string[] = [
  "api.leger.run",
  "static.leger.run",
  "app.leger.run",
  "127.0.0.1",
  "localhost",
  "[::1]",
];

/** The loopback hosts of {@linkcode ALLOWED_NET_HOSTS}, where plain `http:` is fine. */
export const LOOPBACK_HOSTS: readonly string[] = [
  "127.0.0.1",
  "localhost",
  "[::1]",
];
