import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { checkByteOrderMarks } from "./check_byte_order_marks.ts";

const BOM = [0xef, 0xbb, 0xbf];
const encode = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([...BOM, ...encode(text)]);

Deno.test("checkByteOrderMarks() refuses a unit or drop-in that starts with a byte order mark", () => {
  const findings = checkByteOrderMarks([
    { path: "web.container", bytes: withBom("[Container]\nImage=x\n") },
    { path: "web.container.d/10-a.conf", bytes: withBom("[Container]\n") },
    { path: "sub/data.volume", bytes: withBom("[Volume]\n") },
  ]);
  deepStrictEqual(findings.map((f) => [f.code, f.file, f.line]), [
    ["ERR_UNIT_SYNTAX", "web.container", 1],
    ["ERR_UNIT_SYNTAX", "web.container.d/10-a.conf", 1],
    ["ERR_UNIT_SYNTAX", "sub/data.volume", 1],
  ]);
  strictEqual(
    findings[0].message,
    `Cannot parse "web.container": it starts with a byte order mark (BOM), which Podman's quadlet parser rejects`,
  );
  strictEqual(
    findings[0].remedy,
    "Save web.container as UTF-8 without a byte order mark",
  );
});

Deno.test("checkByteOrderMarks() leaves other files, and marks not at the start, alone", () => {
  deepStrictEqual(
    checkByteOrderMarks([
      { path: "index.html", bytes: withBom("<p>hi</p>") },
      { path: "conf/app.conf", bytes: withBom("a=b\n") },
      { path: "web.container", bytes: encode("[Container]\n# \ufeff\n") },
      { path: "db.container", bytes: new Uint8Array([0xef, 0xbb]) },
      { path: "empty.volume", bytes: new Uint8Array() },
    ]),
    [],
  );
});
