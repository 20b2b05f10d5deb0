import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { hasSection, lookupAll, lookupLast } from "./lookup.ts";
import { parseUnit } from "./parse_unit.ts";

const UNIT = parseUnit(
  [
    "[Container]",
    "Image=a",
    "Environment=A=1",
    "Environment=B=2",
    "Image=b",
    "Environment=",
    "Environment=C=3",
    "PublishPort=80:80",
    "PublishPort=",
    "Exec=",
    "[Install]",
    "[Service]",
    "Environment=S=1",
    "[Container]",
    "Environment=D=4",
    "",
  ].join("\n"),
  { file: "web.container" },
);

Deno.test("lookupLast() returns the last entry of a key", () => {
  const cases: [string, string, string | undefined, number | undefined][] = [
    ["Container", "Image", "b", 5],
    ["Container", "Environment", "D=4", 15],
    ["Container", "Exec", "", 10],
    ["Container", "PublishPort", "", 9],
    ["Service", "Environment", "S=1", 13],
    ["Container", "image", undefined, undefined],
    ["Container", "Volume", undefined, undefined],
    ["Install", "WantedBy", undefined, undefined],
    ["Pod", "Image", undefined, undefined],
  ];
  for (const [section, key, value, line] of cases) {
    const entry = lookupLast(UNIT, section, key);
    deepStrictEqual(
      [entry?.value, entry?.line],
      [value, line],
      `${section} ${key}`,
    );
  }
});

Deno.test("lookupAll() returns every value, reset by an empty one, as Podman's LookupAll", () => {
  const cases: [string, string, string[]][] = [
    ["Container", "Environment", ["C=3", "D=4"]],
    ["Container", "Image", ["a", "b"]],
    ["Container", "PublishPort", []],
    ["Container", "Exec", []],
    ["Container", "Volume", []],
    ["Service", "Environment", ["S=1"]],
    ["Pod", "Environment", []],
  ];
  for (const [section, key, values] of cases) {
    deepStrictEqual(
      lookupAll(UNIT, section, key).map((e) => e.value),
      values,
      `${section} ${key}`,
    );
  }
});

Deno.test("hasSection() is true when a header exists, even without entries", () => {
  const cases: [string, boolean][] = [
    ["Container", true],
    ["Install", true],
    ["Service", true],
    ["container", false],
    ["Unit", false],
    ["", false],
  ];
  for (const [section, want] of cases) {
    strictEqual(hasSection(UNIT, section), want, section);
  }
});
