/**
 * The offset of the first byte that breaks UTF-8, for error messages
 * (`TextDecoder` with `fatal: true` says only that the text is invalid).
 *
 * @param bytes The bytes to scan.
 * @returns The offset of the first byte of the first invalid sequence, or -1.
 *
 * @example Usage
 * ```ts
 * import { firstInvalidUtf8 } from "./_first_invalid_utf8.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(firstInvalidUtf8(new Uint8Array([0x41, 0xc3, 0xa9, 0xff])), 3);
 * strictEqual(firstInvalidUtf8(new TextEncoder().encode("é€😀")), -1);
 * ```
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // [length, lowest and highest second byte] per lead byte (RFC 3629 §4).
    let length: number, low = 0x80, high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}
