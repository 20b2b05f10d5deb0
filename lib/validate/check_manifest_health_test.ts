import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { checkManifestHealth } from "./check_manifest_health.ts";

const UNITS = [
  {
    file: "k1.container",
    serviceName: "k1.service",
    kind: "container" as const,
  },
  {
    file: "k2.container",
    serviceName: "k2.service",
    kind: "container" as const,
  },
  {
    file: "data.volume",
    serviceName: "data-volume.service",
    kind: "volume" as const,
  },
];

Deno.test("checkManifestHealth() accepts a unit's base name, file name and service name", () => {
  deepStrictEqual(
    checkManifestHealth({
      k1: "http://127.0.0.1:8080/",
      "k2.container": "http://127.0.0.1:8081/",
    }, UNITS),
    [],
  );
  deepStrictEqual(
    checkManifestHealth({ "k2.service": "http://localhost:8081/" }, UNITS),
    [],
  );
});

Deno.test("checkManifestHealth() refuses a key that names no unit, with its line, the units and the closest", () => {
  const text =
    "name: hz\nhealth:\n  k1: http://127.0.0.1:8080/\n  nosuch: http://127.0.0.1:8081/\n  k3: http://127.0.0.1:8082/\n";
  const findings = checkManifestHealth(
    {
      k1: "http://127.0.0.1:8080/",
      nosuch: "http://127.0.0.1:8081/",
      k3: "http://127.0.0.1:8082/",
    },
    UNITS,
    { text },
  );
  deepStrictEqual(findings.map((f) => [f.code, f.file, f.line, f.message]), [[
    "ERR_MANIFEST_INVALID",
    ".leger.yaml",
    4,
    'Cannot check health: nosuch of .leger.yaml: no container, pod or kube unit of the deployment is named "nosuch" (units: k1, k2)',
  ], [
    "ERR_MANIFEST_INVALID",
    ".leger.yaml",
    5,
    'Cannot check health: k3 of .leger.yaml: no container, pod or kube unit of the deployment is named "k3"; did you mean "k1"? (units: k1, k2)',
  ]]);
  strictEqual(
    findings[1].remedy,
    'Name a unit by its base name (k1), file name or service, such as "k1", or remove the key, in .leger.yaml at line 5',
  );
  const flow = checkManifestHealth(
    { "data.volume": "http://127.0.0.1:1/" },
    UNITS,
    { text: "health: {data.volume: http://127.0.0.1:1/}\n" },
  );
  deepStrictEqual(flow.map((f) => [f.code, f.line]), [[
    "ERR_MANIFEST_INVALID",
    1,
  ]]);
});

Deno.test("checkManifestHealth() checks each URL as HealthURL=: loopback only, port in range, credentials", () => {
  const findings = checkManifestHealth(
    {
      k1: "http://example.com/",
      k2: "http://u:hunter2SECRET@127.0.0.1:99999/",
    },
    UNITS,
    {
      text:
        "health:\n  k1: http://example.com/\n  k2: http://u:hunter2SECRET@127.0.0.1:99999/\n",
    },
  );
  deepStrictEqual(findings.map((f) => [f.line, f.severity, f.message]), [[
    2,
    "warning",
    'Cannot check health: k1 of .leger.yaml: health checks reach only 127.0.0.1, localhost, [::1], not "example.com"',
  ], [
    3,
    undefined,
    "Cannot use health: k2 of .leger.yaml: its port 99999 is outside 1-65535",
  ], [
    3,
    "warning",
    "health: k2 of .leger.yaml holds credentials: leger shows them nowhere, but .leger.yaml keeps them in clear",
  ]]);
  strictEqual(JSON.stringify(findings).includes("hunter2SECRET"), false);
});
