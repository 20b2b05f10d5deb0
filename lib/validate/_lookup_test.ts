import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { lookup, lookupSet, lookupStrv } from "./_lookup.ts";
import { parseUnit } from "../unit/parse_unit.ts";

const UNIT = parseUnit(
  '[Container]\nImage=a\nImage="b"\nEmpty=\nQuoted=""\nDevice=/dev/a "/dev/b c"\nDevice=\nDevice=/dev/d\nBad="x\n',
  { file: "x.container" },
);

Deno.test("lookup() returns the last value, unquoted, as Podman's Lookup does", () => {
  strictEqual(lookup(UNIT, "Container", "Image")?.value, "b");
  strictEqual(lookup(UNIT, "Container", "Image")?.entry.line, 3);
  strictEqual(lookup(UNIT, "Container", "Empty")?.value, "");
  strictEqual(lookup(UNIT, "Container", "Missing"), undefined);
});

Deno.test("lookupSet() counts only a non-empty value", () => {
  strictEqual(lookupSet(UNIT, "Container", "Empty"), undefined);
  strictEqual(lookupSet(UNIT, "Container", "Quoted"), undefined);
  strictEqual(lookupSet(UNIT, "Container", "Image")?.value, "b");
});

Deno.test("lookupStrv() splits every value after the last reset and skips what cannot be split", () => {
  deepStrictEqual(lookupStrv(UNIT, "Container", "Device"), ["/dev/d"]);
  deepStrictEqual(lookupStrv(UNIT, "Container", "Bad"), []);
});
