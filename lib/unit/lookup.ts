import type { UnitEntry, UnitFile, UnitSection } from "./types.ts";

/**
 * The last entry of `key` in `section`, as Podman's `UnitFile.LookupLast`
 * finds it (an empty value counts: `Key=` is the last entry when it comes
 * last). Its `value` is what `LookupLast` returns; pass it to `unquote` for
 * what `Lookup` returns, or to `splitWords` for `LookupLastArgs`.
 *
 * @param unit The unit, with its drop-ins merged when they matter.
 * @param section The section name, such as `Container` (case-sensitive).
 * @param key The key, such as `Image` (case-sensitive).
 * @returns The entry, or `undefined` when the section or key is missing.
 *
 * @example Usage
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { lookupLast } from "./lookup.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=a\nImage=b\n", { file: "x.container" });
 * strictEqual(lookupLast(unit, "Container", "Image")?.value, "b");
 * strictEqual(lookupLast(unit, "Container", "Exec"), undefined);
 * ```
 */
export function lookupLast(
  unit: UnitFile,
  section: string,
  key: string,
): UnitEntry | undefined {
  const entries = entriesOf(unit, section, key);
  return entries[entries.length - 1];
}

/**
 * Every entry of `key` in `section`, in order, as Podman's
 * `UnitFile.LookupAll` collects them: an entry with an empty value (`Key=`)
 * is not returned and drops every entry collected before it.
 * `LookupAllArgs`/`LookupAllStrv` split each returned value with `splitWords`.
 *
 * @param unit The unit, with its drop-ins merged when they matter.
 * @param section The section name, such as `Container` (case-sensitive).
 * @param key The key, such as `Environment` (case-sensitive).
 * @returns The entries, possibly none.
 *
 * @example Usage
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { lookupAll } from "./lookup.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nEnvironment=A=1\nEnvironment=\nEnvironment=B=2\nEnvironment=C=3\n",
 *   { file: "x.container" },
 * );
 * deepStrictEqual(lookupAll(unit, "Container", "Environment").map((e) => e.value), ["B=2", "C=3"]);
 * ```
 */
export function lookupAll(
  unit: UnitFile,
  section: string,
  key: string,
): UnitEntry[] {
  const entries = entriesOf(unit, section, key);
  let found: UnitEntry[] = [];
  for (const entry of entries) {
    if (entry.value === "") found = [];
    else found.push(entry);
  }
  return found;
}

/**
 * Whether the unit has the section, as Podman's `UnitFile.HasGroup` says:
 * a header is enough, the section may hold no entry.
 *
 * @param unit The unit.
 * @param section The section name, such as `Install` (case-sensitive).
 * @returns Whether a `[section]` header exists.
 *
 * @example Usage
 * ```ts
 * import { parseUnit } from "./parse_unit.ts";
 * import { hasSection } from "./lookup.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=a\n[Install]\n", { file: "x.container" });
 * strictEqual(hasSection(unit, "Install"), true);
 * strictEqual(hasSection(unit, "Service"), false);
 * ```
 */
export function hasSection(unit: UnitFile, section: string): boolean {
  return findSection(unit, section) !== undefined;
}

/** Below this many items a scan is cheaper than building an index. */
const SCAN_LIMIT = 16;

const NO_ENTRIES: readonly UnitEntry[] = [];

interface Index<T> {
  /** The length of the array when indexed: a longer array is indexed again. */
  length: number;
  byName: Map<string, T>;
}

// Each lookup would otherwise scan the unit's sections and the section's
// entries, and a unit is looked up for every reference to it: a unit of n
// entries that names a sibling of m entries n times would cost n × m. The
// indexes are built on first use, per array. Units are not changed once
// parsed (`mergeDropIns` makes new arrays); an array that grows, as a test
// may make it, is indexed again.
const SECTION_INDEXES = new WeakMap<
  readonly UnitSection[],
  Index<UnitSection>
>();
const KEY_INDEXES = new WeakMap<readonly UnitEntry[], Index<UnitEntry[]>>();

function findSection(unit: UnitFile, name: string): UnitSection | undefined {
  const sections = unit.sections;
  if (sections.length <= SCAN_LIMIT) {
    for (const section of sections) {
      if (section.name === name) return section;
    }
    return undefined;
  }
  let index = SECTION_INDEXES.get(sections);
  if (index === undefined || index.length !== sections.length) {
    const byName = new Map<string, UnitSection>();
    for (const section of sections) {
      // The first section of a name is the one a scan would find.
      if (!byName.has(section.name)) byName.set(section.name, section);
    }
    index = { length: sections.length, byName };
    SECTION_INDEXES.set(sections, index);
  }
  return index.byName.get(name);
}

/** The entries of `key` in `section`, in order. */
function entriesOf(
  unit: UnitFile,
  section: string,
  key: string,
): readonly UnitEntry[] {
  const entries = findSection(unit, section)?.entries;
  if (entries === undefined) return NO_ENTRIES;
  if (entries.length <= SCAN_LIMIT) {
    return entries.filter((entry) => entry.key === key);
  }
  let index = KEY_INDEXES.get(entries);
  if (index === undefined || index.length !== entries.length) {
    const byName = new Map<string, UnitEntry[]>();
    for (const entry of entries) {
      const list = byName.get(entry.key);
      if (list === undefined) byName.set(entry.key, [entry]);
      else list.push(entry);
    }
    index = { length: entries.length, byName };
    KEY_INDEXES.set(entries, index);
  }
  return index.byName.get(key) ?? NO_ENTRIES;
}
