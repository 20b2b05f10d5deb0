import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { kindSection } from "./kind_section.ts";
import { QUADLET_KINDS } from "./types.ts";

Deno.test("kindSection() names the section of every kind", () => {
  assertEquals(
    QUADLET_KINDS.map(kindSection),
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
