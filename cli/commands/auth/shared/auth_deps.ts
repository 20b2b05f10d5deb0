import {
  readTailscaleStatus,
  type TailscaleStatusReading,
} from "../../../../lib/adapters/tailscale.ts";
import { DEFAULT_TAILSCALED_SOCKET } from "../../../../lib/adapters/tailscale_local_api.ts";
import type { Scope } from "../../../../lib/adapters/scope.ts";
import type { LegerdApi } from "../../../../lib/secrets/legerd_client.ts";
import type { PathEnv } from "../../../../lib/state/paths.ts";
import type { CliContext } from "../../../context.ts";
import type { CommandDeps } from "../../../deps.ts";
import { legerdOf } from "../../../legerd.ts";

/** What the `leger auth` commands need from the world; tests pass fakes. */
export interface AuthDeps {
  /** Output streams, terminal facts, environment, home and uid. */
  context: Pick<
    CliContext,
    "out" | "err" | "env" | "home" | "uid" | "stdoutIsTerminal"
  >;
  /** Reads the Tailscale status (`tailscale status --json` or the LocalAPI). */
  readTailscale(action: string): Promise<TailscaleStatusReading>;
  /** Sends HTTP requests to leger.run. */
  fetch: typeof fetch;
  /** The clock. */
  now(): Date;
  /** The legerd of a scope (its control socket's client). */
  legerd(scope: Scope): LegerdApi;
}

/**
 * The real dependencies of the `leger auth` commands. The LocalAPI socket is
 * `LEGER_TAILSCALE_SOCKET` when set (tests, unusual installs), else
 * `/run/tailscale/tailscaled.sock`.
 *
 * @example Usage
 * ```ts ignore
 * import { authDeps } from "./auth_deps.ts";
 * const deps = authDeps(commandDeps);
 * ```
 */
export function authDeps(
  deps: Pick<CommandDeps, "context" | "fetch" | "now" | "legerd">,
): AuthDeps {
  const { context } = deps;
  const socketPath = context.env("LEGER_TAILSCALE_SOCKET") ||
    DEFAULT_TAILSCALED_SOCKET;
  return {
    context,
    readTailscale: (action) => readTailscaleStatus({ socketPath, action }),
    fetch: deps.fetch,
    now: deps.now,
    legerd: (scope) => legerdOf(deps, scope),
  };
}

/**
 * The home folder and environment, as leger's path functions take them.
 *
 * @example Usage
 * ```ts
 * import { pathEnvOf } from "./auth_deps.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(pathEnvOf({ home: "/home/a", env: () => undefined }).home, "/home/a");
 * ```
 */
export function pathEnvOf(context: Pick<CliContext, "home" | "env">): PathEnv {
  return { home: context.home, env: (name) => context.env(name) };
}
