import { LegerError } from "../errors/mod.ts";

/** A held lock; release it in `finally`. */
export interface HeldLock extends AsyncDisposable {
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
  /**
   * How often to look again while waiting, in milliseconds.
   *
   * @default {100}
   */
  pollMs?: number;
  /** What the lock guards, for the message: `the user scope`. */
  what: string;
}

/**
 * Takes an exclusive lock so that two leger processes cannot change the same
 * scope at once: a file created with O_EXCL holding the owner's PID. A lock
 * whose process is gone (a crash, a kill -9) is taken over.
 *
 * Requires `--allow-read` and `--allow-write` for the lock's folder and
 * `/proc`.
 *
 * @throws {LegerError} `ERR_LOCKED` naming the other process, unless `wait`.
 *
 * @example Usage
 * ```ts ignore
 * import { acquireLock } from "./lock.ts";
 * await using _lock = await acquireLock("/run/user/1000/leger/deploy.lock", { what: "the user scope" });
 * ```
 */
export async function acquireLock(
  path: string,
  options: AcquireLockOptions,
): Promise<HeldLock> {
  const { wait = false, pollMs = 100, what } = options;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  while (true) {
    try {
      const file = await Deno.open(path, {
        write: true,
        createNew: true,
        mode: 0o644,
      });
      await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
      file.close();
      const release = () => Deno.remove(path).catch(() => {});
      return { release, [Symbol.asyncDispose]: release };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const holder = await readHolder(path);
    if (holder !== null && !(await isRunning(holder))) {
      // The holder died without releasing it: take it over.
      await Deno.remove(path).catch(() => {});
      continue;
    }
    if (!wait) {
      throw new LegerError(
        "ERR_LOCKED",
        `Cannot change ${what}: another leger process${
          holder === null ? "" : ` (PID ${holder})`
        } is changing it now`,
        {
          remedy: "Wait for it to finish, or run the command again with --wait",
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function readHolder(path: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await Deno.readTextFile(path), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function isRunning(pid: number): Promise<boolean> {
  try {
    await Deno.stat(`/proc/${pid}`);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
