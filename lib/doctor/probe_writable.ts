import { checkWritable } from "../state/check_writable.ts";
import { pathExists } from "../state/path_exists.ts";

/**
 * Checks that leger can write to `dir` without making it: a small probe
 * file written (and removed) in `dir`, or, while `dir` does not exist, in
 * the nearest folder above it that does.
 *
 * Requires `--allow-read` and `--allow-write` for the folder.
 *
 * @param dir The folder.
 * @throws {LegerError} `ERR_STATE_UNWRITABLE` naming the folder and why.
 *
 * @example Usage
 * ```ts
 * import { probeWritable } from "./probe_writable.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await probeWritable(`${dir}/not/made/yet`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function probeWritable(dir: string): Promise<void> {
  let existing = dir;
  while (existing !== "/" && !(await pathExists(existing))) {
    existing = existing.slice(0, existing.lastIndexOf("/")) || "/";
  }
  await checkWritable([existing], { bytes: 4096 });
}
