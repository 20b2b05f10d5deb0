import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { checkAllowedUrl } from "./check_allowed_url.ts";
import { ALLOWED_NET_HOSTS, LOOPBACK_HOSTS } from "./allowed_net_hosts.ts";

Deno.test("checkAllowedUrl() accepts leger.run's hosts and loopback", () => {
  const cases: [string, string][] = [
    ["https://api.leger.run", "https://api.leger.run"],
    ["https://api.leger.run/", "https://api.leger.run"],
    ["https://app.leger.run/api", "https://app.leger.run/api"],
    ["https://static.leger.run:8443/", "https://static.leger.run:8443"],
    ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
    ["http://localhost:1234/api/", "http://localhost:1234/api"],
    ["http://[::1]:9000", "http://[::1]:9000"],
    ["HTTPS://API.LEGER.RUN", "https://api.leger.run"],
  ];
  for (const [value, expected] of cases) {
    strictEqual(checkAllowedUrl(value), expected);
  }
});

Deno.test("checkAllowedUrl() refuses any other host with ERR_NETWORK_NOT_ALLOWED, saying why", () => {
  for (
    const [value, host] of [
      ["https://api.example.com", "api.example.com"],
      ["https://leger.run", "leger.run"],
      ["https://evil.api.leger.run", "evil.api.leger.run"],
      ["http://127.0.0.1.nip.io:80", "127.0.0.1.nip.io"],
      ["http://10.0.0.1/", "10.0.0.1"],
      ["http://[::2]/", "[::2]"],
    ]
  ) {
    throws(() => checkAllowedUrl(value, { variable: "LEGER_API_URL" }), {
      name: "LegerError",
      code: "ERR_NETWORK_NOT_ALLOWED",
      message:
        `Cannot use LEGER_API_URL "${value}": leger may connect only to ${
          ALLOWED_NET_HOSTS.join(", ")
        }, not to "${host}"`,
      remedy:
        "Unset LEGER_API_URL, or point it at one of those hosts: leger sends its login token to leger.run only (loopback is for a local test server)",
    }, value);
  }
});

Deno.test("checkAllowedUrl() refuses plain http to a leger.run host", () => {
  throws(
    () =>
      checkAllowedUrl("http://api.leger.run", { variable: "LEGER_API_URL" }),
    {
      code: "ERR_NETWORK_NOT_ALLOWED",
      message:
        'Cannot use LEGER_API_URL "http://api.leger.run": only loopback may be reached over plain http',
      remedy: "Use https://api.leger.run",
    },
  );
});

Deno.test("checkAllowedUrl() refuses a value that is not an http(s) URL", () => {
  for (
    const value of [
      "api.leger.run",
      "ftp://api.leger.run",
      "file:///etc/passwd",
      "",
    ]
  ) {
    throws(() => checkAllowedUrl(value, { variable: "LEGER_STATIC_URL" }), {
      code: "ERR_USAGE",
      message:
        `Cannot use LEGER_STATIC_URL "${value}": it is not an http(s) URL`,
    });
  }
});

Deno.test("ALLOWED_NET_HOSTS is leger.run's three hosts and loopback, and checkAllowedUrl() follows it", () => {
  // leger's own rule: the login token may go to leger.run and to a local
  // test server, nowhere else. Adding a host here is a decision, not a fix.
  deepStrictEqual(ALLOWED_NET_HOSTS, [
    "api.leger.run",
    "static.leger.run",
    "app.leger.run",
    "127.0.0.1",
    "localhost",
    "[::1]",
  ]);
  deepStrictEqual(LOOPBACK_HOSTS, ["127.0.0.1", "localhost", "[::1]"]);
  for (const host of ALLOWED_NET_HOSTS) {
    strictEqual(
      checkAllowedUrl(`https://${host}:8443`),
      `https://${host}:8443`,
    );
    if (LOOPBACK_HOSTS.includes(host)) {
      strictEqual(
        checkAllowedUrl(`http://${host}:8787`),
        `http://${host}:8787`,
      );
    } else {
      throws(() => checkAllowedUrl(`http://${host}`), {
        code: "ERR_NETWORK_NOT_ALLOWED",
        message: /only loopback may be reached over plain http/,
      });
    }
  }
});

Deno.test("checkAllowedUrl() never shows the credentials of the URL it refuses", () => {
  const cases: [string, string][] = [
    ["https://alice:s3cr3t@api.example.com", "ERR_NETWORK_NOT_ALLOWED"],
    ["http://alice:s3cr3t@api.leger.run", "ERR_NETWORK_NOT_ALLOWED"],
    ["ftp://alice:s3cr3t@api.leger.run", "ERR_USAGE"],
  ];
  for (const [value, code] of cases) {
    throws(() => checkAllowedUrl(value, { variable: "LEGER_API_URL" }), (
      error: Error & { code: string; remedy: string },
    ) => {
      strictEqual(error.code, code);
      strictEqual(
        `${error.message}\n${error.remedy}`.includes("s3cr3t"),
        false,
      );
      return true;
    });
  }
});
