import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { SUPPORTED_KEYS } from "./supported_keys.ts";

Deno.test("SUPPORTED_KEYS holds the sizes of Podman 5.8's key lists", () => {
  const sizes = Object.fromEntries(
    Object.entries(SUPPORTED_KEYS).map(([s, keys]) => [s, keys.size]),
  );
  deepStrictEqual(sizes, {
    Container: 94,
    Volume: 16,
    Network: 18,
    Pod: 29,
    Kube: 19,
    Image: 18,
    Build: 28,
    Artifact: 13,
    Quadlet: 1,
  });
});

Deno.test("SUPPORTED_KEYS leaves out keys Podman added after 5.8", () => {
  for (
    const key of [
      "ImageVolume",
      "SocketActivationPort",
      "SocketActivationPortOptions",
      "Umask",
    ]
  ) {
    strictEqual(SUPPORTED_KEYS.Container.has(key), false, key);
    strictEqual(SUPPORTED_KEYS.Pod.has(key), false, key);
  }
});

Deno.test("SUPPORTED_KEYS has ServiceName=, GlobalArgs=, PodmanArgs= in every kind's section", () => {
  for (const [section, keys] of Object.entries(SUPPORTED_KEYS)) {
    if (section === "Quadlet") continue;
    for (
      const key of [
        "ServiceName",
        "GlobalArgs",
        "PodmanArgs",
        "ContainersConfModule",
      ]
    ) {
      strictEqual(keys.has(key), true, `${section} ${key}`);
    }
  }
});
