import { findConflicts } from "../conflicts/find_conflicts.ts";
import type { HostSnapshot } from "../conflicts/types.ts";
import { type LoadedUnit, loadUnits } from "../quadlet/load_units.ts";
import type { LoadedDeployment } from "../source/types.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../state/deployments_file.ts";
import { readKeptVolumes } from "../state/kept_volumes.ts";
import { checkByteOrderMarks } from "../validate/check_byte_order_marks.ts";
import { resolveVariables } from "../validate/resolve_variables.ts";
import { buildPlan } from "./build_plan.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import type { DeploymentPlan } from "./plan_types.ts";
import { readHost } from "./read_host.ts";
import { validateUnits } from "./validate_units.ts";

/** Options for {@linkcode planDeployment}. */
export interface PlanDeploymentOptions {
  /**
   * `deployments.yaml`, when the caller has read it already (under the lock).
   *
   * @default {undefined}
   */
  installed?: readonly InstalledDeployment[];
}

/** A plan, with what planning loaded and saw, so that an install reuses it. */
export interface PlannedDeployment {
  /** The plan document (`--dry-run --json`). */
  plan: DeploymentPlan;
  /** The host as it was seen. */
  host: HostSnapshot;
  /** The deployment's units, parsed and typed, ports and names resolved. */
  units: LoadedUnit[];
}

/**
 * Stages 2 to 5 of a deploy: loads and types the units (drop-ins merged,
 * the `${NAME}` of ports and names resolved as systemd will resolve them),
 * validates them (leger's checks, then Podman's generator), checks them
 * against the host (ports in use, or below a rootless host's unprivileged
 * port start; names, volumes, networks, installed units, files already in
 * the quadlet folder or symbolic links there on their way; drop-ins that
 * reach other deployments), and
 * builds the plan with the secrets Podman lacks. Every check an install
 * makes against the host is here, so that `validate`, `deploy install
 * --dry-run` and `deploy install` agree. Changes nothing on the host.
 *
 * Requires `--allow-read`, `--allow-write` (a temporary copy for Podman's
 * generator) and `--allow-run=podman,cat` plus the generator's path.
 *
 * @param deployment The deployment read from its source.
 * @param context The scope, its folders, the runner and host facts.
 * @param options `deployments.yaml` when already read.
 * @returns The plan, the host snapshot and the typed units.
 *
 * @example Usage
 * ```ts ignore
 * import { planDeployment } from "./plan_deployment.ts";
 * const { plan } = await planDeployment(deployment, context);
 * ```
 */
export async function planDeployment(
  deployment: LoadedDeployment,
  context: DeployContext,
  options: PlanDeploymentOptions = {},
): Promise<PlannedDeployment> {
  const { quadletDir, stateDir } = pathsOf(context);
  const paths = deployment.files.map((file) => file.path);
  // Podman resolves relative paths against the folder a unit is installed in.
  const loaded = loadUnits(deployment.files, { unitDir: quadletDir });
  // Ports and names as systemd will start them: `${NAME}` resolved from [Service].
  const resolved = loaded.units.map((unit) => ({
    unit,
    ...resolveVariables(unit.unit, unit.quadlet),
  }));
  const units = resolved.map(({ unit, quadlet }) => ({ ...unit, quadlet }));
  const installed = options.installed ?? await readDeployments(stateDir);
  const reading = readHost(context, installed, { paths });
  const findings = await validateUnits(deployment, units, context, {
    installedUnits: reading.then((host) =>
      new Set(host.installed.map((i) => i.quadlet.file))
    ),
    loadFindings: [
      ...loaded.findings,
      // Decoding drops a byte order mark that Podman's parser chokes on.
      ...checkByteOrderMarks(deployment.files),
      ...resolved.flatMap((r) => r.findings),
    ],
  });
  const host = await reading;
  const kept = await readKeptVolumes(stateDir);
  const conflicts = findConflicts(units.map((unit) => unit.quadlet), host, {
    deployment: deployment.name,
    // Volumes this deployment left behind when it was removed are still its own.
    ownedVolumes: kept[deployment.name] ?? [],
    files: paths,
  });
  const plan = buildPlan(deployment, {
    scope: context.scope,
    units: units.map((unit) => unit.quadlet),
    findings: [...findings, ...conflicts],
    secrets: host.secrets,
  });
  return { plan, host, units };
}
