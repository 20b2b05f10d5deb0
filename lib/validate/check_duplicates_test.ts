import { deepStrictEqual } from "node:assert/strict";
import { checkDuplicates } from "./check_duplicates.ts";
import { makeQuadlet } from "../testing/make_quadlet.ts";

Deno.test("checkDuplicates() reports a service name claimed twice", () => {
  const findings = checkDuplicates([
    makeQuadlet("web.container"),
    makeQuadlet("web.kube"),
  ]);
  deepStrictEqual(findings, [{
    code: "ERR_DUPLICATE_NAME",
    message:
      'Cannot install "web.kube": its service "web.service" is also the service of "web.container"',
    file: "web.kube",
    remedy:
      "Set ServiceName= in one of the two units, or rename one of the files",
  }]);
});

Deno.test("checkDuplicates() compares resource names within each kind", async (t) => {
  const cases = [
    {
      name: "two containers",
      units: [
        makeQuadlet("a.container", { resourceName: "web" }),
        makeQuadlet("b.container", { resourceName: "web" }),
      ],
      expected: [
        'Cannot install "b.container": container name "web" is also the name of "a.container"',
      ],
    },
    {
      name: "two volumes",
      units: [
        makeQuadlet("a.volume", { resourceName: "d" }),
        makeQuadlet("b.volume", { resourceName: "d" }),
      ],
      expected: [
        'Cannot install "b.volume": volume name "d" is also the name of "a.volume"',
      ],
    },
    {
      name: "volume and network",
      units: [
        makeQuadlet("a.volume", { resourceName: "d" }),
        makeQuadlet("b.network", { resourceName: "d" }),
      ],
      expected: [],
    },
    {
      name: "templates",
      units: [
        makeQuadlet("a@.container", { resourceName: "systemd-a-%i" }),
        makeQuadlet("b@.container", { resourceName: "systemd-a-%i" }),
      ],
      expected: [],
    },
    {
      name: "distinct",
      units: [
        makeQuadlet("a.container"),
        makeQuadlet("b.container"),
        makeQuadlet("a.volume"),
      ],
      expected: [],
    },
  ];
  for (const c of cases) {
    await t.step(
      c.name,
      () =>
        deepStrictEqual(
          checkDuplicates(c.units).map((f) => f.message),
          c.expected,
        ),
    );
  }
});
