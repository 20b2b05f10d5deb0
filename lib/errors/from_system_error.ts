import type { ErrorCode } from "./codes.ts";
import { LegerError } from "./leger_error.ts";
import { SYSTEM_SCOPE_SUDO_REMEDY } from "./system_scope_denied.ts";

/** Options for {@linkcode fromSystemError}. */
export interface FromSystemErrorOptions {
  /**
   * What leger was doing, completing "Cannot …" before the path: `read`,
   * `write`, `list`, `fetch https://static.leger.run/…`.
   *
   * @default {"write" with `write`, else "use" before a path and "finish the command" without one}
   */
  action?: string;
  /**
   * The file or folder the error is about. Deno names it in some messages
   * (`readdir '/x'`) but not in others (`Deno.readTextFile` says only
   * "Permission denied (os error 13)"), so callers that know it pass it.
   *
   * @default {the path in the error's message, if any}
   */
  path?: string;
  /**
   * Whether leger was writing `path`, a file or folder of its own: then a
   * folder that holds it which leger may not write to (permission denied,
   * Deno's `--allow-write`) is `ERR_STATE_UNWRITABLE` naming that folder,
   * like a full disk or a read-only one (which are, whatever the option).
   *
   * @default {false}
   */
  write?: boolean;
}

/**
 * The folders of the system scope, as `legerPaths("system")` names them, and
 * legerd's system socket: a permission denied there means the command needs
 * root. (lib/state imports this area, so the list is repeated here; a test
 * checks that the two agree.)
 */
export const SYSTEM_SCOPE_PATHS: readonly string[] = [
  "/var/lib/leger",
  "/etc/containers/systemd",
  "/run/leger",
];

/** How one kind of failure is told: its code, the reason and the fix. */
interface Wording {
  code: ErrorCode;
  reason: string;
  remedy?: string;
}

const SUDO_REMEDY = SYSTEM_SCOPE_SUDO_REMEDY;
const OS_ERROR_REGEXP = /\(os error (\d+)\)/;
const QUOTED_PATH_REGEXP = /'(\/[^']*)'/;
const NOT_CAPABLE_REGEXP = /^Requires (\w+) access to "(.*?)"/;
const SPAWN_REGEXP = /^Failed to spawn '([^']*)'/;
const MKDIR_REGEXP = /: mkdir '(\/[^']*)'/;

/**
 * Turns an error of the operating system or of Deno's permissions into a
 * leger error with a catalogue code, the path and a remedy: the one place
 * where `Deno.errors.*` become words for the user. `printError` uses it for
 * whatever reaches it unexplained, and readers of leger's files use it to
 * name the file Deno's message leaves out.
 *
 * | error | code |
 * | --- | --- |
 * | "No space left on device (os error 28)", "Disk quota exceeded (os error 122)", "Read-only file system (os error 30)" | `ERR_STATE_UNWRITABLE` |
 * | `PermissionDenied` | `ERR_PERMISSION_DENIED` (the system scope's folders: run with sudo) |
 * | `NotCapable` for the network | `ERR_NETWORK_NOT_ALLOWED`, naming the host |
 * | `NotCapable` for writing | `ERR_STATE_UNWRITABLE` |
 * | `PermissionDenied` with `write: true` | `ERR_STATE_UNWRITABLE` |
 * | `NotCapable` otherwise | `ERR_PERMISSION_DENIED` |
 * | `NotFound` of a program | `ERR_COMMAND_NOT_FOUND` |
 * | `NotFound` | `ERR_PATH_NOT_FOUND` |
 * | `NotADirectory`, `IsADirectory`, `FilesystemLoop` | `ERR_PATH_TYPE` |
 * | `AlreadyExists` of a folder leger creates | `ERR_PATH_TYPE` |
 * | `AlreadyExists` | `ERR_PATH_EXISTS` |
 * | `Interrupted`, `BrokenPipe`, `UnexpectedEof`, `WriteZero`, `InvalidData`, `Busy`, `NotSupported`, any other "(os error N)" | `ERR_IO_FAILED` |
 * | `ConnectionRefused`, `ConnectionReset`, `ConnectionAborted`, `NotConnected`, `TimedOut`, `AddrInUse`, `AddrNotAvailable`, `NetworkUnreachable` | `ERR_NETWORK_FAILED` |
 *
 * Anything else (`BadResource`, `Http`, a `TypeError`, a `LegerError`) is not
 * the host's doing: the answer is `null`, and a caller reports a bug.
 *
 * @param error What was thrown.
 * @param options What leger was doing, and the path.
 * @returns The leger error, with `error` as its cause; `null` when `error`
 * is not an error of the system.
 *
 * @example Usage
 * ```ts
 * import { fromSystemError } from "./from_system_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = fromSystemError(
 *   new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
 *   { action: "read", path: "/var/lib/leger/deployments.yaml" },
 * );
 * strictEqual(error?.code, "ERR_PERMISSION_DENIED");
 * strictEqual(
 *   error?.message,
 *   `Cannot read "/var/lib/leger/deployments.yaml": permission denied (the system scope's files are root's)`,
 * );
 * strictEqual(error?.remedy.startsWith("Run the command with sudo"), true);
 * strictEqual(fromSystemError(new TypeError("x is undefined")), null);
 * ```
 */
export function fromSystemError(
  error: unknown,
  options: FromSystemErrorOptions = {},
): LegerError | null {
  if (!(error instanceof Error) || error instanceof LegerError) return null;
  const { write = false } = options;
  const path = options.path ?? QUOTED_PATH_REGEXP.exec(error.message)?.[1];
  const folder = path === undefined ? undefined : parentOf(path);
  const wording = (write ? unwritable(error, folder) : null) ??
    wordingOf(error, path, folder);
  if (wording === null) return null;
  const {
    action = write
      ? "write"
      : path === undefined
      ? "finish the command"
      : "use",
  } = options;
  // A folder that cannot take a file is named as the folder: that is what
  // the user frees or makes writable.
  const subject =
    wording.code === "ERR_STATE_UNWRITABLE" && folder !== undefined
      ? `write to ${JSON.stringify(folder)}`
      : path === undefined
      ? action
      : `${action} ${JSON.stringify(path)}`;
  return new LegerError(
    wording.code,
    `Cannot ${subject}: ${wording.reason}`,
    { cause: error, remedy: wording.remedy },
  );
}

function wordingOf(
  error: Error,
  path: string | undefined,
  folder: string | undefined,
): Wording | null {
  const osError = Number(OS_ERROR_REGEXP.exec(error.message)?.[1] ?? NaN);
  const full = fullDisk(osError, folder);
  if (full !== null) return full;
  if (error instanceof Deno.errors.NotCapable) return notCapable(error);
  if (error instanceof Deno.errors.PermissionDenied) {
    return permissionDenied(osError, path);
  }
  if (error instanceof Deno.errors.NotFound) return notFound(error);
  const mkdir = MKDIR_REGEXP.exec(error.message)?.[1];
  if (error instanceof Deno.errors.AlreadyExists && mkdir !== undefined) {
    // leger creates folders with their parents: a file stands in the way.
    return {
      code: "ERR_PATH_TYPE",
      reason: `${JSON.stringify(mkdir)} is a file, where a folder must be`,
    };
  }
  const known = KNOWN.find(([type]) => error instanceof type);
  if (known !== undefined) return known[1];
  if (!Number.isNaN(osError)) {
    // An error of the system Deno has no class for (EIO, EMFILE…).
    return {
      code: "ERR_IO_FAILED",
      reason: error.message.replace(/:\s*\w+ '.*$/, ""),
    };
  }
  return null;
}

/** ENOSPC, EDQUOT and EROFS: Deno has no class for them, only the message. */
function fullDisk(
  osError: number,
  folder: string | undefined,
): Wording | null {
  if (osError === 28 || osError === 122) {
    return {
      code: "ERR_STATE_UNWRITABLE",
      reason: osError === 28
        ? "the disk is full (no space left on device)"
        : "the disk quota is used up",
      remedy: folder === undefined
        ? "Free some space on the disk (`df -h` shows which is full), then run the command again"
        : `Free some space on the disk that holds ${folder} (\`df -h ${folder}\` shows it), then run the command again`,
    };
  }
  if (osError === 30) {
    return {
      code: "ERR_STATE_UNWRITABLE",
      reason: "it is on a read-only file system",
      remedy: `Make ${
        folder ?? "the folder"
      } writable (remount it read-write, or point XDG_DATA_HOME elsewhere), then run the command again`,
    };
  }
  return null;
}

/** A folder leger cannot write its files to, however that comes about. */
function unwritable(error: Error, folder: string | undefined): Wording | null {
  if (
    error instanceof Deno.errors.NotCapable &&
    NOT_CAPABLE_REGEXP.exec(error.message)?.[1] === "write"
  ) {
    return {
      code: "ERR_STATE_UNWRITABLE",
      reason: "leger's --allow-write permission does not cover it",
    };
  }
  if (!(error instanceof Deno.errors.PermissionDenied)) return null;
  if (folder !== undefined && isSystemScopePath(folder)) {
    return {
      code: "ERR_STATE_UNWRITABLE",
      reason: "permission denied (the system scope's files are root's)",
      remedy: SUDO_REMEDY,
    };
  }
  return {
    code: "ERR_STATE_UNWRITABLE",
    reason: "permission denied",
    remedy: folder === undefined
      ? undefined
      : `Run leger as the user who owns ${folder} (\`ls -ld ${folder}\` shows who), or make it writable for yours`,
  };
}

function notCapable(error: Error): Wording {
  const match = NOT_CAPABLE_REGEXP.exec(error.message);
  const kind = match?.[1] ?? "all";
  const target = match?.[2] ?? "";
  if (kind === "net") {
    return {
      code: "ERR_NETWORK_NOT_ALLOWED",
      // leger's binaries have plain --allow-net: only a program with a
      // narrower one gets here.
      reason: `Deno's network permission does not allow "${target}"`,
      remedy:
        `Run with \`--allow-net\` (as leger's binaries do) or one that names "${target}"; check LEGER_API_URL, LEGER_STATIC_URL and LEGER_WEB_URL`,
    };
  }
  if (kind === "write") {
    return {
      code: "ERR_STATE_UNWRITABLE",
      reason: `leger's --allow-write permission does not cover "${target}"`,
    };
  }
  return {
    code: "ERR_PERMISSION_DENIED",
    reason: `leger's --allow-${kind} permission does not cover "${target}"`,
    remedy:
      "Run leger with the permissions of the `leger` task in deno.json (the installed binary has them); if it happens with those, report it as a bug",
  };
}

function permissionDenied(osError: number, path: string | undefined): Wording {
  const reason = osError === 1
    ? "the operation is not permitted"
    : "permission denied";
  if (path !== undefined && isSystemScopePath(path)) {
    return {
      code: "ERR_PERMISSION_DENIED",
      reason: `${reason} (the system scope's files are root's)`,
      remedy: SUDO_REMEDY,
    };
  }
  return {
    code: "ERR_PERMISSION_DENIED",
    reason,
    remedy: path === undefined
      ? undefined
      : `Run leger as the user who owns ${path} (\`ls -ld ${path}\` shows who), or give your user access to it`,
  };
}

function notFound(error: Error): Wording {
  const program = SPAWN_REGEXP.exec(error.message)?.[1];
  if (program !== undefined) {
    return {
      code: "ERR_COMMAND_NOT_FOUND",
      reason: `"${program}" is not installed or not in PATH`,
    };
  }
  return { code: "ERR_PATH_NOT_FOUND", reason: "it does not exist" };
}

/** The classes with one wording whatever the path. */
const KNOWN: readonly [new (message?: string) => Error, Wording][] = [
  [Deno.errors.AlreadyExists, {
    code: "ERR_PATH_EXISTS",
    reason: "a file or folder is already there",
  }],
  [Deno.errors.NotADirectory, {
    code: "ERR_PATH_TYPE",
    reason: "a part of the path is a file, not a folder",
  }],
  [Deno.errors.IsADirectory, {
    code: "ERR_PATH_TYPE",
    reason: "it is a folder, not a file",
  }],
  [Deno.errors.FilesystemLoop, {
    code: "ERR_PATH_TYPE",
    reason: "its symbolic links form a loop",
    remedy:
      "Replace the looping symbolic link (`ls -l` shows where each points)",
  }],
  [Deno.errors.Interrupted, {
    code: "ERR_IO_FAILED",
    reason: "a signal interrupted the operation",
    remedy: "Run the command again",
  }],
  [Deno.errors.BrokenPipe, {
    code: "ERR_IO_FAILED",
    reason: "the reading end went away (broken pipe)",
    remedy:
      "Keep the program that reads leger's output running until leger ends (a pager or `head` that quits early closes it)",
  }],
  [Deno.errors.UnexpectedEof, {
    code: "ERR_IO_FAILED",
    reason: "the data ended early",
  }],
  [Deno.errors.WriteZero, {
    code: "ERR_IO_FAILED",
    reason: "nothing could be written",
  }],
  [Deno.errors.InvalidData, {
    code: "ERR_IO_FAILED",
    reason: "the data is not valid",
  }],
  [Deno.errors.Busy, {
    code: "ERR_IO_FAILED",
    reason: "it is busy (in use by another process, or a mount point)",
    remedy:
      "Stop what uses it (`fuser -vm PATH` shows who), then run the command again",
  }],
  [Deno.errors.NotSupported, {
    code: "ERR_IO_FAILED",
    reason: "the file system does not support the operation",
    remedy:
      "Put leger's folders on a local file system (ext4, xfs, btrfs), then run the command again",
  }],
  [Deno.errors.ConnectionRefused, {
    code: "ERR_NETWORK_FAILED",
    reason: "the connection was refused (nothing listens there)",
  }],
  [Deno.errors.ConnectionReset, {
    code: "ERR_NETWORK_FAILED",
    reason: "the other end reset the connection",
  }],
  [Deno.errors.ConnectionAborted, {
    code: "ERR_NETWORK_FAILED",
    reason: "the connection was aborted",
  }],
  [Deno.errors.NotConnected, {
    code: "ERR_NETWORK_FAILED",
    reason: "the connection is closed",
  }],
  [Deno.errors.TimedOut, {
    code: "ERR_NETWORK_FAILED",
    reason: "the connection timed out",
    remedy:
      "Check the network connection and that the other end answers, then run the command again",
  }],
  [Deno.errors.AddrInUse, {
    code: "ERR_NETWORK_FAILED",
    reason: "another process already uses the address",
    remedy:
      "Stop the process that listens there (`ss -ltnpx` shows it), then run the command again",
  }],
  [Deno.errors.AddrNotAvailable, {
    code: "ERR_NETWORK_FAILED",
    reason: "the address is not available on this host",
  }],
  [Deno.errors.NetworkUnreachable, {
    code: "ERR_NETWORK_FAILED",
    reason: "the network is unreachable",
    remedy: "Check the network connection, then run the command again",
  }],
];

function isSystemScopePath(path: string): boolean {
  return SYSTEM_SCOPE_PATHS.some((dir) =>
    path === dir || path.startsWith(`${dir}/`)
  );
}

/** The folder that holds `path`. */
function parentOf(path: string): string {
  const slash = path.replace(/\/+$/, "").lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}
