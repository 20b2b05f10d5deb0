/**
 * Whether a program is on `PATH`, for tests that need an outside tool (a
 * shell, rpm) and are ignored, saying so, where it is missing.
 *
 * @module
 */

/** Whether `bin` is a file in one of `PATH`'s folders. */
export function onPath(bin: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${bin}`).isFile;
    } catch {
      return false;
    }
  });
}
