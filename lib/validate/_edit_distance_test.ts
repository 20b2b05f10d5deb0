import { strictEqual } from "node:assert/strict";
import { editDistance } from "./_edit_distance.ts";

Deno.test("editDistance() counts insertions, deletions, substitutions and swaps", () => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["abc", "abc", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["kitten", "sitting", 3],
    ["ca", "ac", 1],
    ["PublishPorts", "PublishPort", 1],
    ["ContainerNmae", "ContainerName", 1],
  ];
  for (const [a, b, expected] of cases) {
    strictEqual(editDistance(a, b), expected, `${a}/${b}`);
  }
});
