import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { resourceNameOf } from "./resource_name.ts";

Deno.test("resourceNameOf() gives Podman's default names", () => {
  const cases: ReadonlyArray<[string, string | null]> = [
    ["web.container", "systemd-web"],
    ["app@.container", "systemd-%p_%i"],
    ["app@blue.container", "systemd-%p_%i"],
    ["data.volume", "systemd-data"],
    ["app.network", "systemd-app"],
    ["app.pod", "systemd-app"],
    ["template-dependency@.volume", "systemd-template-dependency-%i"],
    ["template-dependency@.network", "systemd-template-dependency-%i"],
    // Podman drops the last character of an instance name too.
    ["app@blue.volume", "systemd-app@blu-%i"],
    ["app@.pod", "systemd-app@"],
    ["app.kube", null],
    ["base.image", null],
    ["app.build", null],
    ["model.artifact", null],
  ];
  for (const [fileName, expected] of cases) {
    assertEquals(resourceNameOf(fileName), expected, fileName);
  }
});

Deno.test("resourceNameOf() uses the name keys when set", () => {
  const cases: ReadonlyArray<[string, string, string | null]> = [
    ["name.container", "[Container]\nContainerName=foobar\n", "foobar"],
    [
      "q.container",
      '[Container]\nContainerName="RemoveQuotes"Name"\n',
      'RemoveQuotes"Name',
    ],
    ["web.container", "[Container]\nServiceName=basic\n", "systemd-basic"],
    ["web.container", "[Container]\nContainerName=web-%N\n", "web-web"],
    ["web.container", "[Container]\nContainerName=web-%i\n", "web-%i"],
    ["web.container", "[Container]\nContainerName=\n", "systemd-web"],
    ["name.volume", "[Volume]\nVolumeName=test-volume\n", "test-volume"],
    ["x@.volume", "[Volume]\nVolumeName=vol-%i\n", "vol-%i"],
    ["name.network", "[Network]\nNetworkName=test-network\n", "test-network"],
    ["name.pod", "[Pod]\nPodName=test-pod\n", "test-pod"],
    // A key of another kind's section does not count.
    ["name.pod", "[Container]\nContainerName=x\n", "systemd-name"],
  ];
  for (const [fileName, text, expected] of cases) {
    const unit = parseUnit(text, { file: fileName });
    assertEquals(resourceNameOf(fileName, { unit }), expected, text);
  }
});

Deno.test("resourceNameOf() rejects a file that is no quadlet unit", () => {
  throws(() => resourceNameOf("x.env"), {
    name: "TypeError",
    message: /Cannot name the resource of "x.env"/,
  });
});
