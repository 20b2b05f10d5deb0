const DIGEST_KEY_LENGTH = 32;

/**
 * Makes a new per-host key for {@linkcode secretDigest}: 32 bytes from the
 * system's cryptographic random source (`crypto.getRandomValues`).
 *
 * legerd makes one the first time it runs and keeps it in a file of mode
 * 0600; with a new key every digest in Podman's labels stops matching, so
 * every managed secret is replaced once.
 *
 * @returns A fresh key of 32 bytes.
 *
 * @example Usage
 * ```ts
 * import { generateDigestKey } from "./generate_digest_key.ts";
 * import { notDeepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const key = generateDigestKey();
 * strictEqual(key.length, 32);
 * notDeepStrictEqual(key, generateDigestKey());
 * ```
 */
export function generateDigestKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(DIGEST_KEY_LENGTH));
}
