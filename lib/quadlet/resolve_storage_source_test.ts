import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import {
  type ResolvedStorageSource,
  resolveStorageSource,
  type ResolveStorageSourceOptions,
} from "./resolve_storage_source.ts";

const SIBLINGS = new Map<string, UnitFile>([
  [
    "name.volume",
    parseUnit("[Volume]\nVolumeName=test-volume\n", { file: "name.volume" }),
  ],
  [
    "basic.image",
    parseUnit("[Image]\nImage=localhost/imagename\n", { file: "basic.image" }),
  ],
  [
    "basic.artifact",
    parseUnit("[Artifact]\nArtifact=quay.io/a:1\n", { file: "basic.artifact" }),
  ],
]);
const DIR = "/srv/app";

Deno.test("resolveStorageSource() resolves sources as Podman's handleStorageSource does", () => {
  const cases: ReadonlyArray<
    [string, ResolveStorageSourceOptions, ResolvedStorageSource]
  > = [
    ["/host/dir", {}, {
      sourceKind: "host",
      resolved: "/host/dir",
      unit: null,
      relative: false,
    }],
    ["./host/dir3", { unitDir: DIR }, {
      sourceKind: "host",
      resolved: "/srv/app/host/dir3",
      unit: null,
      relative: true,
    }],
    ["./src/", { unitDir: DIR }, {
      sourceKind: "host",
      resolved: "/srv/app/src",
      unit: null,
      relative: true,
    }],
    ["../shared", { unitDir: DIR }, {
      sourceKind: "host",
      resolved: "/srv/shared",
      unit: null,
      relative: true,
    }],
    [".config", { unitDir: DIR }, {
      sourceKind: "host",
      resolved: "/srv/app/.config",
      unit: null,
      relative: true,
    }],
    ["./host/dir3", {}, {
      sourceKind: "host",
      resolved: "./host/dir3",
      unit: null,
      relative: true,
    }],
    ["%h/container", {}, {
      sourceKind: "host",
      resolved: "%h/container",
      unit: null,
      relative: false,
    }],
    ["named", {}, {
      sourceKind: "named",
      resolved: "named",
      unit: null,
      relative: false,
    }],
    ["%i", {}, {
      sourceKind: "named",
      resolved: "%i",
      unit: null,
      relative: false,
    }],
    ["basic.volume", {}, {
      sourceKind: "quadlet",
      resolved: "systemd-basic",
      unit: "basic.volume",
      relative: false,
    }],
    ["name.volume", { siblings: SIBLINGS }, {
      sourceKind: "quadlet",
      resolved: "test-volume",
      unit: "name.volume",
      relative: false,
    }],
    ["x@.volume", {}, {
      sourceKind: "quadlet",
      resolved: "systemd-x-%i",
      unit: "x@.volume",
      relative: false,
    }],
    ["basic.artifact", { siblings: SIBLINGS }, {
      sourceKind: "quadlet",
      resolved: "quay.io/a:1",
      unit: "basic.artifact",
      relative: false,
    }],
    ["gone.artifact", {}, {
      sourceKind: "quadlet",
      resolved: null,
      unit: "gone.artifact",
      relative: false,
    }],
    // Volume= does not resolve .image; Mount= does.
    ["basic.image", { siblings: SIBLINGS }, {
      sourceKind: "named",
      resolved: "basic.image",
      unit: null,
      relative: false,
    }],
    ["basic.image", { siblings: SIBLINGS, checkImage: true }, {
      sourceKind: "quadlet",
      resolved: "localhost/imagename",
      unit: "basic.image",
      relative: false,
    }],
  ];
  for (const [source, options, expected] of cases) {
    assertEquals(resolveStorageSource(source, options), expected, source);
  }
});
