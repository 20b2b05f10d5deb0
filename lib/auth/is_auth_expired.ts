import type { AuthState } from "./parse_auth_state.ts";

/**
 * Whether a login's token has expired at `now`.
 *
 * @param state The login.
 * @param now The time to check at.
 * @returns `true` once `expires_at` is reached.
 *
 * @example Usage
 * ```ts
 * import { isAuthExpired } from "./is_auth_expired.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const state = { expires_at: "2025-01-01T00:00:00Z" };
 * strictEqual(isAuthExpired(state, new Date("2024-12-31T23:59:59Z")), false);
 * strictEqual(isAuthExpired(state, new Date("2025-01-01T00:00:00Z")), true);
 * ```
 */
export function isAuthExpired(
  state: Pick<AuthState, "expires_at">,
  now: Date,
): boolean {
  return Date.parse(state.expires_at) <= now.getTime();
}
