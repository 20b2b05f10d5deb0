/**
 * The hosts leger connects to over HTTP: leger.run's three hosts and
 * loopback (a local test server). This is leger's own rule, not Deno's: the
 * login token goes to leger.run's API as a bearer token, so a base URL set
 * in `LEGER_API_URL`, `LEGER_STATIC_URL` or `LEGER_WEB_URL`, or a redirect,
 * that names any other host is refused before anything is sent
 * (`checkAllowedUrl()`, `fetchAllowed()`). The binaries' `--allow-net` lists
 * no hosts: Deno names unix sockets by exact path only, and a user's sockets
 * (legerd's) are under `/run/user/UID`, which a binary built once for every
 * user cannot name.
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
