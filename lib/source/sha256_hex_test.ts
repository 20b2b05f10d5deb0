import { strictEqual } from "node:assert/strict";
import { sha256Hex } from "./sha256_hex.ts";

Deno.test("sha256Hex() gives lower-case hex when given the standard test vectors", async () => {
  const cases: [Uint8Array, string][] = [
    [
      new Uint8Array(),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ],
    [
      new TextEncoder().encode("abc"),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    ],
    [
      new Uint8Array(8).subarray(2, 5),
      "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c",
    ],
  ];
  for (const [bytes, hex] of cases) strictEqual(await sha256Hex(bytes), hex);
});
