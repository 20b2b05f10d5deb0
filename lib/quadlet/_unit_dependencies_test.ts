import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { unitDependencies } from "./_unit_dependencies.ts";
import type { UnitRef } from "./types.ts";

function units(files: Record<string, string>): Map<string, UnitFile> {
  return new Map(
    Object.entries(files).map((
      [file, text],
    ) => [file, parseUnit(text, { file })]),
  );
}

const SIBLINGS = units({
  "llm.network": "[Network]\n",
  "db.container": "[Container]\nImage=x\n",
  "custom.volume": "[Volume]\nServiceName=store\n",
});

Deno.test("unitDependencies() lists quadlet files and sibling services of [Unit] keys", () => {
  const cases: ReadonlyArray<[string, Array<Omit<UnitRef, "file">>]> = [
    ["[Unit]\nRequires=db.container\nAfter=db.container\n", [
      { key: "Requires", unit: "db.container", line: 2 },
      { key: "After", unit: "db.container", line: 3 },
    ]],
    [
      "[Unit]\nAfter=basic.build basic.container basic.image basic.kube basic.network basic.pod basic.volume\n",
      [
        "basic.build",
        "basic.container",
        "basic.image",
        "basic.kube",
        "basic.network",
        "basic.pod",
        "basic.volume",
      ].map((unit) => ({ key: "After", unit, line: 2 })),
    ],
    [
      "[Unit]\nRequires=llm-network.service\nWants=store.service\nBindsTo=db.service\n",
      [
        { key: "Requires", unit: "llm.network", line: 2 },
        { key: "Wants", unit: "custom.volume", line: 3 },
        { key: "BindsTo", unit: "db.container", line: 4 },
      ],
    ],
    // Podman names llm.network's service llm-network.service: this is no sibling's.
    [
      "[Unit]\nRequires=llm.network.service\nAfter=network-online.target sshd.service\n",
      [],
    ],
    ['[Unit]\nPropagatesStopTo="db.container"\nAfter=db.container\nAfter=\n', [
      { key: "PropagatesStopTo", unit: "db.container", line: 2 },
    ]],
    ["[Container]\nImage=x\n", []],
  ];
  for (const [text, expected] of cases) {
    const unit = parseUnit(text, { file: "web.container" });
    assertEquals(
      unitDependencies(unit, SIBLINGS),
      expected.map((ref) => ({ ...ref, file: "web.container" })),
      text,
    );
  }
});

Deno.test("unitDependencies() sees siblings added to the map after a first call", () => {
  const siblings = units({ "a.network": "[Network]\n" });
  const unit = parseUnit("[Unit]\nAfter=b-volume.service\n", {
    file: "web.container",
  });
  assertEquals(unitDependencies(unit, siblings), []);
  siblings.set("b.volume", parseUnit("[Volume]\n", { file: "b.volume" }));
  assertEquals(unitDependencies(unit, siblings), [{
    key: "After",
    unit: "b.volume",
    line: 2,
    file: "web.container",
  }]);
});
