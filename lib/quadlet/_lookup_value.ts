import { lookupLast } from "../unit/lookup.ts";
import { unquote } from "../unit/unquote.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";

/** A value read the way Podman's `Lookup` reads it, with the entry it came from. */
export interface LookedUpValue {
  /** The last value, trailing space trimmed and one pair of surrounding `"` removed. */
  value: string;
  entry: UnitEntry;
}

/**
 * Reads a key the way Podman's `UnitFile.Lookup` does: the last occurrence
 * (an empty one included), with trailing whitespace trimmed and one matched
 * pair of surrounding double quotes removed. Podman reads `Image=`,
 * `ContainerName=`, `ServiceName=`, `Pod=`, `HealthCmd=`, `Yaml=` (before
 * 5.5), `File=`, … this way.
 *
 * @param unit The unit.
 * @param section The section, such as `Container`.
 * @param key The key, such as `Image`.
 * @returns The value and its entry, or `undefined` when the key is not set.
 *
 * @example Usage
 * ```ts
 * import { lookupValue } from "./_lookup_value.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = {
 *   file: "web.container",
 *   nodes: [],
 *   finalNewline: true,
 *   sections: [{
 *     name: "Container",
 *     line: 1,
 *     entries: [{ key: "Image", value: '"quay.io/a/b"', line: 2, file: "web.container" }],
 *   }],
 * };
 * strictEqual(lookupValue(unit, "Container", "Image")?.value, "quay.io/a/b");
 * ```
 */
export function lookupValue(
  unit: UnitFile,
  section: string,
  key: string,
): LookedUpValue | undefined {
  const entry = lookupLast(unit, section, key);
  return entry === undefined
    ? undefined
    : { value: unquote(entry.value), entry };
}
