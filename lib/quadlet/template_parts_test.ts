import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { templateParts } from "./template_parts.ts";

Deno.test("templateParts() splits templates and instances at the first @", () => {
  const cases: ReadonlyArray<[string, [string, string] | null]> = [
    ["worker@.container", ["worker@.container", ""]],
    ["worker@two.container", ["worker@.container", "two"]],
    ["deploy/worker@two.container", ["worker@.container", "two"]],
    ["x@.volume", ["x@.volume", ""]],
    ["x@a-volume.service", ["x@.service", "a-volume"]],
    ["worker@one.service", ["worker@.service", "one"]],
    ["worker-volume@.service", ["worker-volume@.service", ""]],
    ["a@b@c.container", ["a@.container", "b@c"]],
    ["web.container", null],
    ["web.service", null],
    ["@", null],
    ["README", null],
  ];
  for (const [name, expected] of cases) {
    const parts = templateParts(name);
    assertEquals(
      parts === null ? null : [parts.template, parts.instance],
      expected,
      name,
    );
  }
});
