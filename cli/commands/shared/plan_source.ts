/**
 * The imperative shell of planning: fetch the source, look at the host
 * (installed units, listening sockets, Podman's volumes, containers and
 * networks, Podman's own generator) and hand everything to the pure planner.
 *
 * @module
 */
import {
  checkWithQuadletGenerator,
  findQuadletGenerator,
} from "../../../lib/adapters/quadlet_generator.ts";
import { readInstalledUnits } from "../../../lib/adapters/installed_units.ts";
import {
  listContainers,
  listNetworks,
  listVolumes,
} from "../../../lib/adapters/podman.ts";
import { readProcNet } from "../../../lib/adapters/proc_net.ts";
import { findConflicts } from "../../../lib/conflicts/find_conflicts.ts";
import type { HostSnapshot } from "../../../lib/conflicts/types.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import { discoverManifest } from "../../../lib/manifest/discover_manifest.ts";
import { buildPlan } from "../../../lib/plan/build_plan.ts";
import { type LoadedUnit, loadUnits } from "../../../lib/quadlet/load_units.ts";
import type { DeploymentPlan } from "../../../lib/plan/types.ts";
import type {
  LoadedDeployment,
  SourceInfo,
} from "../../../lib/source/types.ts";
import { redactUrl } from "../../../lib/git/redact_url.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../../../lib/state/deployments_file.ts";
import { classifySource } from "../../../lib/source/classify_source.ts";
import { resolveLegerRunUrls } from "../../../lib/api/resolve_leger_run_urls.ts";
import { readKeptVolumes } from "../../../lib/state/kept_volumes.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { Finding } from "../../../lib/errors/finding.ts";
import { validateDeployment } from "../../../lib/validate/validate_deployment.ts";
import type { CliContext } from "../../context.ts";
import { fetchDeployment } from "./fetch_deployment.ts";

/** Options for {@linkcode planSource}. */
export interface PlanSourceOptions {
  scope: Scope;
  /** `--version` of the user's leger.run space. */
  version?: string;
  /** A release of the user's leger.run space, by name. */
  release?: string;
  /** The deployment's name, in place of the one its source gives. */
  name?: string;
  /**
   * With `--json`, a folder that cannot be read still yields a plan document
   * (invalid, with the error) so that scripts always get one document.
   */
  json: boolean;
  context: CliContext;
}

/**
 * Fetches a deployment from its source, checks it against itself and against
 * this host, and returns the deployment and its plan. Changes nothing on the
 * host.
 *
 * Requires `--allow-read`, `--allow-write` (a temporary copy for Podman's
 * generator), `--allow-net` for leger.run and `--allow-run=git,podman,cat`
 * plus the generator's path.
 */
export async function planSource(
  source: string | undefined,
  options: PlanSourceOptions,
): Promise<{ deployment: LoadedDeployment | null; plan: DeploymentPlan }> {
  const { scope, json, context } = options;
  let deployment: LoadedDeployment;
  try {
    deployment = await fetchDeployment(source, options);
    if (options.name !== undefined) deployment.name = options.name;
  } catch (error) {
    if (!(json && error instanceof LegerError)) throw error;
    return {
      deployment: null,
      plan: unreadablePlan(source ?? "leger.run", { scope, error, context }),
    };
  }
  return {
    deployment,
    plan: await planDeployment(deployment, { scope, context }),
  };
}

/**
 * Checks a fetched deployment against itself and against this host.
 *
 * Requires what {@linkcode planSource} requires, but the network.
 */
export async function planDeployment(
  deployment: LoadedDeployment,
  options: { scope: Scope; context: CliContext },
): Promise<DeploymentPlan> {
  return (await planAgainstHost(deployment, options)).plan;
}

/**
 * {@linkcode planDeployment}, also returning what it saw of the host, so that
 * an install does not ask Podman the same questions again.
 */
export async function planAgainstHost(
  deployment: LoadedDeployment,
  options: {
    scope: Scope;
    context: CliContext;
    /** `deployments.yaml`, when the caller has read it already. */
    installed?: readonly InstalledDeployment[];
  },
): Promise<{ plan: DeploymentPlan; host: HostSnapshot; units: LoadedUnit[] }> {
  const { scope, context } = options;
  const { quadletDir } = legerPaths(scope, context);
  // Podman resolves relative paths against the folder a unit is installed in.
  const { units, findings } = loadUnits(deployment.files, {
    unitDir: quadletDir,
  });
  const [host, generatorFindings] = await Promise.all([
    readHost(scope, context, options.installed),
    runGenerator(deployment, scope, units),
  ]);
  const installedNames = new Set(host.installed.map((i) => i.quadlet.file));
  const validation = validateDeployment(units, {
    deploymentFiles: deployment.files.map((file) => file.path),
    installedUnits: installedNames,
  });
  const kept = await readKeptVolumes(legerPaths(scope, context).stateDir);
  const conflicts = findConflicts(units.map((unit) => unit.quadlet), host, {
    deployment: deployment.name,
    // Volumes this deployment left behind when it was removed are still its own.
    ownedVolumes: kept[deployment.name] ?? [],
  });
  const plan = buildPlan(deployment, {
    scope,
    units: units.map((unit) => unit.quadlet),
    findings: [
      ...findings,
      ...validation,
      ...onlyNewFiles(generatorFindings, [...findings, ...validation]),
      ...conflicts,
    ],
  });
  return { plan, host, units };
}

/**
 * What kind of source a `--source` that could not be read names, as far as
 * classifySource can tell without the file system (a path it cannot place
 * is taken as local).
 */
function sourceTypeOf(source: string, context: CliContext): SourceInfo["type"] {
  if (source === "leger.run") return "leger.run";
  try {
    const spec = classifySource(source, {
      staticUrl: resolveLegerRunUrls(context.env).static,
      isLocalPath: () => false,
    });
    return spec.type === "leger.run-space" ? "leger.run" : spec.type;
  } catch (error) {
    if (error instanceof LegerError) return "local";
    throw error;
  }
}

/** What is installed and in use on this host, in the scope's quadlet folder. */
async function readHost(
  scope: Scope,
  context: CliContext,
  deployments?: readonly InstalledDeployment[],
): Promise<HostSnapshot> {
  const { quadletDir, stateDir } = legerPaths(scope, context);
  // Which deployment each installed unit belongs to, by leger's own record.
  const owners = new Map(
    (deployments ?? await readDeployments(stateDir)).flatMap((d) =>
      d.units.map((unit) => [unit, d.name])
    ),
  );
  const [installed, listening, volumes, containers, networks] = await Promise
    .all([
      readInstalledUnits([quadletDir]),
      readProcNet(),
      orEmptyWithoutPodman(listVolumes()),
      orEmptyWithoutPodman(listContainers()),
      orEmptyWithoutPodman(listNetworks()),
    ]);
  return {
    installed: installed.units.map((unit) => ({
      quadlet: unit.quadlet,
      deployment: owners.get(unit.quadlet.file),
    })),
    listening,
    volumes,
    containers,
    networks,
  };
}

/** Without Podman there are no volumes, containers or networks to collide with. */
async function orEmptyWithoutPodman(
  list: Promise<string[]>,
): Promise<string[]> {
  try {
    return await list;
  } catch (error) {
    if (error instanceof LegerError && error.code === "ERR_COMMAND_NOT_FOUND") {
      return [];
    }
    throw error;
  }
}

/**
 * Podman's generator over the deployment, when Podman has one (≥ 4.4): over
 * the source folder itself when it is local, else over a temporary copy.
 */
async function runGenerator(
  deployment: LoadedDeployment,
  scope: Scope,
  units: readonly LoadedUnit[],
): Promise<Finding[]> {
  if (await findQuadletGenerator() === null) return [];
  const local = deployment.source.type === "local" &&
    (deployment.normalisations ?? []).length === 0;
  const dir = local
    ? deployment.source.location
    : await writeTempCopy(deployment);
  try {
    const findings = await checkWithQuadletGenerator(dir, {
      user: scope === "user",
      units: units.map((unit) => unit.unit),
    });
    return findings ?? [];
  } finally {
    if (!local) await Deno.remove(dir, { recursive: true });
  }
}

async function writeTempCopy(deployment: LoadedDeployment): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "leger_generator_" });
  for (const file of deployment.files) {
    const path = `${dir}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, file.bytes);
  }
  return dir;
}

/**
 * The generator stops at the first problem of a file, which leger's own checks
 * usually report more precisely: keep its findings only for files leger found
 * nothing wrong with.
 */
function onlyNewFiles(
  generator: readonly Finding[],
  own: readonly Finding[],
): Finding[] {
  const flagged = new Set(
    own.filter((f) => f.severity !== "warning").map((f) => f.file),
  );
  return generator.filter((finding) => !flagged.has(finding.file));
}

/**
 * The plan of a source that could not be read: invalid, with the error. The
 * source is named as the user gave it, minus any credentials in a URL.
 */
function unreadablePlan(
  source: string,
  options: { scope: Scope; error: LegerError; context: CliContext },
): DeploymentPlan {
  const { scope, error, context } = options;
  const location = redactUrl(source);
  const name = location.replace(/[/#]+$/, "").split(/[/:#]/).pop() || location;
  const deployment: LoadedDeployment = {
    name,
    source: { type: sourceTypeOf(source, context), location },
    files: [],
    manifest: discoverManifest([]),
  };
  return buildPlan(deployment, {
    scope,
    units: [],
    findings: [{ ...error.toJSON(), file: error.file ?? "" }],
  });
}
