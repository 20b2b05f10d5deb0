import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { parseVolume } from "./parse_volume.ts";
import type { VolumeRef } from "./types.ts";

const SIBLINGS = new Map<string, UnitFile>([
  [
    "service-name.volume",
    parseUnit("[Volume]\nServiceName=basic\nVolumeName=test-volume\n", {
      file: "service-name.volume",
    }),
  ],
]);

type Parsed = Omit<VolumeRef, "flag" | "line" | "file">;

const CASES: ReadonlyArray<[string, Parsed]> = [
  // The Volume= lines of Podman's volume.container, with unitDir /q.
  ["/host/dir:/container/volume", {
    sourceKind: "host",
    source: "/host/dir",
    resolvedSource: "/host/dir",
    unit: null,
    spec: "/host/dir:/container/volume",
  }],
  ["/host/dir2:/container/volume2:Z", {
    sourceKind: "host",
    source: "/host/dir2",
    resolvedSource: "/host/dir2",
    unit: null,
    spec: "/host/dir2:/container/volume2:Z",
  }],
  ["./host/dir3:/container/volume3", {
    sourceKind: "host",
    source: "./host/dir3",
    resolvedSource: "/q/host/dir3",
    unit: null,
    spec: "/q/host/dir3:/container/volume3",
  }],
  ["/container/empty", {
    sourceKind: "none",
    source: null,
    resolvedSource: null,
    unit: null,
    spec: "/container/empty",
  }],
  ["named:/container/named", {
    sourceKind: "named",
    source: "named",
    resolvedSource: "named",
    unit: null,
    spec: "named:/container/named",
  }],
  ["basic.volume:/container/quadlet", {
    sourceKind: "quadlet",
    source: "basic.volume",
    resolvedSource: "systemd-basic",
    unit: "basic.volume",
    spec: "systemd-basic:/container/quadlet",
  }],
  ["%h/container:/container/volume4", {
    sourceKind: "host",
    source: "%h/container",
    resolvedSource: "%h/container",
    unit: null,
    spec: "%h/container:/container/volume4",
  }],
  ["service-name.volume:/container/quadlet", {
    sourceKind: "quadlet",
    source: "service-name.volume",
    resolvedSource: "test-volume",
    unit: "service-name.volume",
    spec: "test-volume:/container/quadlet",
  }],
  ["template-dependency@.volume:/container/quadlet", {
    sourceKind: "quadlet",
    source: "template-dependency@.volume",
    resolvedSource: "systemd-template-dependency-%i",
    unit: "template-dependency@.volume",
    spec: "systemd-template-dependency-%i:/container/quadlet",
  }],
  // Options after the destination keep every further colon.
  ["data:/d:ro:z", {
    sourceKind: "named",
    source: "data",
    resolvedSource: "data",
    unit: null,
    spec: "data:/d:ro:z",
  }],
  // An empty source is dropped with the options, as Podman does.
  [":/d:ro", {
    sourceKind: "none",
    source: null,
    resolvedSource: null,
    unit: null,
    spec: "/d",
  }],
  // Volume= does not resolve .image units.
  ["basic.image:/i", {
    sourceKind: "named",
    source: "basic.image",
    resolvedSource: "basic.image",
    unit: null,
    spec: "basic.image:/i",
  }],
];

Deno.test("parseVolume() gives the -v argument Podman makes of Volume=", () => {
  for (const [value, expected] of CASES) {
    assertEquals(
      parseVolume(value, {
        file: "volume.container",
        line: 9,
        unitDir: "/q",
        siblings: SIBLINGS,
      }),
      { flag: "-v", ...expected, line: 9, file: "volume.container" },
      value,
    );
  }
});

Deno.test("parseVolume() keeps a relative source as written when unitDir is not given", () => {
  assertEquals(parseVolume("./data:/data").spec, "./data:/data");
  assertEquals(parseVolume("./data:/data").resolvedSource, "./data");
});
