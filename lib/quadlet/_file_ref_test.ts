import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { fileRef } from "./_file_ref.ts";

const ENTRY = {
  key: "EnvironmentFile",
  value: "",
  line: 4,
  file: "web.container",
};

Deno.test("fileRef() marks relative paths and resolves them against the unit's folder", () => {
  const cases: ReadonlyArray<
    [string, string | undefined, boolean, boolean, string | null]
  > = [
    ["app.env", "/srv/app", true, true, "/srv/app/app.env"],
    ["./env/app.env", "/srv/app", true, true, "/srv/app/env/app.env"],
    ["app.env", undefined, true, true, null],
    ["/etc/app.env", "/srv/app", true, false, "/etc/app.env"],
    ["%h/app.env", "/srv/app", true, false, null],
    ["auth.json", "/srv/app", false, false, null],
    ["/run/auth.json", "/srv/app", false, false, "/run/auth.json"],
  ];
  for (const [path, unitDir, resolves, relative, resolvedPath] of cases) {
    assertEquals(
      fileRef(path, ENTRY, unitDir, resolves),
      {
        key: "EnvironmentFile",
        path,
        relative,
        resolvedPath,
        line: 4,
        file: "web.container",
      },
      path,
    );
  }
});
