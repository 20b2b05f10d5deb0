/**
 * The pure stages of `leger validate`, from the bytes of a deployment's
 * files to its plan, without a host: what the worst-case benchmark and the
 * test that guards against quadratic time run. The stages are those of
 * `readLocalSource` after reading (manifests, checksums, discovery) and of
 * `planDeployment` (units, `${NAME}` resolved, validation, conflicts with a
 * host snapshot, the plan); Podman's generator and the reading of the host
 * are left out.
 *
 * @module
 */
import { parseUnit } from "../unit/parse_unit.ts";
import type { HostSnapshot } from "../conflicts/types.ts";
import { findConflicts } from "../conflicts/find_conflicts.ts";
import { buildPlan } from "../deploy/build_plan.ts";
import type { DeploymentPlan } from "../deploy/plan_types.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { parseLegerYaml } from "../manifest/parse_leger_yaml.ts";
import { parseManifestJson } from "../manifest/parse_manifest_json.ts";
import type { DeploymentFile } from "../manifest/types.ts";
import { verifyChecksums } from "../manifest/verify_checksums.ts";
import { loadUnits } from "../quadlet/load_units.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import { LegerError } from "../errors/mod.ts";
import type { LoadedDeployment } from "../source/types.ts";
import { checkByteOrderMarks } from "../validate/check_byte_order_marks.ts";
import { resolveVariables } from "../validate/resolve_variables.ts";
import { validateDeployment } from "../validate/validate_deployment.ts";

/** Options for {@linkcode planFiles}. */
export interface PlanFilesOptions {
  /**
   * The host to check against.
   *
   * @default {an empty host}
   */
  host?: HostSnapshot;
  /**
   * The deployment's name.
   *
   * @default {"worst"}
   */
  name?: string;
}

const EMPTY_HOST: HostSnapshot = { installed: [], listening: [], volumes: [] };
const UNIT_DIR = "/home/user/.config/containers/systemd";

/**
 * Plans a deployment from its files' bytes, as `leger validate` would
 * without Podman's generator and with `host` for the host.
 *
 * @param files The files, each with its SHA-256 (as a source reads them).
 * @param options The host and the deployment's name.
 * @returns The plan; for manifests that cannot be read, an invalid plan
 * with their error, as `leger validate` prints it.
 *
 * @example Usage
 * ```ts
 * import { planFiles } from "./plan_files.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("[Container]\nImage=quay.io/a:1\n");
 * const plan = planFiles([{ path: "web.container", bytes, sha256: "" }]);
 * strictEqual(plan.valid, true);
 * strictEqual(plan.services[0].service, "web.service");
 * ```
 */
export function planFiles(
  files: readonly DeploymentFile[],
  options: PlanFilesOptions = {},
): DeploymentPlan {
  const { host = EMPTY_HOST, name = "worst" } = options;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const json = files.find((file) => file.path === "manifest.json");
  const yaml = files.find((file) => file.path === ".leger.yaml");
  const others = files.filter((file) => file !== json && file !== yaml);
  const paths = others.map((file) => file.path);
  const discovered = discoverManifest(paths);
  const deployment: LoadedDeployment = {
    name,
    source: { type: "local", location: "/worst" },
    files: others,
    manifest: discovered,
  };
  try {
    const fromJson = json &&
      parseManifestJson(decoder.decode(json.bytes), { file: json.path });
    const fromYaml = yaml &&
      parseLegerYaml(decoder.decode(yaml.bytes), { file: yaml.path });
    if (fromJson !== undefined) {
      verifyChecksums(others, fromJson, { location: "/worst" });
    }
    deployment.manifest = {
      ...(fromJson ?? fromYaml ?? discovered),
      units: discovered.units,
    };
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    // As `leger validate` plans a source it cannot read: invalid, with the error.
    return buildPlan({ ...deployment, files: [] }, {
      scope: "user",
      units: [],
      findings: [{ ...error.toJSON(), file: error.file ?? "" }],
    });
  }
  const loaded = loadUnits(others, { unitDir: UNIT_DIR });
  const resolved = loaded.units.map((unit) => ({
    unit,
    ...resolveVariables(unit.unit, unit.quadlet),
  }));
  const units = resolved.map(({ unit, quadlet }) => ({ ...unit, quadlet }));
  const quadlets = units.map((unit) => unit.quadlet);
  const findings = [
    ...loaded.findings,
    ...checkByteOrderMarks(others),
    ...resolved.flatMap((r) => r.findings),
    ...validateDeployment(units, {
      deploymentFiles: paths,
      installedUnits: new Set(host.installed.map((i) => i.quadlet.file)),
    }),
    ...findConflicts(quadlets, host, { deployment: name, files: paths }),
  ];
  return buildPlan(deployment, {
    scope: "user",
    units: quadlets,
    findings,
    secrets: host.secrets,
  });
}

/**
 * A busy host: 300 installed units of another deployment, each publishing a
 * port and mounting a folder of 3,000 files in the quadlet folder, 200
 * listening sockets, 300 volumes, containers and secrets.
 *
 * @returns The snapshot.
 *
 * @example Usage
 * ```ts
 * import { busyHost } from "./plan_files.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(busyHost().installed.length, 300);
 * ```
 */
export function busyHost(): HostSnapshot {
  const installed = Array.from({ length: 300 }, (_, n) => {
    const file = `other${n}.container`;
    const unit = parseUnit(
      `[Container]\nImage=quay.io/other:1\nPublishPort=127.0.1.1:${
        20000 + n
      }:80\nVolume=other${n}.volume:/data\nVolume=./other-site:/srv:ro\n`,
      { file },
    );
    return {
      deployment: "other",
      quadlet: toQuadletUnit(unit, { unitDir: UNIT_DIR }),
    };
  });
  return {
    installed,
    listening: Array.from({ length: 200 }, (_, n) => ({
      protocol: "tcp" as const,
      address: n % 2 ? "0.0.0.0" : "::",
      port: 30000 + n,
    })),
    volumes: Array.from({ length: 300 }, (_, n) => `systemd-other${n}`),
    containers: Array.from({ length: 300 }, (_, n) => `systemd-other${n}`),
    networks: ["podman"],
    secrets: Array.from({ length: 300 }, (_, n) => `secret-${n}`),
    quadletDir: "/home/user/.config/containers/systemd",
    files: [
      ...installed.map(({ quadlet }) => ({
        path: quadlet.file,
        deployment: "other",
      })),
      ...Array.from({ length: 3000 }, (_, n) => ({
        path: `other-site/${n}.html`,
        deployment: "other",
      })),
    ],
  };
}
