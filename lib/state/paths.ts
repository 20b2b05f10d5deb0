/**
 * Where leger and Podman keep their files, for each scope, honouring the XDG
 * base directory variables.
 *
 * @module
 */

import type { Scope } from "../adapters/scope.ts";

export type { Scope };

/** The environment facts the paths depend on. */
export interface PathEnv {
  /**
   * The user's home folder, absolute (`$HOME`): the user scope's folders are
   * under `<home>/.config` and `<home>/.local/share` when `XDG_CONFIG_HOME`
   * and `XDG_DATA_HOME` are unset or not absolute. The system scope does not
   * use it.
   */
  home: string;
  /** Reads an environment variable (`XDG_CONFIG_HOME`, `XDG_DATA_HOME`, `XDG_RUNTIME_DIR`). */
  env(name: string): string | undefined;
}

/** The folders leger uses in one scope. */
export interface LegerPaths {
  /** Podman's quadlet folder, where installed units live. */
  quadletDir: string;
  /** leger's own state: `manifest.json`, `deployments.yaml`, `auth.json`. */
  stateDir: string;
  /** `active/`, `staged/` and `backups/` live here. */
  workDir: string;
}

/**
 * Resolves leger's folders for a scope. The system scope uses Podman's system
 * quadlet folder and root's data folders under `/var/lib/leger`.
 *
 * @example Usage
 * ```ts
 * import { legerPaths } from "./paths.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const paths = legerPaths("user", { home: "/home/a", env: () => undefined });
 * strictEqual(paths.quadletDir, "/home/a/.config/containers/systemd");
 * strictEqual(paths.workDir, "/home/a/.local/share/bluebuild-quadlets");
 * ```
 */
export function legerPaths(scope: Scope, pathEnv: PathEnv): LegerPaths {
  if (scope === "system") {
    return {
      quadletDir: "/etc/containers/systemd",
      stateDir: "/var/lib/leger",
      workDir: "/var/lib/leger/bluebuild-quadlets",
    };
  }
  const config = absoluteOr(
    pathEnv.env("XDG_CONFIG_HOME"),
    `${pathEnv.home}/.config`,
  );
  const data = absoluteOr(
    pathEnv.env("XDG_DATA_HOME"),
    `${pathEnv.home}/.local/share`,
  );
  return {
    quadletDir: `${config}/containers/systemd`,
    stateDir: `${data}/leger`,
    workDir: `${data}/bluebuild-quadlets`,
  };
}

/** The XDG spec says a relative value is invalid and must be ignored. */
function absoluteOr(value: string | undefined, fallback: string): string {
  return value !== undefined && value.startsWith("/") ? value : fallback;
}
