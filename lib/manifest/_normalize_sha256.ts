const SHA256_REGEXP = /^(?:sha256:)?([0-9a-f]{64})$/i;

/**
 * Turns a checksum written as `sha256:<hex>` or bare hex, in any case, into
 * lower-case bare hex.
 *
 * @param text The checksum as a manifest writes it.
 * @returns The 64 lower-case hex digits, or `undefined` when `text` is not a
 * SHA-256 checksum.
 *
 * @example Usage
 * ```ts
 * import { normalizeSha256 } from "./_normalize_sha256.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const hex = "AB".repeat(32);
 * strictEqual(normalizeSha256(`SHA256:${hex}`), "ab".repeat(32));
 * strictEqual(normalizeSha256("md5:0"), undefined);
 * ```
 */
export function normalizeSha256(text: string): string | undefined {
  const match = SHA256_REGEXP.exec(text.trim());
  return match === null ? undefined : match[1].toLowerCase();
}
