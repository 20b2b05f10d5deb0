import { notStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { secretDigest } from "./secret_digest.ts";

function hex(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(text.match(/../g)!.map((pair) => parseInt(pair, 16)));
}
function bytes(length: number, byte: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).fill(byte);
}
const text = (s: string) => new TextEncoder().encode(s);

// RFC 4231 section 4, HMAC-SHA-256 (test case 5 is truncated output and is
// checked on the first 128 bits).
const RFC_4231: [
  string,
  Uint8Array<ArrayBuffer>,
  Uint8Array<ArrayBuffer> | string,
  string,
][] = [
  [
    "test case 1",
    bytes(20, 0x0b),
    "Hi There",
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  ],
  [
    "test case 2",
    text("Jefe"),
    "what do ya want for nothing?",
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  ],
  [
    "test case 3",
    bytes(20, 0xaa),
    bytes(50, 0xdd),
    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
  ],
  [
    "test case 4",
    hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
    bytes(50, 0xcd),
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
  ],
  [
    "test case 6",
    bytes(131, 0xaa),
    "Test Using Larger Than Block-Size Key - Hash Key First",
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  ],
  [
    "test case 7",
    bytes(131, 0xaa),
    "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

Deno.test("secretDigest() matches the RFC 4231 HMAC-SHA256 test vectors", async (t) => {
  for (const [name, key, value, expected] of RFC_4231) {
    await t.step(name, async () => {
      strictEqual(await secretDigest(key, value), expected);
    });
  }
  await t.step("test case 5 (truncated to 128 bits)", async () => {
    const digest = await secretDigest(bytes(20, 0x0c), "Test With Truncation");
    strictEqual(digest.slice(0, 32), "a3b6167473100ee06e0c796c2955552b");
  });
});

Deno.test("secretDigest() encodes text as UTF-8, the same as its bytes", async () => {
  const key = bytes(32, 1);
  strictEqual(
    await secretDigest(key, "pässwörd"),
    await secretDigest(key, text("pässwörd")),
  );
});

Deno.test("secretDigest() is keyed: another key gives another digest, never the plain SHA-256", async () => {
  const value = "s3cret";
  const a = await secretDigest(bytes(32, 1), value);
  const b = await secretDigest(bytes(32, 2), value);
  notStrictEqual(a, b);
  const plain = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", text(value))),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
  notStrictEqual(a, plain);
  notStrictEqual(b, plain);
});

Deno.test("secretDigest() gives 64 lowercase hex digits, for an empty value too", async () => {
  const digest = await secretDigest(bytes(32, 9), "");
  strictEqual(/^[0-9a-f]{64}$/.test(digest), true);
});

Deno.test("secretDigest() rejects an empty key", async () => {
  await rejects(secretDigest(new Uint8Array(0), "x"), {
    name: "RangeError",
    message: /Cannot compute the digest of a secret: the key is empty/,
  });
});
