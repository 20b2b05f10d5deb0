/**
 * How commands reach legerd: the client of the scope's control socket
 * (`legerdSocketPath()`), or the one a test put in `CommandDeps.legerd`.
 *
 * @module
 */
import type { Scope } from "../lib/adapters/scope.ts";
import { legerdSocketPath } from "../lib/auth/legerd_socket_path.ts";
import { type LegerdApi, LegerdClient } from "../lib/secrets/legerd_client.ts";
import type { CliContext } from "./context.ts";

/** Makes the legerd of a scope (`CommandDeps.legerd`). */
export type LegerdFactory = (
  scope: Scope,
  options?: LegerdOfOptions,
) => LegerdApi;

/** Options for {@linkcode legerdOf}. */
export interface LegerdOfOptions {
  /**
   * Aborts a request in flight (Ctrl-C).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * The legerd a command talks to: `deps.legerd(scope)` when a test gave one,
 * else a {@linkcode LegerdClient} of the scope's socket.
 *
 * @param deps The command's context and, in tests, its fake legerd.
 * @param scope The scope whose legerd to reach.
 * @param options The signal that aborts a request.
 * @returns legerd's API.
 *
 * @example Usage
 * ```ts
 * import { legerdOf } from "./legerd.ts";
 * import { LegerdClient } from "../lib/secrets/legerd_client.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const context = { env: (n: string) => n === "XDG_RUNTIME_DIR" ? "/run/user/1000" : undefined, uid: 1000 };
 * const legerd = legerdOf({ context }, "user");
 * strictEqual((legerd as LegerdClient).socketPath, "/run/user/1000/leger/legerd.sock");
 * ```
 */
export function legerdOf(
  deps: { context: Pick<CliContext, "env" | "uid">; legerd?: LegerdFactory },
  scope: Scope,
  options: LegerdOfOptions = {},
): LegerdApi {
  if (deps.legerd !== undefined) return deps.legerd(scope, options);
  const { context } = deps;
  const path = legerdSocketPath(scope, { env: context.env, uid: context.uid });
  return new LegerdClient(path, { scope, signal: options.signal });
}

/**
 * The scope a secrets command acts on: `--scope`, else the system's for
 * root and the user's own for anyone else (as every leger command).
 *
 * @param flag `--scope`, or `undefined`.
 * @param uid The user's id.
 * @returns The scope.
 *
 * @example Usage
 * ```ts
 * import { legerdScope } from "./legerd.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(legerdScope(undefined, 0), "system");
 * strictEqual(legerdScope("user", 0), "user");
 * ```
 */
export function legerdScope(flag: Scope | undefined, uid: number): Scope {
  return flag ?? (uid === 0 ? "system" : "user");
}

/**
 * The command that starts legerd in a scope, as errors and hints say it.
 *
 * @param scope The scope.
 * @returns `systemctl --user enable --now legerd.service`, or
 * `systemctl enable --now legerd.service` for the system scope.
 *
 * @example Usage
 * ```ts
 * import { legerdStartCommand } from "./legerd.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(legerdStartCommand("system"), "systemctl enable --now legerd.service");
 * ```
 */
export function legerdStartCommand(scope: Scope): string {
  return scope === "system"
    ? "systemctl enable --now legerd.service"
    : "systemctl --user enable --now legerd.service";
}

/**
 * The command that says why legerd stopped in a scope (its state, exit
 * status and last log lines), for when it does not stay up once started:
 * a bad legerd.yaml makes it exit 78, which systemd does not restart.
 *
 * @param scope The scope.
 * @returns `systemctl --user status legerd.service`, or
 * `systemctl status legerd.service` for the system scope.
 *
 * @example Usage
 * ```ts
 * import { legerdStatusCommand } from "./legerd.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(legerdStatusCommand("user"), "systemctl --user status legerd.service");
 * ```
 */
export function legerdStatusCommand(scope: Scope): string {
  return scope === "system"
    ? "systemctl status legerd.service"
    : "systemctl --user status legerd.service";
}
