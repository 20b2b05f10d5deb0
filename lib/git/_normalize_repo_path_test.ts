import { strictEqual, throws } from "node:assert/strict";
import { normalizeRepoPath } from "./_normalize_repo_path.ts";

Deno.test("normalizeRepoPath() drops extra slashes", () => {
  for (
    const [input, expected] of [
      ["apps/web", "apps/web"],
      ["/apps//web/", "apps/web"],
      ["", ""],
      ["/", ""],
      ["my app/.config", "my app/.config"],
    ]
  ) {
    strictEqual(normalizeRepoPath(input, "https://host/r"), expected);
  }
});

Deno.test("normalizeRepoPath() refuses . and .. segments and control characters", () => {
  for (const input of ["..", "a/../b", "./a", "a/.", "a\nb"]) {
    throws(() => normalizeRepoPath(input, "https://host/r"), {
      name: "LegerError",
      message: /it must be a plain path inside the repository/,
    });
  }
});
