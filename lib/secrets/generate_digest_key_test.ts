import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { generateDigestKey } from "./generate_digest_key.ts";

Deno.test("generateDigestKey() gives 32 random bytes, new each time", () => {
  const keys = Array.from({ length: 8 }, () => generateDigestKey());
  for (const key of keys) strictEqual(key.length, 32);
  deepStrictEqual(new Set(keys.map((k) => k.join(","))).size, 8);
  // 32 random bytes are never all zero in practice; a forgotten fill would be.
  strictEqual(keys.every((k) => k.some((byte) => byte !== 0)), true);
});
