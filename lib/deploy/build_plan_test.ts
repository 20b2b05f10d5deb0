import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { buildPlan } from "./build_plan.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import type { LoadedDeployment } from "../source/types.ts";
import type { Finding } from "../errors/finding.ts";

function deployment(secretsRequired: string[] = []): LoadedDeployment {
  return {
    name: "shop",
    source: { type: "local", location: "/srv/shop" },
    files: [],
    manifest: { ...discoverManifest([]), secretsRequired },
  };
}

const WEB = toQuadletUnit(
  parseUnit(
    "[Container]\nImage=busybox\nSecret=db_password,type=env,target=DB\nSecret=api_token\nSecret=tls_%i\n",
    { file: "web.container" },
  ),
);
const BUILD = toQuadletUnit(
  parseUnit(
    "[Build]\nImageTag=localhost/app\nSecret=id=npmrc,src=/home/u/.npmrc\n",
    { file: "app.build" },
  ),
);

Deno.test("buildPlan() lists the Podman secrets the host lacks as secrets_missing", async (t) => {
  await t.step(
    "those Podman does not have, sorted, manifest's included",
    () => {
      const plan = buildPlan(deployment(["smtp_password"]), {
        scope: "user",
        units: [WEB, BUILD],
        findings: [],
        secrets: ["api_token", "unrelated"],
      });
      deepStrictEqual(plan.secrets_missing, ["db_password", "smtp_password"]);
      // secrets_required keeps listing every name, as before.
      deepStrictEqual(plan.secrets_required, [
        "api_token",
        "db_password",
        "npmrc",
        "smtp_password",
        "tls_%i",
      ]);
    },
  );
  await t.step("none when every secret exists", () => {
    const plan = buildPlan(deployment(), {
      scope: "user",
      units: [WEB],
      findings: [],
      secrets: ["api_token", "db_password"],
    });
    deepStrictEqual(plan.secrets_missing, []);
  });
  await t.step("none when the host's secrets are unknown (no Podman)", () => {
    const plan = buildPlan(deployment(), {
      scope: "user",
      units: [WEB],
      findings: [],
    });
    deepStrictEqual(plan.secrets_missing, []);
  });
});

Deno.test("buildPlan() puts a conflict --force cannot pass among the errors", () => {
  const finding = (code: Finding["code"], extra: Partial<Finding> = {}) => ({
    code,
    message: code,
    file: "x",
    ...extra,
  });
  const plan = buildPlan(deployment(), {
    scope: "user",
    units: [],
    findings: [
      finding("ERR_NAME_CONFLICT", { file: "a", forcible: false }),
      finding("ERR_NAME_CONFLICT", { file: "b" }),
      finding("ERR_DROPIN_SCOPE", { file: "c" }),
      finding("ERR_DROPIN_SCOPE", { file: "d", severity: "warning" }),
      finding("ERR_PORT_CONFLICT", { file: "e" }),
    ],
  });
  deepStrictEqual(plan.errors.map((p) => [p.code, p.file]), [
    ["ERR_NAME_CONFLICT", "a"],
  ]);
  deepStrictEqual(plan.conflicts.map((p) => [p.code, p.file]), [
    ["ERR_NAME_CONFLICT", "b"],
    ["ERR_DROPIN_SCOPE", "c"],
    ["ERR_PORT_CONFLICT", "e"],
  ]);
  deepStrictEqual(plan.warnings.map((p) => p.file), ["d"]);
  strictEqual(plan.valid, false);
  // The plan document carries no internal marker.
  strictEqual("forcible" in plan.errors[0], false);
});
