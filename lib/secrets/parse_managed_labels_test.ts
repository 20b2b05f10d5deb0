import { deepStrictEqual } from "node:assert/strict";
import { secretLabels } from "./secret_labels.ts";
import { parseManagedLabels } from "./parse_managed_labels.ts";

const D = "0123456789abcdef".repeat(4);

Deno.test("parseManagedLabels() reads what secretLabels() writes", () => {
  const args = secretLabels({
    version: 7,
    digest: D,
    created_at: "2025-03-01T10:00:00Z",
  });
  const labels = Object.fromEntries(
    args.filter((_, i) => i % 2 === 1).map((
      kv,
    ) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
  deepStrictEqual(parseManagedLabels(labels), {
    version: 7,
    digest: D,
    created_at: "2025-03-01T10:00:00Z",
  });
});

Deno.test("parseManagedLabels() cases", async (t) => {
  const cases: [
    string,
    Record<string, string> | null | undefined,
    ReturnType<typeof parseManagedLabels>,
  ][] = [
    ["no labels (null)", null, null],
    ["no labels (undefined)", undefined, null],
    ["empty labels", {}, null],
    ["other labels only", { owner: "me", "io.leger.version": "1" }, null],
    [
      "managed=false",
      { "io.leger.managed": "false", "io.leger.digest": D },
      null,
    ],
    ["managed=TRUE is not exactly true", { "io.leger.managed": "TRUE" }, null],
    ["managed=1", { "io.leger.managed": "1" }, null],
    ["managed, nothing else", { "io.leger.managed": "true" }, {
      version: null,
      digest: null,
      created_at: null,
    }],
    [
      "managed, all labels",
      {
        "io.leger.managed": "true",
        "io.leger.version": "3",
        "io.leger.digest": D,
        "io.leger.created_at": "t",
      },
      { version: 3, digest: D, created_at: "t" },
    ],
    [
      "a malformed version and digest are null",
      {
        "io.leger.managed": "true",
        "io.leger.version": "03",
        "io.leger.digest": D.toUpperCase(),
      },
      { version: null, digest: null, created_at: null },
    ],
    [
      "a negative or non-numeric version is null",
      { "io.leger.managed": "true", "io.leger.version": "-1" },
      { version: null, digest: null, created_at: null },
    ],
    [
      "an empty created_at is null",
      {
        "io.leger.managed": "true",
        "io.leger.version": "1",
        "io.leger.created_at": "",
      },
      { version: 1, digest: null, created_at: null },
    ],
  ];
  for (const [name, labels, expected] of cases) {
    await t.step(
      name,
      () => deepStrictEqual(parseManagedLabels(labels), expected),
    );
  }
});

Deno.test("parseManagedLabels() ignores inherited keys", () => {
  const inherited = Object.create({ "io.leger.managed": "true" }) as Record<
    string,
    string
  >;
  deepStrictEqual(parseManagedLabels(inherited), null);
});
