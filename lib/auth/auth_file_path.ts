import { legerPaths } from "../state/paths.ts";

/**
 * The facts of the invoking user that {@linkcode authFilePath} depends on
 * (any `PathEnv` of `lib/state` is one).
 */
export interface AuthPathEnv {
  /** The user's home folder, an absolute path such as `/home/alice`. */
  home: string;
  /**
   * Reads an environment variable (`XDG_DATA_HOME`, `XDG_CONFIG_HOME`),
   * giving `undefined` when it is unset. A relative value is ignored, as
   * the XDG Base Directory specification says.
   */
  env(name: string): string | undefined;
}

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
export function authFilePath(pathEnv: AuthPathEnv): string {
  return `${legerPaths("user", pathEnv).stateDir}/auth.json`;
}
