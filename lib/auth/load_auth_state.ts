import { LegerError } from "../errors/leger_error.ts";
import { type AuthState, parseAuthState } from "./parse_auth_state.ts";

/**
 * Reads the leger.run login from `auth.json`.
 *
 * Requires `--allow-read` for the file.
 *
 * @param path The file (see `authFilePath`).
 * @returns The login, or `null` when there is no file (not logged in).
 * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` when the file cannot be
 * read or parsed; the remedy is to log in again.
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
    throw unreadable(path, error);
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
