import { lookupAll, lookupLast } from "../unit/lookup.ts";
import { splitWords } from "../unit/split_words.ts";
import { unquote } from "../unit/unquote.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";

/** A value as Podman's `Lookup` returns it, with the entry it comes from. */
export interface Looked {
  value: string;
  entry: UnitEntry;
}

/** Podman's `Lookup`: the last entry of `key`, its value unquoted; `undefined` when absent. */
export function lookup(
  unit: UnitFile,
  section: string,
  key: string,
): Looked | undefined {
  const entry = lookupLast(unit, section, key);
  return entry === undefined
    ? undefined
    : { value: unquote(entry.value), entry };
}

/** Podman's `Lookup` when only a non-empty value counts (`ok && len(v) > 0`). */
export function lookupSet(
  unit: UnitFile,
  section: string,
  key: string,
): Looked | undefined {
  const found = lookup(unit, section, key);
  return found === undefined || found.value === "" ? undefined : found;
}

/** Podman's `LookupAllStrv`: the words of every entry; a value that cannot be split is skipped. */
export function lookupStrv(
  unit: UnitFile,
  section: string,
  key: string,
): string[] {
  return lookupAll(unit, section, key).flatMap((entry) => {
    try {
      return splitWords(entry.value, { mode: "strv" });
    } catch (err) {
      // Podman skips a value it cannot split; to_quadlet_unit reports it.
      if (err instanceof SyntaxError) return [];
      throw err;
    }
  });
}
