import { LegerError } from "../errors/leger_error.ts";
import { authFilePath, type AuthPathEnv } from "./auth_file_path.ts";
import { isAuthExpired } from "./is_auth_expired.ts";
import { loadAuthState } from "./load_auth_state.ts";
import type { AuthState } from "./parse_auth_state.ts";

/** Options for {@linkcode requireAuthState}. */
export interface RequireAuthStateOptions {
  /**
   * The time to check the expiry at.
   *
   * @default {new Date()}
   */
  now?: Date;
  /**
   * What leger is doing, for the error's first line.
   *
   * @default {"use leger.run"}
   */
  action?: string;
}

/**
 * Loads the leger.run login for a command that needs it, checking locally
 * that it exists and has not expired (without asking leger.run).
 *
 * Requires `--allow-read` for `auth.json`.
 *
 * @param pathEnv The home folder and the environment (to find `auth.json`).
 * @param options The time and the action for errors.
 * @returns The login.
 * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` ("run `leger auth login`")
 * when there is no login, it cannot be read, or it has expired.
 *
 * @example Usage
 * ```ts ignore
 * import { requireAuthState } from "./require_auth_state.ts";
 * const { token, user_uuid } = await requireAuthState({ home: context.home, env: context.env });
 * ```
 */
export async function requireAuthState(
  pathEnv: AuthPathEnv,
  options: RequireAuthStateOptions = {},
): Promise<AuthState> {
  const { now = new Date(), action = "use leger.run" } = options;
  const path = authFilePath(pathEnv);
  const state = await loadAuthState(path);
  if (state === null) {
    throw new LegerError(
      "ERR_LEGER_NOT_AUTHENTICATED",
      `Cannot ${action}: you are not logged in to leger.run (no ${path})`,
      { remedy: "Run `leger auth login`" },
    );
  }
  if (isAuthExpired(state, now)) {
    throw new LegerError(
      "ERR_LEGER_NOT_AUTHENTICATED",
      `Cannot ${action}: the leger.run login of ${state.login_name} expired at ${state.expires_at}`,
      { remedy: "Run `leger auth login`" },
    );
  }
  return state;
}
