import { LegerError } from "../errors/leger_error.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { mergeDropIns, selectDropIns } from "../unit/drop_ins.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";

/** A quadlet unit found in a quadlet folder of the host. */
export interface InstalledUnit {
  /** The absolute path of the unit file. */
  path: string;
  /** The parsed unit, its drop-ins merged; `file` is the file name. */
  unit: UnitFile;
  /** Its typed view. */
  quadlet: QuadletUnit;
}

/** What {@linkcode readInstalledUnits} found. */
export interface InstalledUnits {
  /** The units Podman's generator would convert, in the order it reads them. */
  units: InstalledUnit[];
  /**
   * Files that were skipped, as warnings: units that cannot be read or
   * parsed, values Podman cannot convert, and units hidden by an earlier one
   * of the same name. Their `file` is the absolute path.
   */
  warnings: Finding[];
}

interface Found {
  /** The unit folder index (search path order). */
  root: number;
  /** Path relative to its root, `/`-separated. */
  relative: string;
  absolute: string;
}

const DECODER = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the quadlet units installed in a scope's quadlet folders, the way
 * Podman's generator finds them: each folder and its subfolders in name
 * order (folders whose name ends in `.d` hold drop-ins and are not searched
 * for units), the first file of each name winning, drop-ins merged from every
 * folder. Symbolic links are followed.
 *
 * Files leger did not write may be anything, so a file that cannot be read,
 * decoded, parsed or converted is skipped with a warning rather than
 * failing the whole read. A folder that does not exist is skipped silently.
 *
 * Requires `--allow-read` for the folders.
 *
 * @param dirs The quadlet folders in Podman's order of precedence, such as
 * `[$XDG_CONFIG_HOME/containers/systemd]` for a user or
 * `["/etc/containers/systemd"]` for the system.
 * @returns The units and the warnings.
 *
 * @example Usage
 * ```ts ignore
 * import { readInstalledUnits } from "./installed_units.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const { units, warnings } = await readInstalledUnits([
 *   `${Deno.env.get("HOME")}/.config/containers/systemd`,
 * ]);
 * strictEqual(Array.isArray(units) && Array.isArray(warnings), true);
 * ```
 */
export async function readInstalledUnits(
  dirs: readonly string[],
): Promise<InstalledUnits> {
  const warnings: Finding[] = [];
  const files: Found[] = [];
  for (const [root, dir] of dirs.entries()) {
    await walk(dir, "", root, files, new Set());
  }
  // Every file under a virtual root "0000/", "0001/"…, so that drop-ins are
  // selected across all folders in Podman's order with one call.
  const virtual = files.map((f) => `${rootName(f.root)}/${f.relative}`);
  const byVirtual = new Map(files.map((f, i) => [virtual[i], f]));
  const parsed = new Map<string, { found: Found; unit: UnitFile }>();
  for (const found of files) {
    if (
      found.relative.split("/").slice(0, -1).some((part) => part.endsWith(".d"))
    ) continue;
    const name = baseName(found.relative);
    if (quadletKindOf(name) === null) continue;
    const earlier = parsed.get(name);
    if (earlier !== undefined) {
      warnings.push({
        code: "ERR_DUPLICATE_NAME",
        message:
          `Cannot use "${found.absolute}": Podman reads "${earlier.found.absolute}" of the same name first and ignores this one`,
        file: found.absolute,
        severity: "warning",
      });
      continue;
    }
    const unit = await readUnit(found, name, warnings);
    if (unit === undefined) continue;
    const dropIns: UnitFile[] = [];
    for (const path of selectDropIns(name, virtual)) {
      const dropIn = byVirtual.get(path)!;
      const parsedDropIn = await readUnit(dropIn, dropIn.relative, warnings);
      if (parsedDropIn !== undefined) dropIns.push(parsedDropIn);
    }
    parsed.set(name, { found, unit: mergeDropIns(unit, dropIns) });
  }
  const siblings = new Map([...parsed].map(([name, { unit }]) => [name, unit]));
  const units: InstalledUnit[] = [];
  for (const { found, unit } of parsed.values()) {
    try {
      const quadlet = toQuadletUnit(unit, {
        siblings,
        unitDir: dirName(found.absolute),
      });
      units.push({ path: found.absolute, unit, quadlet });
    } catch (err) {
      if (!(err instanceof LegerError)) throw err;
      warnings.push(skipped(found, err));
    }
  }
  return { units, warnings };
}

async function walk(
  dir: string,
  relative: string,
  root: number,
  into: Found[],
  visited: Set<string>,
): Promise<void> {
  let real: string;
  try {
    real = await Deno.realPath(dir);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    throw err;
  }
  if (visited.has(real)) return; // a symbolic link loop
  visited.add(real);
  const entries: { name: string; isDirectory: boolean }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    let isDirectory = entry.isDirectory;
    if (entry.isSymlink) {
      try {
        isDirectory = (await Deno.stat(`${dir}/${entry.name}`)).isDirectory;
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) continue; // a dangling link
        throw err;
      }
    }
    entries.push({ name: entry.name, isDirectory });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Podman reads a folder's files before those of its subfolders.
  for (const entry of entries) {
    if (!entry.isDirectory) {
      into.push({
        root,
        relative: relative + entry.name,
        absolute: `${dir}/${entry.name}`,
      });
    }
  }
  for (const entry of entries) {
    if (entry.isDirectory) {
      await walk(
        `${dir}/${entry.name}`,
        `${relative}${entry.name}/`,
        root,
        into,
        new Set(visited),
      );
    }
  }
}

async function readUnit(
  found: Found,
  file: string,
  warnings: Finding[],
): Promise<UnitFile | undefined> {
  let text: string;
  try {
    text = DECODER.decode(await Deno.readFile(found.absolute));
  } catch (err) {
    if (err instanceof TypeError) {
      warnings.push({
        code: "ERR_NOT_UTF8",
        message: `Cannot read "${found.absolute}": it is not UTF-8 text`,
        file: found.absolute,
        severity: "warning",
      });
      return undefined;
    }
    if (
      err instanceof Deno.errors.PermissionDenied ||
      err instanceof Deno.errors.NotFound
    ) {
      warnings.push({
        code: "ERR_UNIT_SYNTAX",
        message: `Cannot read "${found.absolute}": ${err.message}`,
        file: found.absolute,
        severity: "warning",
      });
      return undefined;
    }
    throw err;
  }
  try {
    return parseUnit(text, { file });
  } catch (err) {
    if (!(err instanceof LegerError)) throw err;
    warnings.push(skipped(found, err));
    return undefined;
  }
}

function skipped(found: Found, err: LegerError): Finding {
  return {
    code: err.code,
    message:
      `Cannot read "${found.absolute}", so leger skips it: ${err.message}`,
    file: found.absolute,
    ...(err.line === undefined ? {} : { line: err.line }),
    severity: "warning",
  };
}

function rootName(index: number): string {
  return String(index).padStart(4, "0");
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function dirName(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}
