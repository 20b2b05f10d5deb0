import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  hasCredentials,
  healthUrlProblem,
  resolveHealthUrl,
  shownHealthUrl,
} from "./health_url.ts";

Deno.test("resolveHealthUrl() resolves systemd's specifiers for one instance", () => {
  strictEqual(
    resolveHealthUrl(
      "http://127.0.0.1:80%i/%I/%n/%N/%p/100%%",
      "w@a\\x2db-c.service",
    ),
    "http://127.0.0.1:80a\\x2db-c/a-b/c/w@a\\x2db-c.service/w@a\\x2db-c/w/100%",
  );
  strictEqual(
    resolveHealthUrl("http://127.0.0.1:80%i/", "web.service"),
    "http://127.0.0.1:80/",
  );
  strictEqual(
    resolveHealthUrl("http://127.0.0.1/%z", "web.service"),
    "http://127.0.0.1/%z",
  );
});

Deno.test("healthUrlProblem() allows loopback only, and tells a bad port from a bad URL", () => {
  deepStrictEqual(
    [
      "http://127.0.0.1:8080/",
      "http://LOCALHOST/",
      "https://[::1]:8443/",
      "https://api.leger.run/health",
      "http://10.0.0.5/",
      "http://127.0.0.1:0/",
      "http://127.0.0.1:65536/",
      "http://127.0.0.1:%i/",
      "tcp://127.0.0.1:8080",
    ].map((url) => healthUrlProblem(url)?.kind ?? null),
    [null, null, null, "host", "host", "port", "port", "url", "url"],
  );
});

Deno.test("hasCredentials() and shownHealthUrl() find and remove a URL's credentials", () => {
  strictEqual(hasCredentials("http://admin:pw@127.0.0.1:99999/"), true);
  strictEqual(hasCredentials("http://127.0.0.1/a@b"), false);
  strictEqual(
    shownHealthUrl("http://admin:hunter2SECRET@127.0.0.1:23109/?token=x"),
    "http://127.0.0.1:23109/?token=***",
  );
});
