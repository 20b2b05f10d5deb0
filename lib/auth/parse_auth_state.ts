/**
 * The leger.run login leger keeps in `auth.json` (mode 0600). Keys are
 * snake_case, like the contract's.
 */
export interface AuthState {
  /** The bearer token (a JWT). */
  token: string;
  /** `Bearer`. */
  token_type: string;
  /** When the token expires, RFC 3339 in UTC (from the login's `expires_in`). */
  expires_at: string;
  /** The user's leger.run UUID, derived from the Tailscale user id. */
  user_uuid: string;
  /** The Tailscale login name (`alice@github`). */
  login_name: string;
  /** The tailnet's name. */
  tailnet: string;
  /** The machine name leger logged in from. */
  device_hostname: string;
  /** The API the token belongs to (`LEGER_API_URL` at login). */
  api_url: string;
}

const KEYS = [
  "token",
  "token_type",
  "expires_at",
  "user_uuid",
  "login_name",
  "tailnet",
  "device_hostname",
  "api_url",
] as const;

/**
 * Parses the text of `auth.json`.
 *
 * @param text The file's text.
 * @returns The login.
 * @throws {SyntaxError} If `text` is not JSON.
 * @throws {TypeError} If a field is missing, empty or not a string, or
 * `expires_at` is not a date.
 *
 * @example Usage
 * ```ts
 * import { parseAuthState } from "./parse_auth_state.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * const state = parseAuthState(JSON.stringify({
 *   token: "eyJ…", token_type: "Bearer", expires_at: "2026-10-16T12:00:00.000Z",
 *   user_uuid: "f44a09fc-90d1-5f2b-bf2c-7380100ec435", login_name: "alice@github",
 *   tailnet: "alice@github", device_hostname: "workstation", api_url: "https://api.leger.run",
 * }));
 * strictEqual(state.login_name, "alice@github");
 * throws(() => parseAuthState("{}"), TypeError);
 * ```
 */
export function parseAuthState(text: string): AuthState {
  const document: unknown = JSON.parse(text);
  if (
    typeof document !== "object" || document === null || Array.isArray(document)
  ) {
    throw new TypeError("Cannot read auth.json: it is not a JSON object");
  }
  const fields = document as Record<string, unknown>;
  const state: Record<string, string> = {};
  for (const key of KEYS) {
    const value = fields[key];
    if (typeof value !== "string" || value === "") {
      throw new TypeError(
        `Cannot read auth.json: "${key}" is missing or not a string`,
      );
    }
    state[key] = value;
  }
  if (Number.isNaN(Date.parse(state.expires_at))) {
    throw new TypeError(
      `Cannot read auth.json: "expires_at" is not a date: current value is "${state.expires_at}"`,
    );
  }
  return state as unknown as AuthState;
}
