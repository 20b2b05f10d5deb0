import { dirname } from "node:path";
import type { AuthState } from "./parse_auth_state.ts";
import { writeFileAtomic } from "../state/write_file_atomic.ts";

/**
 * Writes the leger.run login to `auth.json` with mode 0600, atomically
 * (temporary file in the same folder, fsync, rename), creating leger's state
 * folder (mode 0700) when needed.
 *
 * Requires `--allow-read` and `--allow-write` for the folder.
 *
 * @param path The file (see `authFilePath`).
 * @param state The login.
 *
 * @example Usage
 * ```ts ignore
 * import { saveAuthState } from "./save_auth_state.ts";
 * await saveAuthState("/home/a/.local/share/leger/auth.json", state);
 * ```
 */
export async function saveAuthState(
  path: string,
  state: AuthState,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(
    path,
    new TextEncoder().encode(JSON.stringify(state, null, 2) + "\n"),
    { mode: 0o600 },
  );
}
