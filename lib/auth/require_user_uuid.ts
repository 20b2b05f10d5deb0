import type { AuthPathEnv } from "./auth_file_path.ts";
import {
  requireAuthState,
  type RequireAuthStateOptions,
} from "./require_auth_state.ts";

/**
 * The logged-in user's leger.run UUID, for commands that use the user's
 * leger.run space (`leger deploy install` without `--source`).
 *
 * Requires `--allow-read` for `auth.json`.
 *
 * @param pathEnv The home folder and the environment (to find `auth.json`).
 * @param options The time and the action for errors.
 * @returns The user UUID.
 * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` ("run `leger auth login`")
 * when there is no valid login.
 *
 * @example Usage
 * ```ts ignore
 * import { requireUserUuid } from "./require_user_uuid.ts";
 * const uuid = await requireUserUuid({ home: context.home, env: context.env }, {
 *   action: "install from leger.run",
 * });
 * ```
 */
export async function requireUserUuid(
  pathEnv: AuthPathEnv,
  options: RequireAuthStateOptions = {},
): Promise<string> {
  return (await requireAuthState(pathEnv, options)).user_uuid;
}
