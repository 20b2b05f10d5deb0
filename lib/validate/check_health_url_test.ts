import { deepStrictEqual } from "node:assert/strict";
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
  deepStrictEqual(checkHealthUrl(unit), [{
    code: "ERR_UNIT_INVALID_VALUE",
    message:
      'Cannot use HealthURL=tcp://127.0.0.1:8080 of "web.container": it is not an http(s) URL',
    file: "web.container.d/10-h.conf",
    line: 2,
    remedy:
      "Write the URL leger should fetch, such as HealthURL=http://127.0.0.1:8080/health, in web.container.d/10-h.conf at line 2",
  }]);
});

Deno.test("checkHealthUrl() warns of a host leger may not reach, and accepts loopback and an empty value", () => {
  const findings = checkHealthUrl(unitOf({
    "web.container":
      "[Container]\nImage=nginx\n[X-Leger]\nHealthURL=https://localhost:8443/ready\nHealthURL=\nHealthURL=http://web.internal/health\n",
  }));
  deepStrictEqual(
    findings.map((f) => [f.line, f.severity, f.message]),
    [[
      6,
      "warning",
      'Cannot check HealthURL=http://web.internal/health of "web.container": leger may connect only to api.leger.run, static.leger.run, app.leger.run, 127.0.0.1, localhost, [::1], not to "web.internal"',
    ]],
  );
});
