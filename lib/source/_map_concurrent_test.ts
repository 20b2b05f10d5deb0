import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { mapConcurrent } from "./_map_concurrent.ts";

Deno.test("mapConcurrent() keeps order and the limit when calls finish out of order", async () => {
  let running = 0;
  let most = 0;
  const gates = Array.from({ length: 6 }, () => Promise.withResolvers<void>());
  const result = mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (n) => {
    running++;
    most = Math.max(most, running);
    await gates[n].promise;
    running--;
    return n * 10;
  });
  for (const n of [1, 0, 3, 2, 5, 4]) {
    gates[n].resolve();
    await Promise.resolve();
  }
  deepStrictEqual(await result, [0, 10, 20, 30, 40, 50]);
  ok(most <= 2, `at most 2 at once, saw ${most}`);
});

Deno.test("mapConcurrent() throws the first error in input order when several fail", async () => {
  const seen: number[] = [];
  await rejects(
    mapConcurrent([0, 1, 2, 3], 4, async (n) => {
      await Promise.resolve();
      seen.push(n);
      if (n === 3) throw new RangeError("three");
      if (n === 1) throw new RangeError("one");
      return n;
    }),
    { name: "RangeError", message: "one" },
  );
  deepStrictEqual(seen.sort(), [0, 1, 2, 3]);
});

Deno.test("mapConcurrent() returns an empty list when given no items", async () => {
  deepStrictEqual(await mapConcurrent([], 3, () => Promise.resolve(1)), []);
});
