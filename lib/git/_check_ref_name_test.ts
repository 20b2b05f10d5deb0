import { strictEqual, throws } from "node:assert/strict";
import { checkRefName } from "./_check_ref_name.ts";

Deno.test("checkRefName() accepts branch, tag and commit names", () => {
  for (
    const ref of ["main", "feature/x", "v1.2.3", "release-2025", "a".repeat(40)]
  ) {
    strictEqual(checkRefName(ref, "https://host/r.git"), ref);
  }
});

Deno.test("checkRefName() refuses names git cannot have", async (t) => {
  for (
    const ref of [
      "",
      "-x",
      "a..b",
      "a b",
      "a~1",
      "a^",
      "a:b",
      "a?",
      "a*",
      "a[",
      "a\\b",
      "/a",
      "a/",
      "a//b",
      "a/.b",
      ".a",
      "a.",
      "a.lock",
      "a@{1}",
      "@",
      "a\x01",
    ]
  ) {
    await t.step(JSON.stringify(ref), () => {
      throws(() => checkRefName(ref, "https://host/r.git#x"), {
        name: "LegerError",
        message: /is not a valid branch, tag or commit name/,
      });
    });
  }
});
