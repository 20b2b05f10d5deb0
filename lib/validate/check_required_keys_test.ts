import { deepStrictEqual } from "node:assert/strict";
import { checkRequiredKeys } from "./check_required_keys.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { QuadletKind } from "../quadlet/types.ts";

function codes(
  text: string,
  kind: QuadletKind,
): [string, number | undefined][] {
  const unit = parseUnit(text, { file: `x.${kind}` });
  return checkRequiredKeys(unit, kind).map((f) => [f.code, f.line]);
}

const MISSING = "ERR_UNIT_MISSING_KEY";
const INVALID = "ERR_UNIT_INVALID_VALUE";

Deno.test("checkRequiredKeys() follows Podman's rules for each kind", async (t) => {
  const cases: {
    name: string;
    kind: QuadletKind;
    text: string;
    expected: [string, number | undefined][];
  }[] = [
    {
      name: "container with Image",
      kind: "container",
      text: "[Container]\nImage=nginx\n",
      expected: [],
    },
    {
      name: "container with Image=x.build",
      kind: "container",
      text: "[Container]\nImage=app.build\n",
      expected: [],
    },
    {
      name: "container with Rootfs",
      kind: "container",
      text: "[Container]\nRootfs=/srv/root\n",
      expected: [],
    },
    {
      name: "container without image",
      kind: "container",
      text: "[Unit]\n[Container]\nExec=true\n",
      expected: [[MISSING, 2]],
    },
    {
      name: "container with empty Image",
      kind: "container",
      text: '[Container]\nImage=""\n',
      expected: [[MISSING, 1]],
    },
    {
      name: "container without section",
      kind: "container",
      text: "[Unit]\nDescription=x\n",
      expected: [[MISSING, undefined]],
    },
    {
      name: "container with Image and Rootfs",
      kind: "container",
      text: "[Container]\nImage=a\nRootfs=/r\n",
      expected: [[INVALID, 3]],
    },
    {
      name: "kube with Yaml",
      kind: "kube",
      text: "[Kube]\nYaml=pod.yaml\n",
      expected: [],
    },
    {
      name: "kube with Yaml reset",
      kind: "kube",
      text: "[Kube]\nYaml=pod.yaml\nYaml=\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "image without Image",
      kind: "image",
      text: "[Image]\nArch=arm64\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "artifact",
      kind: "artifact",
      text: "[Artifact]\nArtifact=quay.io/a/b:1\n",
      expected: [],
    },
    {
      name: "artifact without Artifact",
      kind: "artifact",
      text: "[Artifact]\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "volume with image driver",
      kind: "volume",
      text: "[Volume]\nDriver=image\nImage=x\n",
      expected: [],
    },
    {
      name: "volume with image driver, no Image",
      kind: "volume",
      text: "[Volume]\nDriver=image\n",
      expected: [[MISSING, 1]],
    },
    { name: "plain volume", kind: "volume", text: "[Volume]\n", expected: [] },
    { name: "network", kind: "network", text: "[Network]\n", expected: [] },
    { name: "pod", kind: "pod", text: "[Pod]\n", expected: [] },
  ];
  for (const c of cases) {
    await t.step(
      c.name,
      () => deepStrictEqual(codes(c.text, c.kind), c.expected),
    );
  }
});

Deno.test("checkRequiredKeys() follows Podman's ImageTag=, File= and working folder rules for .build", async (t) => {
  const cases: {
    name: string;
    text: string;
    expected: [string, number | undefined][];
  }[] = [
    {
      name: "File and SetWorkingDirectory=unit",
      text:
        "[Build]\nImageTag=a\nFile=Containerfile\nSetWorkingDirectory=unit\n",
      expected: [],
    },
    {
      name: "context path",
      text: "[Build]\nImageTag=a\nSetWorkingDirectory=/srv/ctx\n",
      expected: [],
    },
    {
      name: "context URL",
      text:
        "[Build]\nImageTag=a\nSetWorkingDirectory=https://github.com/x/y.git\n",
      expected: [],
    },
    {
      name: "absolute File",
      text: "[Build]\nImageTag=a\nFile=/srv/Containerfile\n",
      expected: [],
    },
    {
      name: "URL File",
      text: "[Build]\nImageTag=a\nFile=https://example.com/Containerfile\n",
      expected: [],
    },
    {
      name: "specifier File",
      text: "[Build]\nImageTag=a\nFile=%h/Containerfile\n",
      expected: [],
    },
    {
      name: "Service WorkingDirectory",
      text:
        "[Build]\nImageTag=a\nFile=Containerfile\n[Service]\nWorkingDirectory=/srv\n",
      expected: [],
    },
    {
      name: "no ImageTag",
      text: "[Build]\nSetWorkingDirectory=unit\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "ImageTag reset",
      text: "[Build]\nImageTag=a\nImageTag=\nSetWorkingDirectory=unit\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "neither File nor SetWorkingDirectory",
      text: "[Build]\nImageTag=a\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "relative File alone",
      text: "[Build]\nImageTag=a\nFile=Containerfile\n",
      expected: [[MISSING, 3]],
    },
    {
      name: "SetWorkingDirectory=file without File",
      text: "[Build]\nImageTag=a\nSetWorkingDirectory=file\n",
      expected: [[MISSING, 1]],
    },
    {
      name: "SetWorkingDirectory=file with empty File",
      text: "[Build]\nImageTag=a\nSetWorkingDirectory=file\nFile=\n",
      expected: [[MISSING, 1]],
    },
  ];
  for (const c of cases) {
    await t.step(
      c.name,
      () => deepStrictEqual(codes(c.text, "build"), c.expected),
    );
  }
});

Deno.test("checkRequiredKeys() says what is missing and how to add it", () => {
  const unit = parseUnit("[Container]\nExec=true\n", { file: "web.container" });
  deepStrictEqual(checkRequiredKeys(unit, "container"), [{
    code: MISSING,
    message:
      'Cannot convert "web.container": neither Image= nor Rootfs= is set in [Container]',
    file: "web.container",
    line: 1,
    remedy:
      "Add `Image=` with the image to run (a registry reference, or an .image or .build unit of the deployment)",
  }]);
});
