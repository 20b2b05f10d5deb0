/**
 * Durations as legerd.yaml writes them (`30s`, `5m`, `1h30m`) and as legerd
 * logs them.
 *
 * @module
 */

const DURATION_REGEXP = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNITS_MS = [3_600_000, 60_000, 1_000] as const;

/**
 * Parses a duration written as hours, minutes and seconds, in that order,
 * each optional but at least one present: `90s`, `5m`, `1h`, `1h30m`,
 * `2m30s`. Go's and systemd's short units, without their fractions or days:
 * legerd's intervals are whole seconds.
 *
 * @param text The duration, such as `"5m"`.
 * @returns The duration in milliseconds.
 * @throws {SyntaxError} If `text` is not such a duration (`5`, `5 m`, `5min`, `1.5h`).
 *
 * @example Usage
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * strictEqual(parseDuration("90s"), 90_000);
 * strictEqual(parseDuration("1h30m"), 5_400_000);
 * throws(() => parseDuration("300"), SyntaxError);
 * ```
 */
export function parseDuration(text: string): number {
  const match = DURATION_REGEXP.exec(text);
  if (match === null || text === "") {
    throw new SyntaxError(
      `Cannot parse duration "${text}": expected a number and a unit (s, m or h), such as 30s, 5m, 1h or 1h30m`,
    );
  }
  let ms = 0;
  for (let i = 0; i < UNITS_MS.length; i++) {
    const digits = match[i + 1];
    if (digits !== undefined) ms += Number(digits) * UNITS_MS[i];
  }
  return ms;
}

/**
 * Writes a duration the way {@linkcode parseDuration} reads it, in the
 * largest units that fit: `300000` → `5m`, `5400000` → `1h30m`. Less than a
 * second is written in milliseconds (`250ms`), as legerd's back-off can be.
 *
 * @param ms The duration in milliseconds (rounded to whole milliseconds).
 * @returns The short form.
 *
 * @example Usage
 * ```ts
 * import { formatDuration } from "./duration.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(formatDuration(300_000), "5m");
 * strictEqual(formatDuration(5_400_000), "1h30m");
 * strictEqual(formatDuration(1_500), "1.5s");
 * ```
 */
export function formatDuration(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1_000) return `${rounded}ms`;
  if (rounded % 1_000 !== 0 && rounded < 60_000) {
    return `${Number((rounded / 1_000).toFixed(1))}s`;
  }
  let rest = Math.round(rounded / 1_000) * 1_000;
  let text = "";
  for (
    const [unit, size] of [["h", 3_600_000], ["m", 60_000], [
      "s",
      1_000,
    ]] as const
  ) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
