import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { parseMount } from "./parse_mount.ts";
import type { VolumeRef } from "./types.ts";

const SIBLINGS = new Map<string, UnitFile>([
  [
    "basic.image",
    parseUnit("[Image]\nImage=localhost/imagename\n", { file: "basic.image" }),
  ],
  [
    "basic.artifact",
    parseUnit(
      "[Artifact]\nArtifact=quay.io/libpod/testartifact:20250206-single\n",
      {
        file: "basic.artifact",
      },
    ),
  ],
  [
    "service-name.volume",
    parseUnit("[Volume]\nVolumeName=test-volume\n", {
      file: "service-name.volume",
    }),
  ],
]);

type Parsed = Pick<
  VolumeRef,
  "sourceKind" | "source" | "resolvedSource" | "unit" | "spec"
>;

const CASES: ReadonlyArray<[string, Parsed]> = [
  // The Mount= words of Podman's mount.container, with unitDir /q.
  ["type=bind,source=/path/on/host,destination=/path/in/container", {
    sourceKind: "host",
    source: "/path/on/host",
    resolvedSource: "/path/on/host",
    unit: null,
    spec: "type=bind,source=/path/on/host,destination=/path/in/container",
  }],
  ["type=bind,src=/path/on/host with spaces,dst=/path", {
    sourceKind: "host",
    source: "/path/on/host with spaces",
    resolvedSource: "/path/on/host with spaces",
    unit: null,
    spec: "type=bind,source=/path/on/host with spaces,dst=/path",
  }],
  ["type=bind,src=/path/on/host,dst=/path/in/container,relabel=shared,U=true", {
    sourceKind: "host",
    source: "/path/on/host",
    resolvedSource: "/path/on/host",
    unit: null,
    spec:
      "type=bind,source=/path/on/host,dst=/path/in/container,relabel=shared,U=true",
  }],
  ["type=volume,source=vol1,destination=/path/in/container,ro=true", {
    sourceKind: "named",
    source: "vol1",
    resolvedSource: "vol1",
    unit: null,
    spec: "type=volume,source=vol1,destination=/path/in/container,ro=true",
  }],
  ["type=volume,source=basic.volume,destination=/path/in/container,ro=true", {
    sourceKind: "quadlet",
    source: "basic.volume",
    resolvedSource: "systemd-basic",
    unit: "basic.volume",
    spec:
      "type=volume,source=systemd-basic,destination=/path/in/container,ro=true",
  }],
  ["type=tmpfs,tmpfs-size=512M,destination=/path/in/container", {
    sourceKind: "none",
    source: null,
    resolvedSource: null,
    unit: null,
    spec: "type=tmpfs,tmpfs-size=512M,destination=/path/in/container",
  }],
  ["type=image,source=fedora,destination=/fedora-image,rw=true", {
    sourceKind: "other",
    source: "fedora",
    resolvedSource: "fedora",
    unit: null,
    spec: "type=image,source=fedora,destination=/fedora-image,rw=true",
  }],
  ["type=image,source=basic.image,destination=/fedora-image,rw=true", {
    sourceKind: "quadlet",
    source: "basic.image",
    resolvedSource: "localhost/imagename",
    unit: "basic.image",
    spec:
      "type=image,source=localhost/imagename,destination=/fedora-image,rw=true",
  }],
  ["type=artifact,source=basic.artifact,destination=/artifacts", {
    sourceKind: "quadlet",
    source: "basic.artifact",
    resolvedSource: "quay.io/libpod/testartifact:20250206-single",
    unit: "basic.artifact",
    spec:
      "type=artifact,source=quay.io/libpod/testartifact:20250206-single,destination=/artifacts",
  }],
  ["type=devpts,destination=/dev/pts", {
    sourceKind: "none",
    source: null,
    resolvedSource: null,
    unit: null,
    spec: "type=devpts,destination=/dev/pts",
  }],
  ["type=bind,source=./path/on/host,destination=/path/in/container", {
    sourceKind: "host",
    source: "./path/on/host",
    resolvedSource: "/q/path/on/host",
    unit: null,
    spec: "type=bind,source=/q/path/on/host,destination=/path/in/container",
  }],
  ["type=volume,source=vol1,destination=/path/in/container,ro", {
    sourceKind: "named",
    source: "vol1",
    resolvedSource: "vol1",
    unit: null,
    spec: "type=volume,source=vol1,destination=/path/in/container,ro",
  }],
  ['type=bind,src=/tmp,"dst=/path,1"', {
    sourceKind: "host",
    source: "/tmp",
    resolvedSource: "/tmp",
    unit: null,
    spec: 'type=bind,source=/tmp,"dst=/path,1"',
  }],
  [
    "type=bind,source=./src/,destination=/dst/,idmap=uids=12-34-1;gids=56-78-1",
    {
      sourceKind: "host",
      source: "./src/",
      resolvedSource: "/q/src",
      unit: null,
      spec:
        "type=bind,source=/q/src,destination=/dst/,idmap=uids=12-34-1;gids=56-78-1",
    },
  ],
  ["type=volume,destination=/path/in/container,ro", {
    sourceKind: "none",
    source: null,
    resolvedSource: null,
    unit: null,
    spec: "type=volume,destination=/path/in/container,ro",
  }],
  // type= moves to the front; the default type is volume.
  ["destination=/d,type=bind,src=/s", {
    sourceKind: "host",
    source: "/s",
    resolvedSource: "/s",
    unit: null,
    spec: "type=bind,destination=/d,source=/s",
  }],
  ["source=service-name.volume,destination=/d", {
    sourceKind: "quadlet",
    source: "service-name.volume",
    resolvedSource: "test-volume",
    unit: "service-name.volume",
    spec: "type=volume,source=test-volume,destination=/d",
  }],
  ["type=artifact,source=missing.artifact,destination=/a", {
    sourceKind: "quadlet",
    source: "missing.artifact",
    resolvedSource: null,
    unit: "missing.artifact",
    spec: "type=artifact,source=missing.artifact,destination=/a",
  }],
];

Deno.test("parseMount() gives the --mount argument Podman makes of Mount=", () => {
  for (const [value, expected] of CASES) {
    assertEquals(
      parseMount(value, {
        file: "mount.container",
        line: 2,
        unitDir: "/q",
        siblings: SIBLINGS,
      }),
      { flag: "--mount", ...expected, line: 2, file: "mount.container" },
      value,
    );
  }
});

const INVALID: ReadonlyArray<[string, RegExp]> = [
  [
    "type=image,destination=/path/in/container,ro",
    /a mount of type image needs a source/,
  ],
  ["type=bind,src=,dst=/x", /a mount of type bind needs a source/],
  ["type=bind,source,dst=/x", /"source" has no value/],
  ['type=bind,src=/a"b,dst=/x', /bare "/],
  ["", /must be one line/],
];

Deno.test("parseMount() rejects words Podman's generator rejects", () => {
  for (const [value, message] of INVALID) {
    throws(() => parseMount(value), { name: "SyntaxError", message }, value);
  }
});
