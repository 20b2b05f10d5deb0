import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import { type ResolvedImage, resolveImage } from "./resolve_image.ts";

const SIBLINGS = new Map<string, UnitFile>([
  [
    "basic.image",
    parseUnit("[Image]\nImage=localhost/imagename\n", { file: "basic.image" }),
  ],
  [
    "basic.build",
    parseUnit("[Build]\nImageTag=localhost/built\n", { file: "basic.build" }),
  ],
]);

Deno.test("resolveImage() resolves .image and .build references through the siblings", () => {
  const cases: ReadonlyArray<[string, ResolvedImage]> = [
    ["localhost/imagename", { image: "localhost/imagename", unit: null }],
    ["docker.io/library/nginx:1.27", {
      image: "docker.io/library/nginx:1.27",
      unit: null,
    }],
    ["basic.image", { image: "localhost/imagename", unit: "basic.image" }],
    ["basic.build", { image: "localhost/built", unit: "basic.build" }],
    ["missing.image", { image: null, unit: "missing.image" }],
    ["missing.build", { image: null, unit: "missing.build" }],
  ];
  for (const [value, expected] of cases) {
    assertEquals(resolveImage(value, { siblings: SIBLINGS }), expected, value);
  }
});
