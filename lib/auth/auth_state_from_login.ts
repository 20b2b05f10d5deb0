import { LegerError } from "../errors/leger_error.ts";
import type { AuthCliAnswer } from "../api/types.ts";
import type { TailscaleIdentity } from "../tailscale/tailscale_identity.ts";
import type { AuthState } from "./parse_auth_state.ts";

/** What {@linkcode authStateFromLogin} needs besides the answer. */
export interface AuthStateFromLoginOptions {
  /** The identity leger logged in with. */
  identity: TailscaleIdentity;
  /** The user UUID leger derived from `identity.userId`. */
  userUuid: string;
  /** The API's base URL. */
  apiUrl: string;
  /** The time of the answer. */
  now: Date;
}

/**
 * Makes the login to store from `POST /auth/cli`'s answer, after checking
 * that leger.run's `user_uuid` equals the one leger derives itself, as the
 * contract requires.
 *
 * @param answer The answer's payload.
 * @param options The identity, derived UUID, API URL and time.
 * @returns The login for `auth.json`.
 * @throws {LegerError} `ERR_USER_UUID_MISMATCH` when the UUIDs differ.
 *
 * @example Usage
 * ```ts
 * import { authStateFromLogin } from "./auth_state_from_login.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const state = authStateFromLogin(
 *   { token: "t", token_type: "Bearer", expires_in: 60, user_uuid: "u",
 *     user: { tailscale_email: null, display_name: null } },
 *   {
 *     identity: { userId: "1", loginName: "a@github", deviceId: "100.64.0.1",
 *       deviceHostname: "box", tailnet: "a@github" },
 *     userUuid: "u", apiUrl: "https://api.leger.run", now: new Date("2025-01-01T00:00:00Z"),
 *   },
 * );
 * strictEqual(state.expires_at, "2025-01-01T00:01:00.000Z");
 * ```
 */
export function authStateFromLogin(
  answer: AuthCliAnswer,
  options: AuthStateFromLoginOptions,
): AuthState {
  const { identity, userUuid, apiUrl, now } = options;
  if (answer.user_uuid.toLowerCase() !== userUuid) {
    throw new LegerError(
      "ERR_USER_UUID_MISMATCH",
      `Cannot log in to leger.run: it answered user UUID "${answer.user_uuid}", but Tailscale user ${identity.userId} is "${userUuid}"`,
      {
        details: [`expected: ${userUuid}`, `actual:   ${answer.user_uuid}`],
        remedy:
          "Nothing was saved. Check that LEGER_API_URL points at leger.run, and report this to leger.run if it does",
      },
    );
  }
  return {
    token: answer.token,
    token_type: answer.token_type,
    expires_at: new Date(now.getTime() + answer.expires_in * 1000)
      .toISOString(),
    user_uuid: userUuid,
    login_name: identity.loginName,
    tailnet: identity.tailnet,
    device_hostname: identity.deviceHostname,
    api_url: apiUrl,
  };
}
