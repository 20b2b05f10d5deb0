import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { instanceServiceName } from "./instance_service_name.ts";

Deno.test("instanceServiceName() puts the instance between @ and .service", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["worker@.service", "one", "worker@one.service"],
    ["x-volume@.service", "a", "x-volume@a.service"],
    ["app-pod@.service", "blue", "app-pod@blue.service"],
    ["worker@.service", "with.dot", "worker@with.dot.service"],
  ];
  for (const [template, instance, expected] of cases) {
    assertEquals(instanceServiceName(template, instance), expected);
  }
});

Deno.test("instanceServiceName() rejects a service that is no template, and an empty instance", () => {
  throws(() => instanceServiceName("renamed.service", "one"), {
    name: "TypeError",
    message:
      /Cannot name instance "one" of "renamed.service": it is no template service/,
  });
  throws(() => instanceServiceName("worker@.service", ""), {
    name: "TypeError",
    message:
      /Cannot name an instance of "worker@.service": the instance is empty/,
  });
});
