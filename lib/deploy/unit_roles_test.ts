import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { servicesToStart } from "./unit_roles.ts";

Deno.test("servicesToStart() starts containers, pods, kube units and template instances, each once", () => {
  const cases: ReadonlyArray<[string, QuadletUnit[], string[]]> = [
    ["nothing", [], []],
    [
      "a container and its volume",
      [makeQuadlet("web.container"), makeQuadlet("data.volume")],
      ["web.service"],
    ],
    [
      "a template with DefaultInstance= and an instance file",
      [
        makeQuadlet("worker@.container", { defaultInstance: "one" }),
        makeQuadlet("worker@two.container"),
      ],
      ["worker@one.service", "worker@two.service"],
    ],
    [
      "a template whose DefaultInstance= is also an instance file",
      [
        makeQuadlet("worker@.container", { defaultInstance: "two" }),
        makeQuadlet("worker@two.container"),
      ],
      ["worker@two.service"],
    ],
    [
      "a template without instance",
      [makeQuadlet("worker@.container"), makeQuadlet("web.container")],
      ["web.service"],
    ],
  ];
  for (const [name, units, expected] of cases) {
    assertEquals(servicesToStart(units), expected, name);
  }
});
