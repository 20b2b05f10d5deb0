import { basename, dirname } from "node:path";

/**
 * Removes the leger.run login: `auth.json` and any temporary copy an
 * interrupted write left beside it. Nothing else (Tailscale's own login is
 * never touched).
 *
 * Requires `--allow-read` and `--allow-write` for the folder.
 *
 * @param path The file (see `authFilePath`).
 * @returns Whether there was a login to remove.
 *
 * @example Usage
 * ```ts ignore
 * import { removeAuthState } from "./remove_auth_state.ts";
 * const removed = await removeAuthState("/home/a/.local/share/leger/auth.json");
 * ```
 */
export async function removeAuthState(path: string): Promise<boolean> {
  const tempPrefix = `.${basename(path)}.`;
  try {
    for await (const entry of Deno.readDir(dirname(path))) {
      if (entry.name.startsWith(tempPrefix) && entry.name.endsWith(".tmp")) {
        await Deno.remove(`${dirname(path)}/${entry.name}`);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  try {
    await Deno.remove(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
