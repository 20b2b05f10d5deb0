import { CommandError } from "../lib/adapters/command_error.ts";
import {
  type RuntimeFolder,
  userSessionError,
} from "../lib/auth/user_session_error.ts";
import type { LegerError } from "../lib/errors/leger_error.ts";

/**
 * How systemctl says it reached no manager: "Failed to connect to bus: …"
 * (systemd 249), "Failed to connect to user scope bus via local transport:
 * …" (262).
 */
const BUS_FAILURE_REGEXP = /Failed to connect to [\w ]*\bbus\b/i;

/** How deep {@linkcode noUserSession} follows causes (a guard against a loop). */
const MAX_CAUSES = 8;

/** Options for {@linkcode noUserSession}. */
export interface NoUserSessionOptions {
  /** Reads an environment variable (`XDG_RUNTIME_DIR`). */
  env(name: string): string | undefined;
  /** The user leger runs as. */
  uid: number;
  /**
   * Looks at the runtime folder (tests pass their own).
   *
   * @default {a `Deno.statSync` of the path}
   */
  stat?: (path: string) => RuntimeFolder;
}

/**
 * The error a command that failed because `systemctl --user` reached no
 * manager reports instead: `ERR_SYSTEMD_NOT_RUNNING` naming
 * `XDG_RUNTIME_DIR`, its value, why (no login session of this user) and the
 * fix, worded by `userSessionError()` as legerd words it. It applies when
 * the error, or one of its causes, is a `systemctl --user` that failed with
 * "Failed to connect to … bus" (that failure becomes its cause); for
 * anything else it gives `null` and nothing is looked at. An unset
 * `XDG_RUNTIME_DIR` that works (systemctl takes `/run/user/UID`) never
 * gets here.
 *
 * Requires `--allow-read` for the runtime folder.
 *
 * @param error What the command threw.
 * @param options The environment and the user.
 * @returns The error to report instead, or `null`.
 *
 * @example Usage
 * ```ts
 * import { noUserSession } from "./no_user_session.ts";
 * import { CommandError } from "../lib/adapters/command_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const failed = new CommandError(
 *   "systemctl",
 *   ["--user", "list-units"],
 *   1,
 *   "Failed to connect to user scope bus via local transport: No such file or directory\n",
 * );
 * const error = noUserSession(failed, { env: () => "", uid: 1000 });
 * strictEqual(error?.code, "ERR_SYSTEMD_NOT_RUNNING");
 * strictEqual(
 *   error?.message,
 *   "Cannot reach the user's systemd (systemctl --user): XDG_RUNTIME_DIR is empty, so this is not a login session of uid 1000",
 * );
 * strictEqual(noUserSession(new Error("other"), { env: () => "", uid: 1000 }), null);
 * ```
 */
export function noUserSession(
  error: unknown,
  options: NoUserSessionOptions,
): LegerError | null {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSES; depth++) {
    if (!(current instanceof Error)) return null;
    if (
      current instanceof CommandError && current.bin === "systemctl" &&
      current.args[0] === "--user" &&
      BUS_FAILURE_REGEXP.test(current.stderrTail)
    ) {
      return userSessionError({
        env: options.env,
        uid: options.uid,
        stat: options.stat,
        action: "reach the user's systemd (systemctl --user)",
        failure: current,
      });
    }
    current = current.cause;
  }
  return null;
}
