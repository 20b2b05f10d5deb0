/**
 * Which scope legerd serves.
 *
 * @module
 */
import type { Scope } from "../lib/adapters/scope.ts";
import { LegerError } from "../lib/errors/mod.ts";

/** What decides the scope, for {@linkcode resolveLegerdScope}. */
export interface LegerdScopeInputs {
  /** `--scope`, when given. */
  flag?: Scope;
  /** legerd.yaml's `scope`, when it names one. */
  config?: Scope;
  /** legerd.yaml's path, for messages. */
  configFile: string;
  /** The user legerd runs as. */
  uid: number;
}

/**
 * The scope legerd serves: `--scope`, else legerd.yaml's `scope`, else the
 * system scope for root and the user scope for everyone else (as `leger`
 * and Podman decide). `--scope` and the file must agree, and the scope must
 * be the running user's: the system scope is root's (its units in
 * `/etc/containers/systemd`, its secrets in root's Podman), and root has no
 * user scope of its own (Podman reads root's quadlets only from the system
 * folders, and a second legerd of root would fight the system one over the
 * same Podman secrets).
 *
 * @param inputs The flag, the file's scope and path, and the uid.
 * @returns The scope.
 * @throws {LegerError} `ERR_CONFIG_INVALID` when `--scope` and the file
 * disagree; `ERR_USAGE` when the scope is not the running user's.
 *
 * @example Usage
 * ```ts
 * import { resolveLegerdScope } from "./resolve_legerd_scope.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * strictEqual(resolveLegerdScope({ configFile: "/etc/leger/legerd.yaml", uid: 0 }), "system");
 * strictEqual(resolveLegerdScope({ configFile: "legerd.yaml", uid: 1000 }), "user");
 * throws(() => resolveLegerdScope({ flag: "system", configFile: "legerd.yaml", uid: 1000 }), /needs root/);
 * ```
 */
export function resolveLegerdScope(inputs: LegerdScopeInputs): Scope {
  const { flag, config, configFile, uid } = inputs;
  if (flag !== undefined && config !== undefined && flag !== config) {
    throw new LegerError(
      "ERR_CONFIG_INVALID",
      `Cannot start legerd: --scope ${flag} was given, but ${configFile} says scope: ${config}`,
      {
        file: configFile,
        remedy:
          `Drop --scope, or write "scope: ${flag}" in ${configFile} (or remove the line)`,
      },
    );
  }
  const scope = flag ?? config ?? (uid === 0 ? "system" : "user");
  if (scope === "system" && uid !== 0) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot run legerd for the system scope as uid ${uid}: it needs root (its units are in /etc/containers/systemd, its secrets in root's Podman)`,
      {
        remedy:
          "Run the system legerd as root (`systemctl enable --now legerd.service` as root), or run legerd without --scope for your own units",
      },
    );
  }
  if (scope === "user" && uid === 0) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot run legerd for root's user scope: root's quadlets and Podman secrets are the system scope's, which a second legerd would fight over",
      {
        remedy:
          "Run legerd as root without --scope (it serves the system scope), or as the user whose units it should serve (`systemctl --user enable --now legerd.service`)",
      },
    );
  }
  return scope;
}
