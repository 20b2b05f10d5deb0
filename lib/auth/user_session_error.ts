import { LegerError } from "../errors/leger_error.ts";

/**
 * A folder as {@linkcode userSessionError} sees it: a folder and its owner,
 * something else (a file, or a path through a file), nothing, or a path
 * this user may not look at.
 */
export type RuntimeFolder =
  | { kind: "folder"; uid: number | null }
  | { kind: "other" | "missing" | "unreadable" };

/** Options for {@linkcode userSessionError}. */
export interface UserSessionErrorOptions {
  /** Reads an environment variable (`XDG_RUNTIME_DIR`); `undefined` when unset. */
  env(name: string): string | undefined;
  /** The user's numeric id. */
  uid: number;
  /**
   * What could not be done, completing "Cannot …": `start legerd for the
   * user scope`, `reach the user's systemd (systemctl --user)`.
   */
  action: string;
  /**
   * The error of a `systemctl --user` that could not reach the user's
   * manager ("Failed to connect to … bus"). With it, an error is returned
   * even when the runtime folder looks right (the manager does not answer
   * there), and it is that error's cause.
   *
   * @default {undefined}
   */
  failure?: Error;
  /**
   * Looks at a folder (`Deno.statSync` by default; tests pass their own).
   *
   * @default {a `Deno.statSync` of the path}
   */
  stat?: (path: string) => RuntimeFolder;
}

/**
 * Why this process is not in a login session of its user, as leger and
 * legerd both say it: the user's systemd (`systemctl --user`), rootless
 * Podman and legerd's socket all live in the user's runtime folder,
 * `/run/user/UID`, which systemd makes for a login session (or for good,
 * with linger) and names in `XDG_RUNTIME_DIR`. `su` and `sudo -u` make no
 * session.
 *
 * The folder is `XDG_RUNTIME_DIR`, or `/run/user/UID` when the variable is
 * unset (as `systemctl --user`, Podman and `legerdSocketPath()` then take
 * it); it must be an absolute path to an existing folder of the user. An
 * empty or relative value, a missing folder, a file, or another user's
 * folder (such as `/run`) is refused with `ERR_SYSTEMD_NOT_RUNNING` naming
 * the variable, its value, why, and the fix.
 *
 * Requires `--allow-read` for the folder (the default `stat`).
 *
 * @param options The environment, the user, what failed, and how to look at a folder.
 * @returns The error to throw, or `null` when the folder is the user's and
 * no `failure` was given.
 *
 * @example Usage
 * ```ts
 * import { userSessionError } from "./user_session_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = userSessionError({
 *   env: (name) => name === "XDG_RUNTIME_DIR" ? "run" : undefined,
 *   uid: 1000,
 *   action: "start legerd for the user scope",
 * });
 * strictEqual(error?.code, "ERR_SYSTEMD_NOT_RUNNING");
 * strictEqual(
 *   error?.message,
 *   'Cannot start legerd for the user scope: XDG_RUNTIME_DIR is "run", not an absolute path, so this is not a login session of uid 1000',
 * );
 * const own = { kind: "folder", uid: 1000 } as const;
 * strictEqual(
 *   userSessionError({
 *     env: () => "/run/user/1000",
 *     uid: 1000,
 *     action: "start legerd for the user scope",
 *     stat: () => own,
 *   }),
 *   null,
 * );
 * ```
 */
export function userSessionError(
  options: UserSessionErrorOptions,
): LegerError | null {
  const { env, uid, action, failure, stat = statFolder } = options;
  const value = env("XDG_RUNTIME_DIR");
  const fallback = `/run/user/${uid}`;
  const problem = folderProblem(value, uid, stat);
  if (problem === null && failure === undefined) return null;
  const details = [
    `systemctl --user, rootless Podman and legerd's socket need ${fallback}, the runtime folder systemd makes for each login session of uid ${uid} (or for good, with linger)`,
  ];
  const where = value === undefined
    ? `${fallback} (XDG_RUNTIME_DIR is unset)`
    : `XDG_RUNTIME_DIR "${value}"`;
  return new LegerError(
    "ERR_SYSTEMD_NOT_RUNNING",
    problem === null
      ? `Cannot ${action}: the systemd user manager of uid ${uid} does not answer at ${where}`
      : `Cannot ${action}: XDG_RUNTIME_DIR is ${problem}, so this is not a login session of uid ${uid}`,
    {
      cause: failure,
      details,
      remedy:
        "Log in as the user (not with su or sudo -u), or run `loginctl enable-linger $USER` and `export XDG_RUNTIME_DIR=/run/user/$(id -u)`",
    },
  );
}

/** What is wrong with the runtime folder, worded after "XDG_RUNTIME_DIR is", or `null`. */
function folderProblem(
  value: string | undefined,
  uid: number,
  stat: (path: string) => RuntimeFolder,
): string | null {
  if (value === "") return "empty";
  if (value !== undefined && !value.startsWith("/")) {
    return `"${value}", not an absolute path`;
  }
  const path = value ?? `/run/user/${uid}`;
  // Unset, the folder is the one systemctl --user and Podman fall back to.
  const unset = value === undefined;
  const folder = stat(path);
  switch (folder.kind) {
    case "missing":
      return unset
        ? `unset and ${path} does not exist`
        : `"${path}", which does not exist`;
    case "other":
      return unset
        ? `unset and ${path} is not a folder`
        : `"${path}", which is not a folder`;
    case "unreadable":
      return unset
        ? `unset and uid ${uid} may not read ${path}`
        : `"${path}", which uid ${uid} may not read`;
    case "folder":
      if (folder.uid === null || folder.uid === uid) return null;
      return unset
        ? `unset and ${path} belongs to uid ${folder.uid}`
        : `"${path}", a folder of uid ${folder.uid}, not of uid ${uid}`;
  }
}

function statFolder(path: string): RuntimeFolder {
  try {
    const info = Deno.statSync(path);
    return info.isDirectory
      ? { kind: "folder", uid: info.uid }
      : { kind: "other" };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    if (error instanceof Deno.errors.NotADirectory) return { kind: "other" };
    if (error instanceof Deno.errors.PermissionDenied) {
      return { kind: "unreadable" };
    }
    throw error;
  }
}
