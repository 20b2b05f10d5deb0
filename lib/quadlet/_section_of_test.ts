import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { sectionOf } from "./_section_of.ts";
import { QUADLET_KINDS } from "./types.ts";

Deno.test("sectionOf() names the section of every kind", () => {
  assertEquals(
    QUADLET_KINDS.map(sectionOf),
    [
      "Container",
      "Volume",
      "Network",
      "Pod",
      "Kube",
      "Image",
      "Build",
      "Artifact",
    ],
  );
});
