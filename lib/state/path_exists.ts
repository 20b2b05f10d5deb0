/**
 * Whether something is at `path`, following a symbolic link (a link whose
 * target is gone is not).
 *
 * Requires `--allow-read` for the path.
 *
 * @param path The path.
 * @returns `true` when it exists, `false` when it does not.
 * @throws {Error} Any other error of `Deno.stat` (permission denied, …).
 *
 * @example Usage
 * ```ts
 * import { pathExists } from "./path_exists.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * strictEqual(await pathExists(dir), true);
 * strictEqual(await pathExists(`${dir}/nothing`), false);
 * await Deno.remove(dir);
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Whether anything is at `path` itself, not following a symbolic link (a
 * link whose target is gone is there): `Deno.lstat`.
 *
 * Requires `--allow-read` for the path.
 *
 * @param path The path.
 * @returns `true` when an entry is there, `false` when none is.
 * @throws {Error} Any other error of `Deno.lstat` (permission denied, …).
 *
 * @example Usage
 * ```ts
 * import { entryExists } from "./path_exists.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.symlink(`${dir}/gone`, `${dir}/link`);
 * strictEqual(await entryExists(`${dir}/link`), true);
 * strictEqual(await entryExists(`${dir}/gone`), false);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function entryExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
