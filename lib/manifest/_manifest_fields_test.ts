import { strictEqual, throws } from "node:assert/strict";
import { ManifestFields } from "./_manifest_fields.ts";

Deno.test("ManifestFields.lineOf() falls back to the nearest located ancestor when a field has no line", () => {
  const lines: Record<string, number> = {
    "": 1,
    services: 2,
    "services[1]": 7,
  };
  const fields = new ManifestFields(
    "m.json",
    (path) => lines[path] === undefined ? undefined : { line: lines[path] },
  );
  const cases: [string, number][] = [
    ["services[1].ports[0]", 7],
    ["services[1]", 7],
    ["services[3].name", 2],
    ["volumes[0].name", 1],
    ["", 1],
  ];
  for (const [path, line] of cases) {
    strictEqual(fields.lineOf(path), line, path);
  }
});

Deno.test("ManifestFields.lineOf() gives no line when nothing is located", () => {
  const fields = new ManifestFields("m.json");
  for (const path of ["a", "a.b", "a[0].b", ""]) {
    strictEqual(fields.lineOf(path), undefined, path);
  }
  throws(() => fields.requiredString({}, "name", "services[0]"), {
    code: "ERR_MANIFEST_INVALID",
    line: undefined,
    message: "Cannot read m.json: services[0].name is missing",
  });
});
