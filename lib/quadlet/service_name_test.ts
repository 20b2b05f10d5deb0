import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { serviceNameOf } from "./service_name.ts";

Deno.test("serviceNameOf() names the service by kind when no ServiceName= is set", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ["web.container", "web.service"],
    ["app.kube", "app.service"],
    ["data.volume", "data-volume.service"],
    ["app.network", "app-network.service"],
    ["app.pod", "app-pod.service"],
    ["base.image", "base-image.service"],
    ["app.build", "app-build.service"],
    ["model.artifact", "model-artifact.service"],
    ["llm.network", "llm-network.service"],
    ["openwebui.volume.volume", "openwebui.volume-volume.service"],
    ["deploy/web.container", "web.service"],
  ];
  for (const [fileName, expected] of cases) {
    assertEquals(serviceNameOf(fileName), expected, fileName);
  }
});

Deno.test("serviceNameOf() keeps the @ last for templates and appends to instances", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ["app@.container", "app@.service"],
    ["app@blue.container", "app@blue.service"],
    ["template-dependency@.volume", "template-dependency-volume@.service"],
    ["template-dependency@.network", "template-dependency-network@.service"],
    ["app@.pod", "app-pod@.service"],
    ["app@blue.volume", "app@blue-volume.service"],
  ];
  for (const [fileName, expected] of cases) {
    assertEquals(serviceNameOf(fileName), expected, fileName);
  }
});

Deno.test("serviceNameOf() uses ServiceName= of the kind's section when set", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["web.container", "[Container]\nServiceName=basic\n", "basic.service"],
    ["data.volume", "[Volume]\nServiceName=basic\n", "basic.service"],
    ["data.volume", '[Volume]\nServiceName="quoted"\n', "quoted.service"],
    ["app.network", "[Network]\nServiceName=a\nServiceName=b\n", "b.service"],
    // ServiceName= in another section is not Podman's key.
    ["web.container", "[Service]\nServiceName=basic\n", "web.service"],
    ["app.pod", "[Container]\nServiceName=basic\n", "app-pod.service"],
  ];
  for (const [fileName, text, expected] of cases) {
    const unit = parseUnit(text, { file: fileName });
    assertEquals(serviceNameOf(fileName, { unit }), expected, text);
  }
});

Deno.test("serviceNameOf() rejects a file that is no quadlet unit", () => {
  throws(() => serviceNameOf("web.conf"), {
    name: "TypeError",
    message: /Cannot name the service of "web.conf": it is not a quadlet unit/,
  });
});
