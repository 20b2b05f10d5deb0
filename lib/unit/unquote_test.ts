import { strictEqual } from "node:assert/strict";
import { needsCorpus, PODMAN_FIXTURES } from "./_fixtures.ts";
import { lookupLast } from "./lookup.ts";
import { parseUnit } from "./parse_unit.ts";
import { unquote } from "./unquote.ts";

Deno.test("unquote() removes what Podman's Lookup removes", () => {
  const cases: [string, string][] = [
    ["nginx", "nginx"],
    ['"nginx"', "nginx"],
    ['"RemoveQuotes"Name"', 'RemoveQuotes"Name'],
    ['"a b"  ', "a b"],
    ["value \t", "value"],
    ["value\u00a0", "value"],
    ['"a', '"a'],
    ['a"', 'a"'],
    ['"', '"'],
    ['""', ""],
    ['""a""', '"a"'],
    ["'single'", "'single'"],
    [`/bin/sh -c "echo 'hello world!'"`, `/bin/sh -c "echo 'hello world!'"`],
    ['"a\\nb"', "a\\nb"],
    ['"%h/data"', "%h/data"],
    ['  "lead"', '  "lead"'],
    ["", ""],
  ];
  for (const [value, want] of cases) {
    strictEqual(unquote(value), want, JSON.stringify(value));
  }
});

Deno.test(
  needsCorpus(
    "unquote() gives Podman's --name and --health-cmd for its fixtures",
  ),
  async () => {
    const cases: [string, string, string][] = [
      ["quotes.container", "ContainerName", 'RemoveQuotes"Name'],
      ["quotes.container", "Image", "localhost/imagename"],
      [
        "health-cmd-shell-quotes.container",
        "HealthCmd",
        `/bin/sh -c "echo 'hello world!'"`,
      ],
    ];
    for (const [file, key, want] of cases) {
      const text = await Deno.readTextFile(new URL(file, PODMAN_FIXTURES));
      const entry = lookupLast(parseUnit(text, { file }), "Container", key);
      strictEqual(unquote(entry?.value ?? ""), want, `${file} ${key}`);
    }
  },
);
