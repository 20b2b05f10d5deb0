import { strictEqual } from "node:assert/strict";
import { addressesOverlap } from "./addresses_overlap.ts";

Deno.test("addressesOverlap() follows how Linux binds", () => {
  const cases: [string | null, string | null, boolean][] = [
    [null, "127.0.0.1", true],
    [null, "::1", true],
    [null, null, true],
    ["0.0.0.0", "127.0.0.1", true],
    ["0.0.0.0", "0.0.0.0", true],
    ["0.0.0.0", "::ffff:127.0.0.1", true],
    ["0.0.0.0", "::1", false],
    ["0.0.0.0", "::", true],
    ["::", "192.168.1.5", true],
    ["::", "::1", true],
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.1", "127.0.0.2", false],
    ["127.0.0.1", "::ffff:127.0.0.1", true],
    ["127.0.0.1", "::1", false],
    ["[::1]", "::1", true],
    ["::1", "0:0::1", true],
    ["::1", "::2", false],
    ["localhost", "localhost", true],
    ["localhost", "127.0.0.1", false],
    ["localhost", "0.0.0.0", true],
  ];
  for (const [a, b, expected] of cases) {
    strictEqual(addressesOverlap(a, b), expected, `${a} ${b}`);
    strictEqual(addressesOverlap(b, a), expected, `${b} ${a}`);
  }
});
