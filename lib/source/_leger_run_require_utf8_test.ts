import { throws } from "node:assert/strict";
import { requireUtf8 } from "./_leger_run_require_utf8.ts";

const URL_ = "https://static.leger.run/u/v1/";

Deno.test("requireUtf8() refuses a unit that is not UTF-8 and lets other files pass", async (t) => {
  const bad = new Uint8Array([0x5b, 0x0a, 0x41, 0xc3, 0x28]);
  const cases: [string, Uint8Array, boolean][] = [
    ["web.container", bad, true],
    ["web.container.d/10-x.conf", bad, true],
    ["Caddyfile", bad, false],
    ["web.env", bad, false],
    ["web.container", new TextEncoder().encode("[Container]\n€\n"), false],
  ];
  for (const [path, bytes, refused] of cases) {
    await t.step(`${path} ${refused ? "refused" : "accepted"}`, () => {
      const check = () => requireUtf8(path, bytes, URL_ + path);
      if (refused) {
        throws(check, {
          code: "ERR_NOT_UTF8",
          file: path,
          line: 2,
          message:
            `Cannot read "${path}" from ${URL_}${path}: it is not valid UTF-8 text (byte 3 at line 2)`,
        });
      } else check();
    });
  }
});
