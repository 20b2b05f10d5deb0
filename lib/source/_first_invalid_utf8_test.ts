import { strictEqual } from "node:assert/strict";
import { firstInvalidUtf8 } from "./_first_invalid_utf8.ts";

Deno.test("firstInvalidUtf8() finds the first bad byte when the text is not UTF-8", () => {
  const cases: [number[], number][] = [
    [[], -1],
    [[0x41, 0x42], -1],
    [[0xc3, 0xa9], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x41, 0xe9, 0x41], 1],
    [[0xc0, 0x80], 0],
    [[0xe0, 0x80, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0x41, 0xe2, 0x82], 1],
    [[0xff], 0],
  ];
  for (const [bytes, offset] of cases) {
    const array = new Uint8Array(bytes);
    strictEqual(firstInvalidUtf8(array), offset, bytes.join(","));
    let valid = true;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(array);
    } catch {
      valid = false;
    }
    strictEqual(
      valid,
      offset === -1,
      `TextDecoder agrees on ${bytes.join(",")}`,
    );
  }
});
