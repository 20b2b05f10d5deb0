import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { quadletKindOf } from "./kind.ts";
import type { QuadletKind } from "./types.ts";

const CASES: ReadonlyArray<[string, QuadletKind | null]> = [
  ["web.container", "container"],
  ["data.volume", "volume"],
  ["app.network", "network"],
  ["app.pod", "pod"],
  ["app.kube", "kube"],
  ["base.image", "image"],
  ["app.build", "build"],
  ["model.artifact", "artifact"],
  ["app@.container", "container"],
  ["app@blue.container", "container"],
  ["web.network.container", "container"],
  ["deploy/web.container", "container"],
  ["web.container.d/10-env.conf", null],
  ["web.env", null],
  ["web.conf", null],
  ["README.md", null],
  ["container", null],
  [".container", null],
  ["dir.volume/readme", null],
  ["web.Container", null],
];

Deno.test("quadletKindOf() tells the kind by the last extension", () => {
  for (const [fileName, expected] of CASES) {
    assertEquals(quadletKindOf(fileName), expected, fileName);
  }
});
