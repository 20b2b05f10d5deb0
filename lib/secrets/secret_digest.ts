const ENCODER = new TextEncoder();

/**
 * Computes the keyed digest of a secret's value: HMAC-SHA256 (RFC 2104,
 * FIPS 198-1) with the host's key, as lowercase hex.
 *
 * legerd stores this digest in the `io.leger.digest` label of each Podman
 * secret it writes, to tell whether a value changed without keeping a copy
 * of it. It is keyed, never a plain hash: a plain SHA-256 of a short or
 * guessable value (a PIN, a word) in a label anyone can read with
 * `podman secret inspect` could be reversed by trying candidates; without
 * the key it cannot.
 *
 * @param key The per-host key, such as one made by `generateDigestKey()`.
 * @param value The value: text is encoded as UTF-8, bytes are used as they are.
 * @returns The digest: 64 lowercase hex digits.
 * @throws {RangeError} When `key` is empty.
 *
 * @example Usage
 * ```ts
 * import { secretDigest } from "./secret_digest.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * // RFC 4231, test case 2.
 * const key = new TextEncoder().encode("Jefe");
 * strictEqual(
 *   await secretDigest(key, "what do ya want for nothing?"),
 *   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
 * );
 * ```
 */
export async function secretDigest(
  key: Uint8Array<ArrayBuffer>,
  value: string | Uint8Array<ArrayBuffer>,
): Promise<string> {
  if (key.length === 0) {
    throw new RangeError(
      "Cannot compute the digest of a secret: the key is empty (expected the host's key, such as 32 bytes from generateDigestKey())",
    );
  }
  const hmac = await crypto.subtle.importKey(
    "raw",
    key,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const data = typeof value === "string" ? ENCODER.encode(value) : value;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, data));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
}
