import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { unitServices } from "./unit_services.ts";

Deno.test("unitServices() names every service systemd runs for the units, instances instead of templates", () => {
  const cases: ReadonlyArray<[string, QuadletUnit[], string[]]> = [
    [
      "a container and its volume",
      [makeQuadlet("web.container"), makeQuadlet("data.volume")],
      ["web.service", "data-volume.service"],
    ],
    [
      "a template with DefaultInstance=, an instance file and a network",
      [
        makeQuadlet("worker@.container", { defaultInstance: "one" }),
        makeQuadlet("worker@two.container"),
        makeQuadlet("app.network"),
      ],
      ["worker@one.service", "worker@two.service", "app-network.service"],
    ],
    [
      "a template without instance, which systemd cannot stop",
      [makeQuadlet("worker@.container")],
      [],
    ],
    [
      "a template volume",
      [makeQuadlet("x@.volume")],
      [],
    ],
  ];
  for (const [name, units, expected] of cases) {
    assertEquals(unitServices(units), expected, name);
  }
});
