import { strictEqual } from "node:assert/strict";
import { checkBareFileName } from "./check_bare_file_name.ts";

Deno.test("checkBareFileName() accepts a bare name when it is one path component", () => {
  const safe = [
    "web.container",
    "openwebui.volume.volume",
    "litellm.yaml",
    "Caddyfile",
    ".leger.yaml",
    "a.b.c",
    "dash-and_underscore.env",
    "ünïcödé.container",
    "x".repeat(255),
  ];
  for (const name of safe) {
    strictEqual(checkBareFileName(name), undefined, name);
  }
});

Deno.test("checkBareFileName() says why when the name could leave or hide", () => {
  const cases: [string, string][] = [
    ["", "is empty"],
    ["../etc/passwd", 'contains "/"'],
    ["a/b.container", 'contains "/"'],
    ["/etc/passwd", 'contains "/"'],
    ["..", 'contains ".."'],
    ["a..b", 'contains ".."'],
    [".", 'starts with "."'],
    [".env", 'starts with "."'],
    [".leger.yml", 'starts with "."'],
    ["a\\b", 'contains "\\"'],
    ["web\0.container", "contains a NUL character"],
    ["web\n.container", "contains a control character"],
    ["web\x7f", "contains a control character"],
    ["x".repeat(256), "is longer than 255 bytes"],
    ["é".repeat(128), "is longer than 255 bytes"],
  ];
  for (const [name, reason] of cases) {
    strictEqual(checkBareFileName(name), reason, JSON.stringify(name));
  }
});
