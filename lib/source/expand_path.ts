import { resolve } from "node:path";
import { LegerError } from "../errors/mod.ts";

/**
 * Turns a folder as the user typed it (`./app`, `app`, `~/dev/app`, `/srv/app`)
 * into an absolute path.
 *
 * @param path The path as given.
 * @param home The user's home folder, for `~`; without it `~` is an error.
 * @param cwd The folder relative paths start from.
 * @returns The absolute path (not resolved through links).
 * @throws {LegerError} `ERR_SOURCE_NOT_FOUND` for an empty path, or `~`
 * without a known home.
 *
 * @example Usage
 * ```ts
 * import { expandPath } from "./expand_path.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(expandPath("~/dev/app", "/home/a", "/tmp"), "/home/a/dev/app");
 * strictEqual(expandPath("app", "/home/a", "/srv"), "/srv/app");
 * ```
 */
export function expandPath(
  path: string,
  home: string | undefined,
  cwd: string,
): string {
  if (path === "") {
    throw new LegerError(
      "ERR_SOURCE_NOT_FOUND",
      "Cannot read deployment folder: the path is empty",
      {
        remedy: "Pass the folder with --source, such as --source ./my-app",
      },
    );
  }
  if (path === "~" || path.startsWith("~/")) {
    if (home === undefined) {
      throw new LegerError(
        "ERR_SOURCE_NOT_FOUND",
        `Cannot read deployment folder "${path}": the home folder is not known`,
        { remedy: "Pass an absolute path to --source" },
      );
    }
    return resolve(home, `.${path.slice(1)}`);
  }
  return resolve(cwd, path);
}
