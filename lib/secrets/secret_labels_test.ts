import { deepStrictEqual, throws } from "node:assert/strict";
import { secretLabels } from "./secret_labels.ts";

const D = "0123456789abcdef".repeat(4);

Deno.test("secretLabels() gives the --label arguments, created_at last when given", () => {
  deepStrictEqual(
    secretLabels({
      version: 12,
      digest: D,
      created_at: "2025-03-01T10:00:00.000Z",
    }),
    [
      "--label",
      "io.leger.managed=true",
      "--label",
      "io.leger.version=12",
      "--label",
      `io.leger.digest=${D}`,
      "--label",
      "io.leger.created_at=2025-03-01T10:00:00.000Z",
    ],
  );
});

Deno.test("secretLabels() rejects what the labels could not hold", async (t) => {
  const cases: [string, Parameters<typeof secretLabels>[0], RegExp][] = [
    [
      "version 0",
      { version: 0, digest: D },
      /with version 0: the version must be a positive integer/,
    ],
    ["a fractional version", { version: 1.5, digest: D }, /with version 1.5/],
    ["a NaN version", { version: NaN, digest: D }, /with version NaN/],
    [
      "an uppercase digest",
      { version: 1, digest: D.toUpperCase() },
      /expected 64 lowercase hex digits/,
    ],
    ["a short digest", { version: 1, digest: "abc" }, /with digest "abc"/],
    [
      "an empty created_at",
      { version: 1, digest: D, created_at: "" },
      /with created_at "": expected a time/,
    ],
    ["a line break in created_at", {
      version: 1,
      digest: D,
      created_at: "2025\nx=y",
    }, /with created_at "2025\\nx=y"/],
  ];
  for (const [name, input, message] of cases) {
    await t.step(
      name,
      () => throws(() => secretLabels(input), { name: "RangeError", message }),
    );
  }
});
