import { strictEqual } from "node:assert/strict";
import { closestName } from "./closest_name.ts";

Deno.test("closestName() suggests the nearest candidate when one is close enough", () => {
  const keys = [
    "ContainerName",
    "Environment",
    "Exec",
    "Image",
    "PublishPort",
    "Volume",
    "User",
  ];
  const cases: [string, string | undefined][] = [
    ["PublishPorts", "PublishPort"],
    ["publishport", "PublishPort"],
    ["Enviroment", "Environment"],
    ["ContainerNmae", "ContainerName"],
    ["Volumes", "Volume"],
    ["Imag", "Image"],
    ["Exce", "Exec"],
    ["Restart", undefined],
    ["Ports", undefined],
    ["Usr", "User"],
  ];
  for (const [name, expected] of cases) {
    strictEqual(closestName(name, keys), expected, name);
  }
});

Deno.test("closestName() prefers the first of equally close candidates", () => {
  strictEqual(closestName("ab", ["ac", "ad"]), "ac");
});

Deno.test("closestName() never suggests the name itself", () => {
  strictEqual(closestName("Image", ["Image"]), undefined);
});
