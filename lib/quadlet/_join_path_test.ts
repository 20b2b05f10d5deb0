import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { joinPath } from "./_join_path.ts";

Deno.test("joinPath() joins and cleans like Go's filepath.Join", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["/srv/app", "./conf", "/srv/app/conf"],
    ["/srv/app", "./src/", "/srv/app/src"],
    ["/srv/app", "../shared//x", "/srv/shared/x"],
    ["/srv/app", ".", "/srv/app"],
    ["/srv/app", ".config", "/srv/app/.config"],
    ["/", "..", "/"],
  ];
  for (const [dir, path, expected] of cases) {
    assertEquals(joinPath(dir, path), expected, path);
  }
});
