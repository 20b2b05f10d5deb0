import type { QuadletUnit } from "../quadlet/types.ts";
import type { LoadedDeployment } from "../source/types.ts";
import type { Finding } from "../errors/finding.ts";
import type { DeploymentPlan, PlanProblem, PlanService } from "./plan_types.ts";
import { unitStart } from "./unit_start.ts";

/** The codes that are conflicts with the host rather than errors of the deployment. */
const CONFLICT_CODES: ReadonlySet<string> = new Set([
  "ERR_PORT_CONFLICT",
  "ERR_VOLUME_CONFLICT",
  "ERR_NAME_CONFLICT",
  "ERR_DROPIN_SCOPE",
]);

/** Options for {@linkcode buildPlan}. */
export interface BuildPlanOptions {
  /** The scope to install into, copied to the plan: `user` or `system`. */
  scope: "user" | "system";
  /** The typed units of the deployment, in path order. */
  units: readonly QuadletUnit[];
  /** Every problem found: parse, validation, generator and conflict findings. */
  findings: readonly Finding[];
  /**
   * The Podman secrets that exist on the host (`podman secret ls`), for
   * `secrets_missing`; `undefined` when unknown (no Podman), and then none is
   * listed as missing.
   *
   * @default {undefined}
   */
  secrets?: readonly string[];
}

/**
 * Assembles the plan document from a loaded deployment, its typed units and
 * the problems found. Conflicts with the host are listed apart from errors,
 * except those `--force` does not pass (`forcible: false`: a file the
 * install would overwrite), which are errors; the plan is valid when it has
 * no errors. The Podman secrets the units name (and the manifest lists) that
 * `options.secrets` lacks are `secrets_missing`.
 *
 * @param deployment The deployment as read from its source.
 * @param options The scope, units and findings.
 * @returns The plan, ready to print or serialise.
 *
 * @example Usage
 * ```ts
 * import { buildPlan } from "./build_plan.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const plan = buildPlan({
 *   name: "empty", files: [], source: { type: "local", location: "/x" },
 *   manifest: { form: "discovered", services: [], volumes: [], files: [], secretsRequired: [], requires: [] },
 * }, { scope: "user", units: [], findings: [] });
 * strictEqual(plan.valid, true);
 * ```
 */
export function buildPlan(
  deployment: LoadedDeployment,
  options: BuildPlanOptions,
): DeploymentPlan {
  const { scope, units, findings, secrets } = options;
  const sorted = [...findings].sort(byPlace);
  const blocking = sorted.filter((f) => f.severity !== "warning");
  const isConflict = (f: Finding) =>
    CONFLICT_CODES.has(f.code) && f.forcible !== false;
  const errors = blocking.filter((f) => !isConflict(f)).map(toProblem);
  return {
    deployment: deployment.name,
    source: deployment.source,
    scope,
    files: deployment.files.map((file) => ({
      name: file.path,
      sha256: file.sha256,
    })),
    services: units.map((unit) => toService(unit, units)),
    secrets_required: sortedUnique([
      ...units.flatMap((unit) => unit.secrets.map((secret) => secret.name)),
      ...deployment.manifest.secretsRequired,
    ]),
    secrets_missing: secrets === undefined
      ? []
      : missingSecrets(units, deployment.manifest.secretsRequired, secrets),
    volumes: resourcesOf(units, "volume"),
    networks: resourcesOf(units, "network"),
    normalisations: deployment.normalisations ?? [],
    conflicts: blocking.filter(isConflict).map(toProblem),
    errors,
    warnings: sorted.filter((f) => f.severity === "warning").map(toProblem),
    valid: errors.length === 0,
  };
}

/**
 * The Podman secrets the units mount (`Secret=`; a `.build` unit's build
 * secrets are no Podman secrets) and the manifest requires that `existing`
 * lacks, sorted. Names systemd only knows at start (`%i`, `${NAME}`) are
 * left out.
 */
function missingSecrets(
  units: readonly QuadletUnit[],
  required: readonly string[],
  existing: readonly string[],
): string[] {
  const have = new Set(existing);
  return sortedUnique([
    ...units.flatMap((unit) =>
      unit.secrets.filter((s) => s.podmanSecret).map((s) => s.name)
    ),
    ...required,
  ]).filter((name) => !have.has(name) && !/[%$]/.test(name));
}

function toService(
  unit: QuadletUnit,
  units: readonly QuadletUnit[],
): PlanService {
  const start = unitStart(unit, units);
  return {
    unit: unit.file,
    kind: unit.kind,
    service: unit.serviceName,
    start: start.role,
    started_services: start.services,
    image: unit.image,
    ports: unit.ports.map((port) => ({
      host_ip: port.hostIp,
      host_port: port.hostPort,
      container_port: port.containerPort,
      protocol: port.protocol,
    })),
    secrets: unit.secrets.map((secret) => ({
      name: secret.name,
      type: secret.type,
      target: secret.target,
    })),
    volumes: unit.volumes.flatMap((volume) =>
      volume.resolvedSource === null ? [] : [volume.resolvedSource]
    ),
    networks: unit.networks.map((network) => network.resolvedName),
  };
}

function resourcesOf(units: readonly QuadletUnit[], kind: string): string[] {
  return sortedUnique(
    units.flatMap((unit) =>
      unit.kind === kind && unit.resourceName !== null
        ? [unit.resourceName]
        : []
    ),
  );
}

function toProblem(finding: Finding): PlanProblem {
  return {
    code: finding.code,
    message: finding.message,
    ...(finding.file === undefined ? {} : { file: finding.file }),
    ...(finding.line === undefined ? {} : { line: finding.line }),
    ...(finding.remedy === undefined ? {} : { remedy: finding.remedy }),
  };
}

function byPlace(a: Finding, b: Finding): number {
  return (a.file ?? "").localeCompare(b.file ?? "") ||
    (a.line ?? 0) - (b.line ?? 0);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
