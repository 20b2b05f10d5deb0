import { LegerError } from "../errors/mod.ts";
import { quadletKindOf } from "./kind.ts";
import { toQuadletUnit } from "./to_quadlet_unit.ts";
import type { QuadletUnit } from "./types.ts";
import { dropInSelector, mergeDropIns } from "../unit/drop_ins.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";

/**
 * A file of a deployment as {@linkcode loadUnits} reads it: its path inside
 * the deployment (`web.container`, `web.container.d/10-limits.conf`) and its
 * bytes. A source's `DeploymentFile` is one.
 */
export interface DeploymentFileBytes {
  /** The `/`-separated path inside the deployment. */
  path: string;
  /** The file's content. */
  bytes: Uint8Array;
}

/** A unit of the deployment: parsed (drop-ins merged) and typed. */
export interface LoadedUnit {
  /** The unit's path in the deployment, such as `web.container`. */
  path: string;
  /** The parsed unit, with the drop-ins that apply to it merged in. */
  unit: UnitFile;
  /** Its typed view, built with the deployment's other units as siblings. */
  quadlet: QuadletUnit;
}

/** Options for {@linkcode loadUnits}. */
export interface LoadUnitsOptions {
  /**
   * The absolute folder the units will be read from, to resolve relative host
   * paths as Podman does.
   *
   * @default {undefined}
   */
  unitDir?: string;
}

/** The units that loaded and the problems of those that did not. */
export interface LoadUnitsResult {
  /** The units that parsed and typed, in the order of the files given. */
  units: LoadedUnit[];
  /**
   * One finding per unit that did not load (`ERR_UNIT_SYNTAX`,
   * `ERR_UNIT_INVALID_VALUE`), with its file and, when known, line.
   */
  findings: Finding[];
}

const decoder = new TextDecoder();

/**
 * Parses every quadlet unit of a deployment, merges the drop-ins that apply to
 * it, and builds its typed view with the other units as siblings. A unit that
 * does not parse becomes a finding instead of stopping the others.
 *
 * A quadlet unit is a file whose extension is a quadlet kind and that is not
 * inside a `*.d/` folder; drop-ins are the `.conf` files Podman would apply
 * to it (see `selectDropIns` in `lib/unit`, podman-systemd.unit(5)). Other
 * files are ignored. A problem of the files never throws: each becomes a
 * finding.
 *
 * @param files The deployment's files.
 * @param options The folder to resolve relative host paths against.
 * @returns The loaded units, in the order of `files`, and the findings.
 *
 * @example Usage
 * ```ts
 * import { loadUnits } from "./load_units.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const encode = (text: string) => new TextEncoder().encode(text);
 * const { units, findings } = loadUnits([
 *   { path: "web.container", bytes: encode("[Container]\nImage=busybox\n") },
 *   { path: "web.container.d/10-port.conf", bytes: encode("[Container]\nPublishPort=8080:80\n") },
 *   { path: "bad.volume", bytes: encode("not a unit\n") },
 * ]);
 * strictEqual(units.length, 1);
 * strictEqual(units[0].quadlet.serviceName, "web.service");
 * strictEqual(units[0].quadlet.ports[0].hostPort, "8080");
 * strictEqual(findings[0].code, "ERR_UNIT_SYNTAX");
 * strictEqual(findings[0].file, "bad.volume");
 * ```
 */
export function loadUnits(
  files: readonly DeploymentFileBytes[],
  options: LoadUnitsOptions = {},
): LoadUnitsResult {
  const { unitDir } = options;
  const findings: Finding[] = [];
  const paths = files.map((file) => file.path);
  // Only `.conf` files can be drop-ins; selecting among them alone keeps large folders fast.
  const confPaths = paths.filter((path) => path.endsWith(".conf"));
  const selectDropIns = dropInSelector(confPaths);
  const byPath = new Map(files.map((file) => [file.path, file]));
  // A drop-in shared by many units (`container.d/`) is parsed once.
  const dropInCache = new Map<string, UnitFile | LegerError>();
  const parseDropIn = (path: string): UnitFile => {
    let parsed = dropInCache.get(path);
    if (parsed === undefined) {
      try {
        parsed = parseFile(byPath.get(path)!);
      } catch (error) {
        if (!(error instanceof LegerError)) throw error;
        parsed = error;
      }
      dropInCache.set(path, parsed);
    }
    if (parsed instanceof LegerError) throw parsed;
    return parsed;
  };
  const parsed = new Map<string, UnitFile>();
  const unitPaths = paths.filter(isUnitPath);
  for (const path of unitPaths) {
    try {
      const unit = parseFile(byPath.get(path)!);
      const dropIns = selectDropIns(path).map(parseDropIn);
      parsed.set(path, dropIns.length ? mergeDropIns(unit, dropIns) : unit);
    } catch (error) {
      findings.push(toFinding(error, path));
    }
  }
  const siblings = new Map(
    [...parsed].map(([path, unit]) => [baseName(path), unit]),
  );
  const units: LoadedUnit[] = [];
  for (const [path, unit] of parsed) {
    try {
      units.push({
        path,
        unit,
        quadlet: toQuadletUnit(unit, { siblings, unitDir }),
      });
    } catch (error) {
      findings.push(toFinding(error, path));
    }
  }
  return { units, findings };
}

/** A quadlet unit file, not a drop-in `.conf` inside a `*.d/` folder. */
function isUnitPath(path: string): boolean {
  if (quadletKindOf(baseName(path)) === null) return false;
  return !path.split("/").slice(0, -1).some((dir) => dir.endsWith(".d"));
}

function parseFile(file: DeploymentFileBytes): UnitFile {
  return parseUnit(decoder.decode(file.bytes), { file: file.path });
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function toFinding(error: unknown, path: string): Finding {
  if (!(error instanceof LegerError)) throw error;
  return {
    code: error.code,
    message: error.message,
    file: error.file ?? path,
    ...(error.line === undefined ? {} : { line: error.line }),
    ...(error.remedy === undefined ? {} : { remedy: error.remedy }),
  };
}
