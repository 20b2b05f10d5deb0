import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { startsWithSpecifier } from "./_starts_with_specifier.ts";

Deno.test("startsWithSpecifier() tells systemd specifiers from %% and plain paths", () => {
  const cases: ReadonlyArray<[string, boolean]> = [
    ["%h/env", true],
    ["%t/run", true],
    ["%", true],
    ["%%h", false],
    ["/etc/env", false],
    ["env", false],
    ["", false],
  ];
  for (const [path, expected] of cases) {
    assertEquals(startsWithSpecifier(path), expected, path);
  }
});
