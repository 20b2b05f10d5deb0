import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { unitStart } from "./unit_start.ts";

const worker = makeQuadlet("worker@.container");
const workerOne = makeQuadlet("worker@.container", { defaultInstance: "one" });
const workerTwo = makeQuadlet("worker@two.container");

Deno.test("unitStart() tells how each kind of unit comes to run", () => {
  const cases: ReadonlyArray<
    [string, QuadletUnit, QuadletUnit[], string, string[]]
  > = [
    ["a container", makeQuadlet("web.container"), [], "started", [
      "web.service",
    ]],
    ["a pod", makeQuadlet("app.pod"), [], "started", ["app-pod.service"]],
    ["a kube unit", makeQuadlet("app.kube"), [], "started", ["app.service"]],
    ["a volume", makeQuadlet("data.volume"), [], "dependency", []],
    ["a network", makeQuadlet("app.network"), [], "dependency", []],
    ["an image", makeQuadlet("base.image"), [], "dependency", []],
    ["a build", makeQuadlet("app.build"), [], "dependency", []],
    ["an artifact", makeQuadlet("m.artifact"), [], "dependency", []],
    ["a template volume", makeQuadlet("x@.volume"), [], "dependency", []],
    [
      "a template with DefaultInstance=",
      workerOne,
      [workerOne],
      "started",
      ["worker@one.service"],
    ],
    ["an instance file", workerTwo, [worker, workerTwo], "started", [
      "worker@two.service",
    ]],
    [
      "a template without DefaultInstance= and with an instance file",
      worker,
      [worker, workerTwo],
      "instances",
      [],
    ],
    [
      "a template with neither",
      worker,
      [worker, makeQuadlet("other@two.container")],
      "template-no-instance",
      [],
    ],
    [
      // An instance of another kind is no instance of this template.
      "a template with an instance of the same stem but another kind",
      worker,
      [worker, makeQuadlet("worker@two.pod")],
      "template-no-instance",
      [],
    ],
    [
      "a template pod with DefaultInstance=",
      makeQuadlet("app@.pod", { defaultInstance: "a" }),
      [],
      "started",
      ["app-pod@a.service"],
    ],
    [
      "a template renamed by ServiceName=",
      makeQuadlet("worker@.container", { serviceName: "renamed.service" }),
      [],
      "started",
      ["renamed.service"],
    ],
  ];
  for (const [name, unit, units, role, services] of cases) {
    assertEquals(unitStart(unit, units), { role, services }, name);
  }
});
