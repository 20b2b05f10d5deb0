const UUID_REGEXP =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Computes a name-based UUID, version 5 (RFC 9562 §5.5): the SHA-1 hash of the
 * namespace's 16 bytes followed by the UTF-8 bytes of `name`, truncated to 16
 * bytes, with the version and variant bits set.
 *
 * @param name The name, hashed as UTF-8.
 * @param namespace The namespace UUID, such as the DNS namespace
 * `6ba7b810-9dad-11d1-80b4-00c04fd430c8`.
 * @returns The UUID in lowercase, hyphenated form.
 * @throws {SyntaxError} If `namespace` is not a UUID.
 *
 * @example Usage
 * ```ts
 * import { uuidV5 } from "./uuid_v5.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * // RFC 9562 Appendix A.4: "www.example.com" in the DNS namespace.
 * strictEqual(
 *   await uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
 *   "2ed6657d-e927-568b-95e1-2665a8aea6a2",
 * );
 * ```
 */
export async function uuidV5(name: string, namespace: string): Promise<string> {
  if (!UUID_REGEXP.test(namespace)) {
    throw new SyntaxError(
      `Cannot compute a UUIDv5 in namespace "${namespace}": it is not a UUID`,
    );
  }
  const namespaceBytes = hexToBytes(namespace.replaceAll("-", ""));
  const nameBytes = new TextEncoder().encode(name);
  const data = new Uint8Array(namespaceBytes.length + nameBytes.length);
  data.set(namespaceBytes);
  data.set(nameBytes, namespaceBytes.length);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", data));
  const bytes = hash.slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx (RFC 9562)
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${
    hex.slice(16, 20)
  }-${hex.slice(20)}`;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}
