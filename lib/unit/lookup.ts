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
  const entries = findSection(unit, section)?.entries;
  if (entries === undefined) return undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].key === key) return entries[i];
  }
  return undefined;
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
  const entries = findSection(unit, section)?.entries;
  let found: UnitEntry[] = [];
  if (entries === undefined) return found;
  for (const entry of entries) {
    if (entry.key !== key) continue;
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

function findSection(unit: UnitFile, name: string): UnitSection | undefined {
  for (const section of unit.sections) {
    if (section.name === name) return section;
  }
  return undefined;
}
