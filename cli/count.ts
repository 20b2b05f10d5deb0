/**
 * A number and its noun, singular for exactly one: `1 unit`, `2 units`,
 * `0 units`. For a text to read, never for `--json`.
 *
 * @param n How many.
 * @param noun The noun for one (`unit`, `secret`).
 * @param plural The noun for any other number.
 * @returns The number and the noun.
 *
 * @example Usage
 * ```ts
 * import { count } from "./count.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(count(1, "secret"), "1 secret");
 * strictEqual(count(3, "secret"), "3 secrets");
 * strictEqual(count(2, "service waits", "services wait"), "2 services wait");
 * ```
 */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
