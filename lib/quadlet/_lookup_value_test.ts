import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { lookupValue } from "./_lookup_value.ts";

Deno.test("lookupValue() reads the last value as Podman's Lookup does", () => {
  const cases: ReadonlyArray<[string, [string, number] | undefined]> = [
    ["Image=a\nImage=b\n", ["b", 3]],
    ['Image="quoted"\n', ["quoted", 2]],
    ['ContainerName="RemoveQuotes"Name"\n', ['RemoveQuotes"Name', 2]],
    ['Image="unbalanced\n', ['"unbalanced', 2]],
    ["Image='single'\n", ["'single'", 2]],
    ["Image=a\nImage=\n", ["", 3]],
  ];
  for (const [body, expected] of cases) {
    const unit = parseUnit(`[Container]\n${body}`, { file: "web.container" });
    const key = body.split("=")[0];
    const found = lookupValue(unit, "Container", key);
    assertEquals(
      found === undefined ? undefined : [found.value, found.entry.line],
      expected,
      body,
    );
  }
  const unit = parseUnit("[Container]\nImage=a\n", { file: "web.container" });
  assertEquals(lookupValue(unit, "Volume", "Image"), undefined);
  assertEquals(lookupValue(unit, "Container", "Exec"), undefined);
});
