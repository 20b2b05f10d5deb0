import { resolveInDeployment } from "../quadlet/resolve_in_deployment.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import type { FileRef, QuadletUnit, UnitRef } from "../quadlet/types.ts";
import { closestName } from "./closest_name.ts";
import type { Finding } from "../errors/finding.ts";

/** Options for {@linkcode checkReferences}. */
export interface CheckReferencesOptions {
  /** Every file of the deployment by its `/`-separated path (units included). */
  deploymentFiles: readonly string[];
  /**
   * The file names of the quadlet units installed on the host outside this
   * deployment, which Podman's generator also sees.
   *
   * @default {new Set()}
   */
  installedUnits?: ReadonlySet<string>;
}

/**
 * Finds what the units of a deployment refer to that will not be there:
 *
 * - another quadlet unit (`Volume=data.volume:/x`, `Network=llm.network`,
 *   `Pod=`, `Image=app.build`, `Requires=db.container`, …) that is neither
 *   in the deployment nor installed on the host; Podman's generator rejects
 *   the unit (`requested Quadlet source data.volume was not found`, `unable
 *   to translate dependency for db.container`). When the deployment holds the
 *   unit under a name with its kind repeated (`data.volume.volume`, as the
 *   leger.run service renders volumes), the remedy is to rename it;
 * - a file named by a relative path (`EnvironmentFile=app.env`,
 *   `Volume=./conf:/etc/app`, `Yaml=pod.yaml`) that the deployment does not
 *   ship, or that lies outside the deployment's folder. A path matches a file
 *   or, for a folder, any file below it.
 *
 * Each is `ERR_UNIT_MISSING_REFERENCE` at the line that names it; a unit named
 * twice on one line is reported once.
 *
 * @param quadlets The typed units of the deployment.
 * @param options The deployment's files and the units installed on the host.
 * @returns The findings, unit by unit in source order.
 *
 * @example Usage
 * ```ts
 * import { checkReferences } from "./check_references.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const web = {
 *   file: "web.container", kind: "container", files: [],
 *   units: [{ key: "Volume", unit: "data.volume", line: 4, file: "web.container" }],
 * } as unknown as QuadletUnit;
 * const findings = checkReferences([web], {
 *   deploymentFiles: ["web.container", "data.volume.volume"],
 * });
 * strictEqual(findings[0].remedy, "Rename `data.volume.volume` to `data.volume`: Podman names a unit by its whole file name");
 * ```
 */
export function checkReferences(
  quadlets: readonly QuadletUnit[],
  options: CheckReferencesOptions,
): Finding[] {
  const { deploymentFiles, installedUnits = new Set<string>() } = options;
  const files = new Set(deploymentFiles);
  let folders: Set<string> | undefined;
  const unitNames = deploymentFiles.map(baseName).filter((name) =>
    quadletKindOf(name) !== null
  );
  const available = new Set([...unitNames, ...installedUnits]);
  const remedyOf = missingUnitRemedies(unitNames);
  const findings: Finding[] = [];
  for (const quadlet of quadlets) {
    const seen = new Set<string>();
    for (const ref of quadlet.units) {
      const key = `${ref.file}:${ref.line}:${ref.unit}`;
      if (available.has(ref.unit) || seen.has(key)) continue;
      seen.add(key);
      findings.push(missingUnit(quadlet, ref, remedyOf(ref.unit)));
    }
    for (const ref of quadlet.files) {
      if (!ref.relative) continue;
      const path = resolveInDeployment(quadlet.file, ref.path);
      if (path === null) {
        findings.push(outside(quadlet, ref));
      } else if (
        path !== "" && !files.has(path) &&
        !(folders ??= folderSet(deploymentFiles)).has(path)
      ) {
        findings.push(missingFile(quadlet, ref, path));
      }
    }
  }
  return findings;
}

/**
 * Past this many missing units (a folder of wrong references rather than a
 * typo), no close name is searched: each search compares with every unit.
 */
const MAX_NAMES_SUGGESTED = 100;

/**
 * The remedy for each missing unit, computed once per name: the unit of the
 * deployment that repeats its kind (`data.volume.volume`), else a close name,
 * else what to add.
 */
function missingUnitRemedies(
  unitNames: readonly string[],
): (unit: string) => string {
  const remedies = new Map<string, string>();
  let doubledOf: Map<string, string> | undefined;
  return (unit) => {
    const known = remedies.get(unit);
    if (known !== undefined) return known;
    doubledOf ??= doubledNames(unitNames);
    const doubled = doubledOf.get(unit);
    const near = doubled === undefined && remedies.size < MAX_NAMES_SUGGESTED
      ? closestName(unit, unitNames)
      : undefined;
    let remedy: string;
    if (doubled !== undefined) {
      remedy =
        `Rename \`${doubled}\` to \`${unit}\`: Podman names a unit by its whole file name`;
    } else if (near !== undefined) {
      remedy = `Did you mean \`${near}\`?`;
    } else {
      remedy =
        `Add ${unit} to the deployment, or install the deployment that provides it first`;
    }
    remedies.set(unit, remedy);
    return remedy;
  };
}

/**
 * For each name `x.kind` that a unit name extends with a dot and the same
 * kind (`x.kind.kind`, `x.kind.y.kind`), the first such unit name.
 */
function doubledNames(unitNames: readonly string[]): Map<string, string> {
  const doubled = new Map<string, string>();
  for (const name of unitNames) {
    const kind = quadletKindOf(name);
    for (
      let dot = name.indexOf(".");
      dot !== -1;
      dot = name.indexOf(".", dot + 1)
    ) {
      const prefix = name.slice(0, dot);
      if (!doubled.has(prefix) && quadletKindOf(prefix) === kind) {
        doubled.set(prefix, name);
      }
    }
  }
  return doubled;
}

/** Every folder that holds a file of the deployment, at any depth. */
function folderSet(paths: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (
      let slash = path.lastIndexOf("/");
      slash > 0;
      slash = path.lastIndexOf("/", slash - 1)
    ) {
      const folder = path.slice(0, slash);
      // Its own parents were added with it, by this or an earlier file.
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}

function missingUnit(
  quadlet: QuadletUnit,
  ref: UnitRef,
  remedy: string,
): Finding {
  return {
    code: "ERR_UNIT_MISSING_REFERENCE",
    message:
      `Cannot find "${ref.unit}", which ${ref.key}= of "${quadlet.file}" names at line ${ref.line}: it is neither in the deployment nor installed`,
    file: ref.file,
    line: ref.line,
    remedy,
  };
}

function missingFile(
  quadlet: QuadletUnit,
  ref: FileRef,
  path: string,
): Finding {
  return {
    code: "ERR_UNIT_MISSING_REFERENCE",
    message:
      `Cannot find "${ref.path}", which ${ref.key}= of "${quadlet.file}" names at line ${ref.line}: the deployment has no "${path}"`,
    file: ref.file,
    line: ref.line,
    remedy:
      `Add ${path} to the deployment, or correct the path (it is relative to the unit's folder)`,
  };
}

function outside(quadlet: QuadletUnit, ref: FileRef): Finding {
  return {
    code: "ERR_UNIT_MISSING_REFERENCE",
    message:
      `Cannot use "${ref.path}", which ${ref.key}= of "${quadlet.file}" names at line ${ref.line}: it lies outside the deployment's folder`,
    file: ref.file,
    line: ref.line,
    remedy:
      "Ship the file inside the deployment and refer to it by a path below the unit's folder, or use an absolute path",
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
