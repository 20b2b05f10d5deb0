import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { fakeRunner } from "./fake_runner.ts";
import { parseShowOutput, showRequirements, showUnits } from "./systemctl.ts";

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

Deno.test("showUnits() reads every unit's state and times with one systemctl show", async () => {
  const runner = fakeRunner([{
    bin: "systemctl",
    args: [
      "--user",
      "show",
      "--property=Id,LoadState,ActiveState,SubState,Result,ActiveEnterTimestamp,StateChangeTimestamp",
      "--timestamp=unix",
      "--",
      "web.service",
      "gone.service",
    ],
    result: {
      stdout: [
        "Id=web.service",
        "LoadState=loaded",
        "ActiveState=active",
        "SubState=running",
        "Result=success",
        "ActiveEnterTimestamp=@1796064081",
        "StateChangeTimestamp=@1796064081",
        "",
        "Id=gone.service",
        "LoadState=not-found",
        "ActiveState=inactive",
        "SubState=dead",
        "Result=success",
        "ActiveEnterTimestamp=",
        "StateChangeTimestamp=",
        "",
      ].join("\n"),
    },
  }]);
  const [web, gone] = await showUnits("user", ["web.service", "gone.service"], {
    runner,
  });
  deepStrictEqual(
    [web.activeState, web.activeEnterTimestamp, web.stateChangeTimestamp],
    ["active", "2026-11-30T18:41:21.000Z", "2026-11-30T18:41:21.000Z"],
  );
  deepStrictEqual(
    [gone.loadState, gone.activeEnterTimestamp],
    ["not-found", null],
  );
  runner.assertAllCalled();
});

Deno.test("parseShowOutput() reads a time in systemd's default form when it names UTC", () => {
  const [web] = parseShowOutput(
    "Id=web.service\nActiveEnterTimestamp=Mon 2026-11-30 18:41:21 UTC\nStateChangeTimestamp=Mon 2026-11-30 19:41:21 CET\n",
    ["web.service"],
  );
  strictEqual(web.activeEnterTimestamp, "2026-11-30T18:41:21.000Z");
  strictEqual(web.stateChangeTimestamp, null);
});
