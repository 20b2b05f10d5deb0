/**
 * `leger auth logout [--purge-secrets] [--json]`: removes the leger.run login
 * (`auth.json`) and nothing of Tailscale's.
 *
 * @module
 */
import { authFilePath } from "../../../lib/auth/auth_file_path.ts";
import { removeAuthState } from "../../../lib/auth/remove_auth_state.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdScope } from "../../legerd.ts";
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
  /**
   * With `--purge-secrets` only: the leger-managed Podman secrets legerd
   * removed, sorted.
   */
  purged_secrets?: string[];
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
 * Logs out. With `purgeSecrets`, legerd first removes the Podman secrets it
 * manages (`POST /v1/purge`); if it cannot (not running, failing), nothing
 * is removed, the login included, and the error says how to start legerd
 * or to log out without purging.
 *
 * @param options Whether to purge secrets, `--json`.
 * @param deps The context and legerd.
 * @returns The exit code.
 * @throws {LegerError} `ERR_LEGERD_NOT_RUNNING` (with the command that
 * starts legerd) and the other errors of `LegerdClient`, with
 * `purgeSecrets`, before anything is removed.
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
  let purged: string[] | undefined;
  if (options.purgeSecrets) {
    const legerd = deps.legerd(legerdScope(undefined, context.uid));
    try {
      purged = (await legerd.purge()).removed;
    } catch (error) {
      if (!(error instanceof LegerError)) throw error;
      throw new LegerError(error.code, error.message, {
        cause: error,
        details: [
          "Nothing was removed: the Podman secrets and the login are as they were",
        ],
        remedy:
          `${error.remedy}\nOr run \`leger auth logout\` to remove only the login`,
      });
    }
  }
  const path = authFilePath(pathEnvOf(context));
  const removed = await removeAuthState(path);
  if (options.json) {
    const document: LogoutDocument = {
      removed,
      auth_file: path,
      ...(purged === undefined ? {} : { purged_secrets: purged }),
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  if (purged !== undefined) {
    context.out(
      purged.length === 0
        ? "legerd managed no Podman secret: none removed\n"
        : `Removed ${purged.length} Podman secret${
          purged.length === 1 ? "" : "s"
        } legerd managed: ${purged.join(", ")}\n`,
    );
  }
  context.out(
    removed
      ? `Logged out of leger.run (removed ${path}); Tailscale's login is unchanged\n`
      : `Not logged in to leger.run (no ${path}); nothing to remove\n`,
  );
  return 0;
}
