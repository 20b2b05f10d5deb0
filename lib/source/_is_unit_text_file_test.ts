import { strictEqual } from "node:assert/strict";
import { isUnitTextFile } from "./_is_unit_text_file.ts";

Deno.test("isUnitTextFile() picks units and drop-ins when given deployment paths", () => {
  const cases: [string, boolean][] = [
    ["web.container", true],
    ["openwebui.volume.volume", true],
    ["sub/x.network", true],
    ["web.container.d/10-limits.conf", true],
    ["container.d/50-common.conf", true],
    ["a/b/web.pod.d/x.conf", true],
    ["nginx.conf", false],
    ["config/nginx.conf", false],
    ["web.container.d/notes.txt", false],
    ["Caddyfile", false],
    [".container", false],
    ["web.env", false],
  ];
  for (const [path, expected] of cases) {
    strictEqual(isUnitTextFile(path), expected, path);
  }
});
