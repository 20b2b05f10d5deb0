import { uuidV5 } from "./uuid_v5.ts";

/** The namespace leger.run derives user UUIDs in (RFC 9562's DNS namespace). */
export const USER_UUID_NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

const USER_ID_REGEXP = /^[0-9]+$/;

/**
 * Derives a user's leger.run UUID from their Tailscale user id, as the
 * leger.run contract defines it: UUIDv5 (SHA-1) of the UTF-8 bytes of the id
 * written in decimal, in the namespace {@linkcode USER_UUID_NAMESPACE}.
 *
 * The id is a string because Tailscale's user ids are 64-bit integers, which a
 * JavaScript number cannot hold exactly above 2^53.
 *
 * @param userId The Tailscale user id (`Self.UserID`) in decimal.
 * @returns The user UUID.
 * @throws {SyntaxError} If `userId` is not a decimal integer.
 *
 * @example Usage
 * ```ts
 * import { deriveUserUuid } from "./derive_user_uuid.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   await deriveUserUuid("9007199254740993"),
 *   "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
 * );
 * ```
 */
export async function deriveUserUuid(userId: string): Promise<string> {
  if (!USER_ID_REGEXP.test(userId)) {
    throw new SyntaxError(
      `Cannot derive a user UUID from Tailscale user id "${userId}": expected a decimal integer`,
    );
  }
  return await uuidV5(userId, USER_UUID_NAMESPACE);
}
