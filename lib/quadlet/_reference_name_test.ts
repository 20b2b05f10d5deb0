import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { referenceNameOf } from "./_reference_name.ts";

Deno.test("referenceNameOf() names a referenced unit as Podman's unitsInfoMap does", () => {
  const cases: ReadonlyArray<[string, string | null, string | null]> = [
    ["basic.container", "[Container]\nImage=x\n", "systemd-basic"],
    ["name.container", "[Container]\nContainerName=foobar\n", "foobar"],
    ["app@.container", "[Container]\nImage=x\n", null],
    ["basic.volume", null, "systemd-basic"],
    ["name.volume", "[Volume]\nVolumeName=test-volume\n", "test-volume"],
    ["basic.network", null, "systemd-basic"],
    ["basic.pod", "[Pod]\nPodName=p\n", "p"],
    [
      "basic.image",
      "[Image]\nImage=localhost/imagename\n",
      "localhost/imagename",
    ],
    [
      "tag.image",
      "[Image]\nImage=quay.io/x\nImageTag=localhost/tag\n",
      "localhost/tag",
    ],
    ["basic.image", null, null],
    ["basic.image", "[Image]\n", null],
    [
      "multi.build",
      "[Build]\nImageTag=localhost/a:v1\nImageTag=localhost/a:v2\n",
      "localhost/a:v1",
    ],
    ["basic.build", null, null],
    ["basic.artifact", "[Artifact]\nArtifact=quay.io/a/b:1\n", "quay.io/a/b:1"],
    ["basic.artifact", null, null],
    ["basic.kube", "[Kube]\nYaml=a.yml\n", null],
    ["notes.txt", null, null],
  ];
  for (const [fileName, text, expected] of cases) {
    const unit = text === null
      ? undefined
      : parseUnit(text, { file: fileName });
    assertEquals(
      referenceNameOf(fileName, unit),
      expected,
      `${fileName} ${text}`,
    );
  }
});
