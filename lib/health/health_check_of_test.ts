import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { loadUnits } from "../quadlet/load_units.ts";
import { healthCheckOf } from "./health_check_of.ts";

function load(files: Record<string, string>) {
  const encode = (text: string) => new TextEncoder().encode(text);
  const { units, findings } = loadUnits(
    Object.entries(files).map(([path, text]) => ({
      path,
      bytes: encode(text),
    })),
  );
  deepStrictEqual(findings, []);
  return units[0];
}

const WEB = "[Container]\nImage=localhost/bb:latest\n";

Deno.test("healthCheckOf() reads HealthURL= of [X-Leger], the last drop-in winning", () => {
  const unit = load({
    "web.container": `${WEB}\n[X-Leger]\nHealthURL=http://127.0.0.1:8080/\n`,
    "web.container.d/10-health.conf":
      "[X-Leger]\nHealthURL=http://127.0.0.1:8080/health\n",
  });
  deepStrictEqual(healthCheckOf(unit), {
    type: "http",
    url: "http://127.0.0.1:8080/health",
    file: "web.container.d/10-health.conf",
    line: 2,
  });
});

Deno.test("healthCheckOf() lets an empty HealthURL= in a drop-in turn the unit's check off", () => {
  const unit = load({
    "web.container": `${WEB}\n[X-Leger]\nHealthURL=http://127.0.0.1:8080/\n`,
    "web.container.d/10-off.conf": "[X-Leger]\nHealthURL=\n",
  });
  strictEqual(healthCheckOf(unit), null);
});

Deno.test("healthCheckOf() prefers the unit's own URL to .leger.yaml, and .leger.yaml to HealthCmd=", () => {
  const manifestHealth = { web: "http://127.0.0.1:9000/ready" };
  const own = load({
    "web.container":
      `${WEB}HealthCmd=true\n\n[X-Leger]\nHealthURL=http://127.0.0.1:8080/\n`,
  });
  strictEqual(
    healthCheckOf(own, { manifestHealth })?.type === "http" &&
      (healthCheckOf(own, { manifestHealth }) as { url: string }).url,
    "http://127.0.0.1:8080/",
  );
  const yaml = load({ "web.container": `${WEB}HealthCmd=true\n` });
  deepStrictEqual(healthCheckOf(yaml, { manifestHealth }), {
    type: "http",
    url: "http://127.0.0.1:9000/ready",
    file: ".leger.yaml",
    line: null,
  });
  deepStrictEqual(healthCheckOf(yaml), {
    type: "podman",
    command: "true",
    file: "web.container",
    line: null,
  });
});

Deno.test("healthCheckOf() finds no check without a URL or a HealthCmd=, or with HealthCmd=none", () => {
  strictEqual(healthCheckOf(load({ "web.container": WEB })), null);
  strictEqual(
    healthCheckOf(load({ "web.container": `${WEB}HealthCmd=none\n` })),
    null,
  );
  // .leger.yaml names another unit.
  strictEqual(
    healthCheckOf(load({ "web.container": WEB }), {
      manifestHealth: { db: "http://127.0.0.1:5432/" },
    }),
    null,
  );
});
