import { legerPaths, type PathEnv } from "../state/paths.ts";

/**
 * Where the leger.run login lives: `auth.json` in leger's state folder of the
 * invoking user (`$XDG_DATA_HOME/leger/auth.json`, by default
 * `~/.local/share/leger/auth.json`), for root as for anyone: a login belongs
 * to whoever ran `leger auth login`.
 *
 * @param pathEnv The home folder and the environment.
 * @returns The file's path.
 *
 * @example Usage
 * ```ts
 * import { authFilePath } from "./auth_file_path.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   authFilePath({ home: "/home/a", env: () => undefined }),
 *   "/home/a/.local/share/leger/auth.json",
 * );
 * ```
 */
export function authFilePath(pathEnv: PathEnv): string {
  return `${legerPaths("user", pathEnv).stateDir}/auth.json`;
}
