import { strictEqual, throws } from "node:assert/strict";
import { checkAllowedUrl } from "./check_allowed_url.ts";
import { ALLOWED_NET_HOSTS } from "./allowed_net_hosts.ts";
import { permissionFlags } from "../../tests/_leger.ts";

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

Deno.test("checkAllowedUrl() refuses any other host with ERR_NETWORK_NOT_ALLOWED and how to allow it", () => {
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
      remedy: new RegExp(
        `^Unset LEGER_API_URL, or allow "${
          host.replace(/[.[\]]/g, "\\$&")
        }": add it to \`--allow-net\``,
      ),
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

Deno.test("ALLOWED_NET_HOSTS equals the hosts of the leger task's --allow-net flag", () => {
  const flag = permissionFlags("leger").find((f) =>
    f.startsWith("--allow-net=")
  );
  const hosts = flag!.slice("--allow-net=".length).split(",").filter((host) =>
    !host.startsWith("unix:") && host !== "local-tailscaled.sock"
  );
  strictEqual(
    JSON.stringify(hosts.sort()),
    JSON.stringify([...ALLOWED_NET_HOSTS].sort()),
  );
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
