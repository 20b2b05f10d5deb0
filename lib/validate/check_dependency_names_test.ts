import { deepStrictEqual } from "node:assert/strict";
import { checkDependencyNames } from "./check_dependency_names.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import { makeQuadlet } from "../testing/make_quadlet.ts";
import type { QuadletUnit } from "../quadlet/types.ts";

function web(unitSection: string) {
  const unit = parseUnit(`[Unit]\n${unitSection}\n[Container]\nImage=x\n`, {
    file: "web.container",
  });
  return { unit, quadlet: makeQuadlet("web.container") };
}

function network(overrides: Partial<QuadletUnit> = {}) {
  const unit = parseUnit("[Network]\n", { file: "llm.network" });
  return { unit, quadlet: makeQuadlet("llm.network", overrides) };
}

Deno.test("checkDependencyNames() reports quadlet-file-plus-.service names with the right name", () => {
  const findings = checkDependencyNames([
    web("After=network-online.target llm.network.service"),
    network(),
  ]);
  deepStrictEqual(findings, [{
    code: "ERR_UNIT_MISSING_REFERENCE",
    message:
      'Cannot start "web.container": After=llm.network.service at line 2 names a service that will not exist, since Podman names the service of "llm.network" "llm-network.service"',
    file: "web.container",
    line: 2,
    remedy:
      "Write `After=llm-network.service`, or `After=llm.network` and let Podman translate it",
  }]);
});

Deno.test("checkDependencyNames() handles each kind of name", async (t) => {
  const cases = [
    {
      name: "right service name",
      line: "Requires=llm-network.service",
      expected: [],
    },
    { name: "bare quadlet name", line: "Requires=llm.network", expected: [] },
    {
      name: "other service",
      line: "Wants=postgres.service sshd.service",
      expected: [],
    },
    {
      name: "container plus .service",
      line: "Wants=db.container.service",
      expected: [
        "Write `Wants=db.service`, or `Wants=db.container` and let Podman translate it",
      ],
    },
    {
      name: "volume not in the deployment",
      line: "BindsTo=data.volume.service",
      expected: [
        "Write `BindsTo=data-volume.service`, or `BindsTo=data.volume` and let Podman translate it",
      ],
    },
    {
      name: "twice on one line",
      line: "After=llm.network.service llm.network.service",
      expected: [
        "Write `After=llm-network.service`, or `After=llm.network` and let Podman translate it",
      ],
    },
    {
      name: "unsplittable value",
      line: 'After="llm.network.service',
      expected: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      deepStrictEqual(
        checkDependencyNames([web(c.line), network()]).map((f) => f.remedy),
        c.expected,
      );
    });
  }
});

Deno.test("checkDependencyNames() uses the ServiceName= of the deployment's unit", () => {
  const findings = checkDependencyNames([
    web("Requires=llm.network.service"),
    network({ serviceName: "llm-net.service" }),
  ]);
  deepStrictEqual(findings.map((f) => f.remedy), [
    "Write `Requires=llm-net.service`, or `Requires=llm.network` and let Podman translate it",
  ]);
});

Deno.test("checkDependencyNames() accepts a name that ServiceName= makes real", () => {
  const findings = checkDependencyNames([
    web("Requires=llm.network.service"),
    network({ serviceName: "llm.network.service" }),
  ]);
  deepStrictEqual(findings, []);
});
