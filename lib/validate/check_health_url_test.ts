import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { loadUnits } from "../quadlet/load_units.ts";
import { checkHealthUrl } from "./check_health_url.ts";

function unitOf(files: Record<string, string>) {
  const encode = (text: string) => new TextEncoder().encode(text);
  return loadUnits(
    Object.entries(files).map(([path, text]) => ({
      path,
      bytes: encode(text),
    })),
  ).units[0].unit;
}

Deno.test("checkHealthUrl() refuses a HealthURL= that is not an http(s) URL, naming the file and line", () => {
  const unit = unitOf({
    "web.container":
      "[Container]\nImage=nginx\n\n[X-Leger]\nHealthURL=http://127.0.0.1:8080/\n",
    "web.container.d/10-h.conf": "[X-Leger]\nHealthURL=tcp://127.0.0.1:8080\n",
  });
  deepStrictEqual(checkHealthUrl(unit, "container"), [{
    code: "ERR_UNIT_INVALID_VALUE",
    message:
      'Cannot use HealthURL=tcp://127.0.0.1:8080 of "web.container": it is not an http(s) URL',
    file: "web.container.d/10-h.conf",
    line: 2,
    remedy:
      "Write the URL leger should fetch, such as http://127.0.0.1:8080/health, in web.container.d/10-h.conf at line 2",
  }]);
});

Deno.test("checkHealthUrl() warns of a host that is not loopback, leger.run's included, and accepts loopback and an empty value", () => {
  const findings = checkHealthUrl(
    unitOf({
      "web.container":
        "[Container]\nImage=nginx\n[X-Leger]\nHealthURL=https://localhost:8443/ready\nHealthURL=\nHealthURL=http://web.internal/health\nHealthURL=https://api.leger.run/health\nHealthURL=http://[::1]:8080/\n",
    }),
    "container",
  );
  deepStrictEqual(
    findings.map((f) => [f.line, f.severity, f.message]),
    [[
      6,
      "warning",
      'Cannot check HealthURL=http://web.internal/health of "web.container": health checks reach only 127.0.0.1, localhost, [::1], not "web.internal"',
    ], [
      7,
      "warning",
      'Cannot check HealthURL=https://api.leger.run/health of "web.container": health checks reach only 127.0.0.1, localhost, [::1], not "api.leger.run"',
    ]],
  );
});

Deno.test("checkHealthUrl() warns of credentials, and never repeats them", () => {
  const findings = checkHealthUrl(
    unitOf({
      "w9.container":
        "[Container]\nImage=nginx\n[X-Leger]\nHealthURL=http://admin:hunter2SECRET@127.0.0.1:23109/\n",
    }),
    "container",
  );
  deepStrictEqual(findings.map((f) => [f.line, f.severity, f.message]), [[
    4,
    "warning",
    'HealthURL=http://127.0.0.1:23109/ of "w9.container" holds credentials: leger shows them nowhere, but w9.container keeps them in clear',
  ]]);
  strictEqual(JSON.stringify(findings).includes("hunter2SECRET"), false);
});

Deno.test("checkHealthUrl() resolves %i for a template, and gives a port out of range its own message", () => {
  const template = unitOf({
    "worker@.container":
      "[Container]\nImage=nginx\n[X-Leger]\nHealthURL=http://127.0.0.1:80%i/%I\n",
  });
  deepStrictEqual(checkHealthUrl(template, "container"), []);
  const findings = checkHealthUrl(
    unitOf({
      "web.container":
        "[Container]\nImage=nginx\n[X-Leger]\nHealthURL=http://127.0.0.1:99999/\n",
    }),
    "container",
  );
  deepStrictEqual(findings.map((f) => [f.line, f.severity, f.message]), [[
    4,
    undefined,
    'Cannot use HealthURL=http://127.0.0.1:99999/ of "web.container": its port 99999 is outside 1-65535',
  ]]);
});

Deno.test("checkHealthUrl() warns of unknown [X-Leger] keys with the closest, and of HealthURL= where no service runs", () => {
  const findings = checkHealthUrl(
    unitOf({
      "web.container":
        "[Container]\nImage=nginx\n[X-Leger]\nHealthUrl=http://127.0.0.1:8080/\nFoo=bar\n",
    }),
    "container",
  );
  deepStrictEqual(
    findings.map((f) => [f.code, f.line, f.severity, f.message, f.remedy]),
    [[
      "ERR_UNIT_UNKNOWN_KEY",
      4,
      "warning",
      'Cannot use HealthUrl= in [X-Leger] of "web.container": leger reads only HealthURL= there; did you mean HealthURL=?',
      "Write HealthURL= in web.container at line 4",
    ], [
      "ERR_UNIT_UNKNOWN_KEY",
      5,
      "warning",
      'Cannot use Foo= in [X-Leger] of "web.container": leger reads only HealthURL= there',
      "Remove Foo= from web.container at line 5",
    ]],
  );
  const volume = checkHealthUrl(
    unitOf({
      "data.volume": "[Volume]\n[X-Leger]\nHealthURL=http://127.0.0.1:8080/\n",
    }),
    "volume",
  );
  deepStrictEqual(volume.map((f) => [f.line, f.severity, f.message]), [[
    3,
    "warning",
    'Cannot check HealthURL=http://127.0.0.1:8080/ of "data.volume": a .volume has no running service to check, so leger ignores it',
  ]]);
});
