import { LegerError } from "../errors/mod.ts";
import { unwritable } from "./check_writable.ts";

/** A held lock; release it in `finally`, or hold it with `await using`. */
export interface HeldLock extends AsyncDisposable {
  /**
   * Empties the lock file (the holder's PID), unlocks it and closes it.
   * Call it once; `await using` calls it for you.
   */
  release(): Promise<void>;
}

/** Options for {@linkcode acquireLock}. */
export interface AcquireLockOptions {
  /**
   * Wait for the holder to finish instead of failing at once.
   *
   * @default {false}
   */
  wait?: boolean;
  /** What the lock guards, for the message: `leger's deployments in the user scope`. */
  what: string;
}

/**
 * Takes an exclusive lock so that two leger processes cannot change the same
 * scope at once: an advisory `flock` on a file, which the kernel releases when
 * the holder exits, however it exits (so a crash never leaves a stale lock).
 * The file holds the holder's PID, for the message of the one that waits.
 *
 * Requires `--allow-read` and `--allow-write` for the lock's folder.
 *
 * @throws {LegerError} `ERR_LOCKED` naming the other process, unless `wait`;
 * `ERR_STATE_UNWRITABLE` when the folder cannot hold the lock file.
 *
 * @example Usage
 * ```ts ignore
 * import { acquireLock } from "./lock.ts";
 * await using _lock = await acquireLock("/var/lib/leger/deploy.lock", { what: "the system scope" });
 * ```
 */
export async function acquireLock(
  path: string,
  options: AcquireLockOptions,
): Promise<HeldLock> {
  const { wait = false, what } = options;
  const dir = path.slice(0, path.lastIndexOf("/"));
  let file: Deno.FsFile;
  try {
    await Deno.mkdir(dir, { recursive: true });
    file = await Deno.open(path, {
      read: true,
      write: true,
      create: true,
      mode: 0o644,
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || !(error instanceof Error)) {
      throw error;
    }
    throw unwritable(dir, error);
  }
  try {
    if (!(await file.tryLock(true))) {
      if (!wait) {
        const holder = (await Deno.readTextFile(path)).trim();
        throw new LegerError(
          "ERR_LOCKED",
          `Cannot change ${what}: another leger process${
            /^\d+$/.test(holder) ? ` (PID ${holder})` : ""
          } is changing it now`,
          {
            remedy:
              "Wait for it to finish, or run the command again with --wait",
          },
        );
      }
      await file.lock(true);
    }
    try {
      await file.truncate(0);
      await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
    } catch (error) {
      throw error instanceof Error ? unwritable(dir, error) : error;
    }
  } catch (error) {
    file.close();
    throw error;
  }
  const release = async () => {
    await file.truncate(0).catch(() => {});
    await file.unlock().catch(() => {});
    file.close();
  };
  return { release, [Symbol.asyncDispose]: release };
}
