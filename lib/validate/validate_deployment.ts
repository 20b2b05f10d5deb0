import type { QuadletUnit } from "../quadlet/types.ts";
import type { UnitFile } from "../unit/types.ts";
import { checkDependencyNames } from "./check_dependency_names.ts";
import { checkControlCharacters } from "./check_control_characters.ts";
import { checkDropInFolders } from "./check_drop_in_folders.ts";
import { checkDuplicates } from "./check_duplicates.ts";
import { checkEnvironment } from "./check_environment.ts";
import { checkHealthUrl } from "./check_health_url.ts";
import { checkManifestHealth } from "./check_manifest_health.ts";
import { checkReferences } from "./check_references.ts";
import { checkRequiredKeys } from "./check_required_keys.ts";
import { checkSecretNames } from "./check_secret_names.ts";
import { checkUnitNames } from "./check_unit_names.ts";
import { checkUnknownKeys } from "./check_unknown_keys.ts";
import { checkValues } from "./check_values.ts";
import type { Finding } from "../errors/finding.ts";

/** One unit of a deployment: its parsed file (drop-ins merged) and its typed view. */
export interface DeploymentUnit {
  /** The parsed unit file, its drop-ins merged (see `mergeDropIns`). */
  unit: UnitFile;
  /** Its typed view (see `toQuadletUnit`). */
  quadlet: QuadletUnit;
}

/** Options for {@linkcode validateDeployment}. */
export interface ValidateDeploymentOptions {
  /** Every file of the deployment by its `/`-separated path, units included. */
  deploymentFiles: readonly string[];
  /**
   * The file names of the quadlet units installed on the host outside this
   * deployment: references to them are satisfied.
   *
   * @default {new Set()}
   */
  installedUnits?: ReadonlySet<string>;
  /**
   * The manifest's `health:` (`.leger.yaml`), checked against the units
   * ({@linkcode checkManifestHealth}).
   *
   * @default {{}}
   */
  manifestHealth?: Readonly<Record<string, string>>;
  /**
   * The manifest's text, to name the line of a `health:` key.
   *
   * @default {undefined}
   */
  manifestText?: string;
}

/**
 * Checks a deployment the way Podman's quadlet generator and systemd will
 * see it, before anything is installed, and reports every problem at once:
 *
 * - unknown keys in Podman's own sections, sections no one reads
 *   ({@linkcode checkUnknownKeys});
 * - required keys ({@linkcode checkRequiredKeys}) and values Podman rejects
 *   ({@linkcode checkValues});
 * - references to units and files that will not be there
 *   ({@linkcode checkReferences}), and dependencies on `x.network.service`
 *   style names that Podman never generates ({@linkcode checkDependencyNames});
 * - two units with the same service or resource name
 *   ({@linkcode checkDuplicates});
 * - unit files and drop-in folders whose names systemd would refuse as unit
 *   names (`my web.container`, `wéb.container`; {@linkcode checkUnitNames}),
 *   for every file of the deployment, parsed or not, and files named like a
 *   drop-in folder (`web.container.d` as a file) and folders named like a
 *   unit (`db.container/`; {@linkcode checkDropInFolders});
 * - control characters in keys and values ({@linkcode checkControlCharacters})
 *   and `Environment=` lines that split into more assignments than meant
 *   ({@linkcode checkEnvironment}, warnings), reported once per line even
 *   when a drop-in is merged into several units;
 * - Podman secrets whose names leger.run cannot hold, so that legerd can
 *   never bring them ({@linkcode checkSecretNames}, warnings);
 * - `[X-Leger] HealthURL=` that is no http(s) URL, or (a warning) one leger
 *   may not fetch ({@linkcode checkHealthUrl}), unknown `[X-Leger]` keys;
 * - `.leger.yaml` `health:` keys that name no unit, and their URLs as
 *   `HealthURL=`'s ({@linkcode checkManifestHealth}).
 *
 * Values that `toQuadletUnit` cannot convert (a malformed `PublishPort=`…)
 * are its errors, reported before this runs. Pure: the caller reads the files
 * and the host.
 *
 * @param units The deployment's units.
 * @param options The deployment's files and the units installed on the host.
 * @returns The findings sorted by file and line; those with `severity:
 * "warning"` do not stop an install.
 *
 * @example Usage
 * ```ts
 * import { validateDeployment } from "./validate_deployment.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=docker.io/nginx\nPublishPorts=80:80\nVolume=data.volume:/data\n",
 *   { file: "web.container" },
 * );
 * const findings = validateDeployment([{ unit, quadlet: toQuadletUnit(unit) }], {
 *   deploymentFiles: ["web.container"],
 * });
 * deepStrictEqual(findings.map((f) => [f.code, f.line]), [
 *   ["ERR_UNIT_UNKNOWN_KEY", 3],
 *   ["ERR_UNIT_MISSING_REFERENCE", 4],
 * ]);
 * ```
 */
export function validateDeployment(
  units: readonly DeploymentUnit[],
  options: ValidateDeploymentOptions,
): Finding[] {
  const {
    deploymentFiles,
    installedUnits = new Set<string>(),
    manifestHealth = {},
    manifestText,
  } = options;
  const quadlets = units.map(({ quadlet }) => quadlet);
  const findings = [
    ...units.flatMap(({ unit, quadlet }) => [
      ...checkUnknownKeys(unit, quadlet.kind),
      ...checkRequiredKeys(unit, quadlet.kind),
      ...checkValues(unit, quadlet.kind),
    ]),
    ...oncePerLine(
      units.flatMap(({ unit, quadlet }) => [
        ...checkControlCharacters(unit),
        ...checkEnvironment(unit, quadlet.kind),
        ...checkHealthUrl(unit, quadlet.kind),
      ]),
    ),
    // A drop-in's Secret= merged into several units is one line to fix.
    ...oncePerLine(checkSecretNames(quadlets)),
    ...checkReferences(quadlets, { deploymentFiles, installedUnits }),
    ...checkDependencyNames(units),
    ...checkDuplicates(quadlets),
    ...checkUnitNames(deploymentFiles),
    ...checkDropInFolders(deploymentFiles),
    ...checkManifestHealth(manifestHealth, quadlets, { text: manifestText }),
  ];
  // A stable sort: findings of one line keep the order of the checks above.
  return findings.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)
  );
}

/** A drop-in merged into several units yields the same finding for each: keep one. */
function oncePerLine(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.code}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
