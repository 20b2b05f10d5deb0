import { posix } from "node:path";

/**
 * Joins a folder and a relative path and cleans the result like Go's
 * `filepath.Join` (which Podman uses): `.` and `..` resolved, no trailing `/`.
 *
 * @param dir An absolute folder.
 * @param path A path relative to it.
 * @returns The joined, cleaned path.
 *
 * @example Usage
 * ```ts
 * import { joinPath } from "./_join_path.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(joinPath("/srv/app", "./src/"), "/srv/app/src");
 * ```
 */
export function joinPath(dir: string, path: string): string {
  const joined = posix.join(dir, path);
  return joined.length > 1 && joined.endsWith("/")
    ? joined.slice(0, -1)
    : joined;
}
