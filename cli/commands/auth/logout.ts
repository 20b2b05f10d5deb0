/**
 * `leger auth logout [--purge-secrets] [--json]`: removes the leger.run login
 * (`auth.json`) and nothing of Tailscale's.
 *
 * @module
 */
import { authFilePath } from "../../../lib/auth/auth_file_path.ts";
import { legerdSocketPath } from "../../../lib/auth/legerd_socket_path.ts";
import { removeAuthState } from "../../../lib/auth/remove_auth_state.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { type AuthDeps, authDeps, pathEnvOf } from "./shared/auth_deps.ts";

/** The options of `leger auth logout`. */
export interface LogoutOptions {
  /** Also ask legerd to remove the Podman secrets it manages. */
  purgeSecrets: boolean;
  /**
   * Print one JSON document: whether a login was removed.
   *
   * @default {false}
   */
  json?: boolean;
}

/** What `leger auth logout --json` prints. */
export interface LogoutDocument {
  /** Whether there was a login to remove (`false`: there was none). */
  removed: boolean;
  /** The login's file, removed or absent. */
  auth_file: string;
}

/** Reads the command line of `leger auth logout`. */
export function parse(line: CommandLine): LogoutOptions {
  return { purgeSecrets: flag(line, "purgeSecrets"), json: flag(line, "json") };
}

/** Runs `leger auth logout`. */
export function run(
  options: LogoutOptions,
  deps: CommandDeps,
): Promise<number> {
  return runLogout(options, authDeps(deps));
}

/**
 * Logs out. With `purgeSecrets`, legerd must remove its Podman secrets
 * first; this version of leger has no legerd to ask, so that fails before
 * anything is removed rather than pretend.
 *
 * @param options Whether to purge secrets.
 * @param deps The context and file checks.
 * @returns The exit code.
 * @throws {LegerError} `ERR_LEGERD_NOT_RUNNING` with `purgeSecrets`.
 *
 * @example Usage
 * ```ts ignore
 * import { runLogout } from "./logout.ts";
 * const code = await runLogout({ purgeSecrets: false }, authDeps(context));
 * ```
 */
export async function runLogout(
  options: LogoutOptions,
  deps: AuthDeps,
): Promise<number> {
  const { context } = deps;
  if (options.purgeSecrets) {
    const scope = context.uid === 0 ? "system" : "user";
    const socket = legerdSocketPath(scope, {
      env: context.env,
      uid: context.uid,
    });
    const reason = await deps.exists(socket)
      ? `this version of leger cannot ask legerd to remove secrets (control socket at ${socket})`
      : `legerd is not running (no control socket at ${socket})`;
    throw new LegerError(
      "ERR_LEGERD_NOT_RUNNING",
      `Cannot purge secrets: ${reason}`,
      {
        remedy:
          "Nothing was removed. Run `leger auth logout` without --purge-secrets to remove only the login",
      },
    );
  }
  const path = authFilePath(pathEnvOf(context));
  const removed = await removeAuthState(path);
  if (options.json) {
    const document: LogoutDocument = { removed, auth_file: path };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  context.out(
    removed
      ? `Logged out of leger.run (removed ${path}); Tailscale's login is unchanged\n`
      : `Not logged in to leger.run (no ${path}); nothing to remove\n`,
  );
  return 0;
}
