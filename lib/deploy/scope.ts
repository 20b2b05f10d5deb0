import { LegerError } from "../errors/mod.ts";
import type { Scope } from "../adapters/scope.ts";

/**
 * The scope a command acts on: `--scope` when given, else system for root and
 * user for everyone else (as Podman itself decides where `podman quadlet
 * install` writes).
 *
 * @example Usage
 * ```ts
 * import { resolveScope } from "./scope.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(resolveScope(undefined, { uid: 0 }), "system");
 * strictEqual(resolveScope("user", { uid: 0 }), "user");
 * ```
 */
export function resolveScope(
  flag: unknown,
  identity: { uid: number },
): Scope {
  if (flag === "user" || flag === "system") return flag;
  return identity.uid === 0 ? "system" : "user";
}

/**
 * Refuses a scope this process cannot change: Podman installs for the user
 * that runs it, so the system scope needs root and root's installs are
 * system-wide.
 *
 * @throws {LegerError} `ERR_USAGE` naming the command to run instead.
 *
 * @example Usage
 * ```ts
 * import { checkScopeIsMine } from "./scope.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => checkScopeIsMine("system", { uid: 1000 }), /needs root/);
 * ```
 */
export function checkScopeIsMine(
  scope: Scope,
  identity: { uid: number },
): void {
  if (scope === "system" && identity.uid !== 0) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot change the system scope: it needs root",
      {
        remedy:
          "Run the command with sudo, or drop --scope system to install for your user",
      },
    );
  }
  if (scope === "user" && identity.uid === 0) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot install in root's user scope: Podman installs root's quadlets system-wide",
      {
        remedy:
          "Drop --scope user (root installs in the system scope), or run leger as the user who should own the services",
      },
    );
  }
}
