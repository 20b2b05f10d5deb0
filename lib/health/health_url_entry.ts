import { lookupLast } from "../unit/lookup.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";

/** The section of a unit where leger reads what systemd and Podman ignore. */
export const LEGER_SECTION = "X-Leger";

/**
 * The `HealthURL=` entry of a unit's `[X-Leger]` section: the URL leger
 * fetches to tell whether the service is healthy. The unit's drop-ins count
 * as systemd merges them: the last entry wins, so a drop-in can replace the
 * unit's URL, and an empty `HealthURL=` turns the check off. systemd ignores
 * `X-` sections, and Podman's generator copies them into the service as they
 * are.
 *
 * @param unit The unit, its drop-ins merged.
 * @returns The entry (with its file and line), or `undefined` when there is
 * none or the last one is empty.
 *
 * @example Usage
 * ```ts
 * import { healthUrlEntry } from "./health_url_entry.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=nginx\n\n[X-Leger]\nHealthURL=http://127.0.0.1:8080/health\n",
 *   { file: "web.container" },
 * );
 * strictEqual(healthUrlEntry(unit)?.value, "http://127.0.0.1:8080/health");
 * strictEqual(healthUrlEntry(unit)?.line, 5);
 * ```
 */
export function healthUrlEntry(unit: UnitFile): UnitEntry | undefined {
  const entry = lookupLast(unit, LEGER_SECTION, "HealthURL");
  if (entry === undefined || entry.value.trim() === "") return undefined;
  return entry;
}
