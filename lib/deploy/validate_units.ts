import { checkWithQuadletGenerator } from "../adapters/quadlet_generator.ts";
import type { Finding } from "../errors/finding.ts";
import type { LoadedUnit } from "../quadlet/load_units.ts";
import type { LoadedDeployment } from "../source/types.ts";
import { validateDeployment } from "../validate/validate_deployment.ts";
import type { DeployContext } from "./context.ts";

/** How long Podman's generator may take over a deployment. */
const GENERATOR_TIMEOUT_MS = 10_000;

/** Options for {@linkcode validateUnits}. */
export interface ValidateUnitsOptions {
  /**
   * Unit files installed on the host, which the units may name
   * (`Requires=db.service`); a promise lets the generator run meanwhile.
   */
  installedUnits: ReadonlySet<string> | Promise<ReadonlySet<string>>;
  /** What loading the units found already (files that did not parse). */
  loadFindings: readonly Finding[];
  /**
   * How long Podman's generator may take; past it, its checks are skipped
   * with a warning.
   *
   * @default {10000}
   */
  generatorTimeoutMs?: number;
}

/**
 * Stage 3 of a deploy: checks the deployment's typed units against
 * themselves — syntax, unknown and required keys, references, duplicates —
 * and then with Podman's own quadlet generator when the host has one
 * (≥ 4.4), in dry-run mode over a copy, so that leger refuses what Podman
 * would refuse.
 *
 * Requires `--allow-run` for the generator, `--allow-write` for its
 * temporary copy.
 *
 * @param deployment The deployment read from its source.
 * @param units Its units as {@linkcode loadUnits} typed them.
 * @param context The scope (the generator's `-user` mode), runner, generator.
 * @param options Installed units and what loading found.
 * @returns Every finding: leger's own, then the generator's for files leger
 * found nothing wrong with.
 *
 * @example Usage
 * ```ts ignore
 * import { validateUnits } from "./validate_units.ts";
 * const findings = await validateUnits(deployment, units, context, { installedUnits, loadFindings });
 * ```
 */
export async function validateUnits(
  deployment: LoadedDeployment,
  units: readonly LoadedUnit[],
  context: DeployContext,
  options: ValidateUnitsOptions,
): Promise<Finding[]> {
  const [installedUnits, generator, manifestText] = await Promise.all([
    options.installedUnits,
    runGenerator(deployment, units, context, options.generatorTimeoutMs),
    legerYamlText(deployment),
  ]);
  const own = [
    ...options.loadFindings,
    ...validateDeployment(units, {
      deploymentFiles: deployment.files.map((file) => file.path),
      installedUnits,
      manifestHealth: deployment.manifest.health,
      manifestText,
    }),
  ];
  return [...own, ...onlyNewFiles(generator, own)];
}

/**
 * Podman's generator over the deployment, when Podman has one (≥ 4.4): over
 * the source folder itself when it is local, else over a temporary copy.
 */
async function runGenerator(
  deployment: LoadedDeployment,
  units: readonly LoadedUnit[],
  context: DeployContext,
  timeoutMs = GENERATOR_TIMEOUT_MS,
): Promise<Finding[]> {
  const generator = await context.findGenerator();
  if (generator === null) return [];
  const local = deployment.source.type === "local" &&
    (deployment.normalisations ?? []).length === 0;
  const dir = local
    ? deployment.source.location
    : await writeTempCopy(deployment);
  // The generator has no limit of its own: a pathological unit (a value
  // continued over hundreds of thousands of lines) can keep it busy for
  // half a minute. leger's own checks have run; say that Podman's did not.
  const limit = AbortSignal.timeout(timeoutMs);
  try {
    const findings = await checkWithQuadletGenerator(dir, {
      user: context.scope === "user",
      generator,
      runner: context.runner,
      units: units.map((unit) => unit.unit),
      signal: limit,
    });
    return findings ?? [];
  } catch (error) {
    if (!limit.aborted) throw error;
    return [{
      code: "ERR_QUADLET_GENERATOR",
      severity: "warning",
      file: "",
      message: `Podman's quadlet generator did not finish within ${
        timeoutMs / 1000
      } s, so its own checks were skipped`,
      remedy:
        "Look for an unusually large unit or value; `leger validate` reports what leger itself checks",
    }];
  } finally {
    if (!local) await Deno.remove(dir, { recursive: true });
  }
}

/** A local source's `.leger.yaml`, to name the line of a `health:` key. */
async function legerYamlText(
  deployment: LoadedDeployment,
): Promise<string | undefined> {
  if (
    deployment.source.type !== "local" ||
    Object.keys(deployment.manifest.health ?? {}).length === 0
  ) return undefined;
  try {
    return await Deno.readTextFile(`${deployment.source.location}/.leger.yaml`);
  } catch {
    return undefined;
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
