import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  formatPortRange,
  parsePortRange,
  rangesOverlap,
} from "./_port_range.ts";

Deno.test("parsePortRange() reads single ports and ranges", () => {
  const cases: [string | null, readonly [number, number] | null][] = [
    ["8080", [8080, 8080]],
    ["8000-8010", [8000, 8010]],
    [" 53 ", [53, 53]],
    [null, null],
    ["", null],
    ["%i", null],
    ["${PORT}", null],
    ["0", null],
    ["65536", null],
    ["10-5", null],
  ];
  for (const [text, expected] of cases) {
    deepStrictEqual(parsePortRange(text), expected, String(text));
  }
});

Deno.test("rangesOverlap() is true when the ranges share a port", () => {
  const cases: [[number, number], [number, number], boolean][] = [
    [[80, 80], [80, 80], true],
    [[80, 80], [81, 81], false],
    [[8000, 8010], [8010, 8020], true],
    [[8000, 8010], [8011, 8020], false],
    [[8005, 8005], [8000, 8010], true],
  ];
  for (const [a, b, expected] of cases) {
    strictEqual(rangesOverlap(a, b), expected, `${a} ${b}`);
  }
});

Deno.test("formatPortRange() writes one port or a range", () => {
  strictEqual(formatPortRange([80, 80]), "80");
  strictEqual(formatPortRange([80, 90]), "80-90");
});
