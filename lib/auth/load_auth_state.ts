import { fromSystemError } from "../errors/from_system_error.ts";
import { LegerError } from "../errors/leger_error.ts";
import { type AuthState, parseAuthState } from "./parse_auth_state.ts";

/**
 * Reads the leger.run login from `auth.json`.
 *
 * Requires `--allow-read` for the file.
 *
 * @param path The file (see `authFilePath`).
 * @returns The login, or `null` when there is no file (not logged in).
 * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` naming the file and
 * the field when it cannot be parsed, with the remedy to log in again;
 * `ERR_PERMISSION_DENIED` (or another code of `fromSystemError()`) when it
 * cannot be read.
 *
 * @example Usage
 * ```ts ignore
 * import { loadAuthState } from "./load_auth_state.ts";
 * import { authFilePath } from "./auth_file_path.ts";
 *
 * const state = await loadAuthState(authFilePath({ home: "/home/a", env: () => undefined }));
 * ```
 */
export async function loadAuthState(path: string): Promise<AuthState | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    // Logging in again would not help a file leger may not read.
    throw fromSystemError(error, {
      action: "read the leger.run login from",
      path,
    }) ?? unreadable(path, error);
  }
  try {
    return parseAuthState(text);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof TypeError) {
      throw unreadable(path, error);
    }
    throw error;
  }
}

function unreadable(path: string, error: unknown): LegerError {
  const reason = error instanceof Error
    ? error.message.replace(/^Cannot read auth\.json: /, "")
    : String(error);
  return new LegerError(
    "ERR_LEGER_NOT_AUTHENTICATED",
    `Cannot read the leger.run login from ${path}: ${reason}`,
    { remedy: "Run `leger auth login` to write it again" },
  );
}
