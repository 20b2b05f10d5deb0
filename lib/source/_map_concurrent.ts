/**
 * Maps items through an async function with at most `limit` calls running at
 * once, keeping the order of the results.
 *
 * Every item is processed even when some fail, and the error thrown is the one
 * of the first failing item in input order, so that which error a user sees
 * does not depend on timing.
 *
 * @param items The items.
 * @param limit The most calls running at once (at least 1).
 * @param fn The function to apply.
 * @returns The results, in the order of `items`.
 *
 * @example Usage
 * ```ts
 * import { mapConcurrent } from "./_map_concurrent.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(await mapConcurrent([1, 2, 3], 2, (n) => Promise.resolve(n * 2)), [2, 4, 6]);
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const errors = new Map<number, unknown>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (err) {
        errors.set(index, err);
      }
    }
  }
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (errors.size > 0) throw errors.get(Math.min(...errors.keys()));
  return results;
}
