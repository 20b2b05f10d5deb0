import type { UnitEntry, UnitFile, UnitNode, UnitSection } from "./types.ts";

/**
 * The names of the drop-in folders Podman's quadlet generator reads for a
 * unit, most specific first, as `UnitFile.GetUnitDropinPaths` lists them
 * (`pkg/systemd/parser/unitfile.go`):
 *
 * 1. `<file>.d` (`web.container.d`, `app@blue.container.d`);
 * 2. for an instance, its template's: `app@.container.d`;
 * 3. for a name with dashes, each dash-truncated prefix, longest first
 *    (`foo-bar-baz.container` → `foo-bar-.container.d`, `foo-.container.d`),
 *    and for a template or instance also the truncated template form before
 *    each (`foo-bar@x.container` → `foo-@.container.d` then
 *    `foo-.container.d`); the instance part is never truncated;
 * 4. the type-wide folder: `container.d`.
 *
 * Only the file name of `unitFile` counts: Podman looks these folders up in
 * every unit folder, wherever the unit is.
 *
 * @param unitFile The unit's file name or path, such as `web.container`.
 * @returns The drop-in folder names, most specific first.
 *
 * @example Usage
 * ```ts
 * import { dropInDirs } from "./drop_ins.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(dropInDirs("foo-bar@blue.container"), [
 *   "foo-bar@blue.container.d",
 *   "foo-bar@.container.d",
 *   "foo-@.container.d",
 *   "foo-.container.d",
 *   "container.d",
 * ]);
 * ```
 */
export function dropInDirs(unitFile: string): string[] {
  const name = unitFile.slice(unitFile.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  const ext = dot === -1 ? "" : name.slice(dot);
  const base = name.slice(0, name.length - ext.length);
  const at = base.indexOf("@");
  const unitName = at === -1 ? base : base.slice(0, at);
  const instance = at === -1 ? "" : base.slice(at + 1);
  const dropInExt = ext + ".d";
  // Podman builds the list broadest first and reverses it at the end.
  const dirs = [dropInExt.startsWith(".") ? dropInExt.slice(1) : dropInExt];
  const parts = unitName.split("-");
  let prefix = "";
  for (let i = 0; i < parts.length - 1; i++) {
    prefix += parts[i] + "-";
    dirs.push(prefix + dropInExt);
    if (at !== -1) dirs.push(prefix + "@" + dropInExt);
  }
  if (instance !== "") dirs.push(unitName + "@" + dropInExt);
  dirs.push(name + ".d");
  return dirs.reverse();
}

/**
 * The drop-in files that apply to a unit, in the order Podman's quadlet
 * generator merges them (`loadUnitDropins` in `cmd/quadlet/main.go`).
 *
 * Podman reads every unit folder in turn (the deployment folder, then its
 * subfolders depth first in name order, skipping any folder whose name ends
 * in `.d` and what is below it) and, in each, every folder of
 * {@linkcode dropInDirs}, most specific first. Of the `*.conf` files found,
 * the first one seen of each file name wins, so `web.container.d/10-a.conf`
 * hides `container.d/10-a.conf`. The winners merge sorted by file name,
 * whatever folder they come from.
 *
 * @param unitFile The unit's file name or path, such as `web.container`.
 * @param paths Every file path of the deployment folder, relative and
 * `/`-separated, such as `web.container.d/10-a.conf`.
 * @returns The paths of the drop-ins to merge, in merge order.
 *
 * @example Usage
 * ```ts
 * import { selectDropIns } from "./drop_ins.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   selectDropIns("web.container", [
 *     "web.container",
 *     "container.d/10-a.conf",
 *     "container.d/30-c.conf",
 *     "web.container.d/10-a.conf",
 *     "web.container.d/20-b.conf",
 *     "web.container.d/README",
 *     "db.container.d/10-a.conf",
 *   ]),
 *   ["web.container.d/10-a.conf", "web.container.d/20-b.conf", "container.d/30-c.conf"],
 * );
 * ```
 */
export function selectDropIns(
  unitFile: string,
  paths: readonly string[],
): string[] {
  return dropInSelector(paths)(unitFile);
}

/** Where a drop-in file name is first found under drop-in folders of one name. */
interface Found {
  /** The rank of its unit folder in Podman's walk. */
  rank: number;
  /** The drop-in's path. */
  path: string;
}

/**
 * Indexes the drop-ins of a deployment folder once, for
 * {@linkcode selectDropIns} over each of its units: selecting for n units
 * among m drop-ins then costs about what the selected drop-ins cost, instead
 * of n × m.
 *
 * @param paths Every file path of the deployment folder, relative and
 * `/`-separated, such as `web.container.d/10-a.conf`.
 * @returns A function from a unit's file name or path to the paths of the
 * drop-ins to merge into it, in merge order (as `selectDropIns` gives them).
 *
 * @example Usage
 * ```ts
 * import { dropInSelector } from "./drop_ins.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const select = dropInSelector([
 *   "container.d/10-a.conf",
 *   "web.container.d/20-b.conf",
 *   "db.container.d/20-b.conf",
 * ]);
 * deepStrictEqual(select("web.container"), ["container.d/10-a.conf", "web.container.d/20-b.conf"]);
 * deepStrictEqual(select("db.container"), ["container.d/10-a.conf", "db.container.d/20-b.conf"]);
 * ```
 */
export function dropInSelector(
  paths: readonly string[],
): (unitFile: string) => string[] {
  // folder path -> names of the *.conf files directly in it
  const confFiles = new Map<string, string[]>();
  const unitDirs = new Set<string>([""]);
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    const folder = slash === -1 ? "" : path.slice(0, slash);
    if (slash !== -1) addUnitDirs(unitDirs, folder);
    // Podman's filepath.Ext(name) == ".conf" (".conf" alone included).
    if (!name.endsWith(".conf")) continue;
    const names = confFiles.get(folder);
    if (names === undefined) confFiles.set(folder, [name]);
    else names.push(name);
  }
  const ranks = new Map(
    [...unitDirs].sort(compareFolders).map((dir, rank) => [dir, rank]),
  );
  // Podman reads each unit folder in turn and, in it, each drop-in folder of
  // the unit; the first file of a name wins. So, per drop-in folder name
  // (`web.container.d`), keep each file name's first unit folder.
  const byDirName = new Map<string, Map<string, Found>>();
  for (const [folder, names] of confFiles) {
    const slash = folder.lastIndexOf("/");
    const rank = ranks.get(slash === -1 ? "" : folder.slice(0, slash));
    // A folder below a `*.d` folder is no drop-in folder Podman reads.
    if (rank === undefined) continue;
    const dirName = folder.slice(slash + 1);
    let first = byDirName.get(dirName);
    if (first === undefined) byDirName.set(dirName, first = new Map());
    for (const name of names) {
      const known = first.get(name);
      if (known === undefined || rank < known.rank) {
        first.set(name, { rank, path: `${folder}/${name}` });
      }
    }
  }
  return (unitFile) => {
    const winners = new Map<string, Found & { dirRank: number }>();
    dropInDirs(unitFile).forEach((dir, dirRank) => {
      for (const [name, found] of byDirName.get(dir) ?? []) {
        const known = winners.get(name);
        if (
          known === undefined || found.rank < known.rank ||
          (found.rank === known.rank && dirRank < known.dirRank)
        ) {
          winners.set(name, { ...found, dirRank });
        }
      }
    });
    return [...winners.keys()].sort(compareBytes).map((name) =>
      winners.get(name)!.path
    );
  };
}

/**
 * Merges drop-ins into a unit as Podman's `UnitFile.Merge` does, in the order
 * given (use {@linkcode selectDropIns} for Podman's order): the entries of each
 * drop-in section are appended to the unit's section of that name, and a
 * section the unit lacks is added after the others. Every entry keeps its own
 * `file` and `line`, so `lookupAll` sees the drop-ins' values after the
 * unit's own, and an empty `Key=` in a drop-in resets the list as in Podman.
 *
 * The inputs are not changed. The result's nodes are the unit's followed by
 * each drop-in's, so serialising it gives one text with the same sections.
 *
 * @param unit The unit.
 * @param dropIns The parsed drop-ins, in merge order.
 * @returns A new unit with the drop-ins merged.
 *
 * @example Usage
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { mergeDropIns } from "./drop_ins.ts";
 * import { lookupAll } from "./lookup.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nEnvironment=A=1\n", { file: "web.container" });
 * const dropIn = parseUnit("[Container]\nEnvironment=\nEnvironment=B=2\n[Unit]\nAfter=db.service\n", {
 *   file: "web.container.d/10-env.conf",
 * });
 * const merged = mergeDropIns(unit, [dropIn]);
 * deepStrictEqual(
 *   lookupAll(merged, "Container", "Environment").map((e) => [e.value, e.file, e.line]),
 *   [["B=2", "web.container.d/10-env.conf", 3]],
 * );
 * deepStrictEqual(merged.sections.map((s) => s.name), ["Container", "Unit"]);
 * ```
 */
export function mergeDropIns(
  unit: UnitFile,
  dropIns: readonly UnitFile[],
): UnitFile {
  // Each section's entries, and the nodes, are gathered as a list of arrays
  // and flattened once: a unit may take 10,000 drop-ins, or 64 of 1 MiB.
  const sections: UnitSection[] = [];
  const parts = new Map<UnitSection, (readonly UnitEntry[])[]>();
  // The first section of a name takes the drop-ins' entries, as `find` would.
  const byName = new Map<string, UnitSection>();
  const add = (section: UnitSection, file?: string) => {
    const copy = file === undefined ? { ...section } : { ...section, file };
    sections.push(copy);
    parts.set(copy, [section.entries]);
    if (!byName.has(section.name)) byName.set(section.name, copy);
  };
  for (const section of unit.sections) add(section);
  const nodeParts: (readonly UnitNode[])[] = [unit.nodes];
  let finalNewline = unit.finalNewline;
  for (const dropIn of dropIns) {
    for (const section of dropIn.sections) {
      const target = byName.get(section.name);
      if (target === undefined) add(section, section.file ?? dropIn.file);
      else parts.get(target)!.push(section.entries);
    }
    if (dropIn.nodes.length > 0) {
      nodeParts.push(dropIn.nodes);
      finalNewline = dropIn.finalNewline;
    }
  }
  for (const section of sections) section.entries = parts.get(section)!.flat();
  const nodes = nodeParts.flat();
  return { file: unit.file, sections, nodes, finalNewline };
}

/** Adds `folder` and its ancestors that Podman walks as unit folders. */
function addUnitDirs(unitDirs: Set<string>, folder: string): void {
  let start = 0;
  for (;;) {
    const slash = folder.indexOf("/", start);
    const prefix = slash === -1 ? folder : folder.slice(0, slash);
    // Podman does not descend into folders whose name ends in ".d".
    if (prefix.endsWith(".d")) return;
    unitDirs.add(prefix);
    if (slash === -1) return;
    start = slash + 1;
  }
}

/** The order of Podman's depth-first walk with entries sorted by name. */
function compareFolders(a: string, b: string): number {
  if (a === "") return b === "" ? 0 : -1;
  if (b === "") return 1;
  const as = a.split("/");
  const bs = b.split("/");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const order = compareBytes(as[i], bs[i]);
    if (order !== 0) return order;
  }
  return as.length - bs.length;
}

/** Go's string order (UTF-8 bytes, which is code point order). */
function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF so UTF-16 units sort by code point. */
function codePointRank(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}
