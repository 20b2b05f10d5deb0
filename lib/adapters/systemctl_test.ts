import { deepStrictEqual } from "node:assert/strict";
import { fakeRunner } from "./fake_runner.ts";
import { showRequirements } from "./systemctl.ts";

Deno.test("showRequirements() reads Requires=, Requisite= and BindsTo= of a unit, each unit once", async (t) => {
  const cases: {
    name: string;
    scope: "user" | "system";
    stdout: string;
    expected: string[];
  }[] = [
    {
      name: "a container with a network, a volume and a pod",
      scope: "user",
      stdout: [
        "Requires=notes-network.service api-data-volume.service -.mount",
        "Requisite=",
        "BindsTo=app-pod.service",
        "",
      ].join("\n"),
      expected: [
        "notes-network.service",
        "api-data-volume.service",
        "-.mount",
        "app-pod.service",
      ],
    },
    {
      name: "a unit required twice",
      scope: "system",
      stdout: "Requires=app-pod.service\nRequisite=\nBindsTo=app-pod.service\n",
      expected: ["app-pod.service"],
    },
    {
      name: "a unit systemd does not know",
      scope: "user",
      stdout: "Requires=\nRequisite=\nBindsTo=\n",
      expected: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const runner = fakeRunner([{
        bin: "systemctl",
        args: [
          ...(c.scope === "user" ? ["--user"] : []),
          "show",
          "--property=Requires,Requisite,BindsTo",
          "--",
          "api.service",
        ],
        result: { stdout: c.stdout },
      }]);
      deepStrictEqual(
        await showRequirements(c.scope, "api.service", { runner }),
        c.expected,
      );
      runner.assertAllCalled();
    });
  }
});
