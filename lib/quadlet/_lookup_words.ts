import { lookupAll } from "../unit/lookup.ts";
import { splitWords } from "../unit/split_words.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";
import { invalidValue } from "./_invalid_value.ts";

/** One word of a list key, with the entry it came from. */
export interface LookedUpWord {
  word: string;
  entry: UnitEntry;
}

/**
 * Reads every occurrence of a list key and splits each into words the way
 * Podman does: `"args"` is `LookupAllArgs` (`Secret=`, `Mount=`,
 * `EnvironmentFile=`: unquoted and C-unescaped), `"strv"` is `LookupAllStrv`
 * (`ConfigMap=`, `Yaml=`, `[Unit]` dependencies: unquoted, `\` kept). An
 * empty value drops the occurrences before it.
 *
 * Podman silently skips a value it cannot split; leger reports it instead,
 * because the unit would run without what the value names.
 *
 * @param unit The unit.
 * @param section The section.
 * @param key The key.
 * @param mode Which of Podman's splits to use.
 * @returns The words in order.
 * @throws {LegerError} `ERR_UNIT_INVALID_VALUE` when a value cannot be split.
 *
 * @example Usage
 * ```ts
 * import { lookupWords } from "./_lookup_words.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = {
 *   file: "web.container",
 *   nodes: [],
 *   finalNewline: true,
 *   sections: [{
 *     name: "Container",
 *     line: 1,
 *     entries: [{ key: "Secret", value: 'a "b c"', line: 2, file: "web.container" }],
 *   }],
 * };
 * deepStrictEqual(lookupWords(unit, "Container", "Secret", "args").map((w) => w.word), ["a", "b c"]);
 * ```
 */
export function lookupWords(
  unit: UnitFile,
  section: string,
  key: string,
  mode: "args" | "strv",
): LookedUpWord[] {
  const words: LookedUpWord[] = [];
  for (const entry of lookupAll(unit, section, key)) {
    let split: string[];
    try {
      split = splitWords(entry.value, { mode });
    } catch (err) {
      if (err instanceof SyntaxError) throw invalidValue(entry, err);
      throw err;
    }
    for (const word of split) words.push({ word, entry });
  }
  return words;
}
