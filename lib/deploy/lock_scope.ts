import { acquireLock, type HeldLock } from "../state/lock.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import { finishInterruptedChange } from "./finish_interrupted_change.ts";

/**
 * Takes the lock that keeps two leger processes (or leger and legerd) from
 * changing the same scope at once — `deploy.lock` in leger's state folder of
 * the scope — and then finishes any change a leger left unfinished
 * ({@linkcode finishInterruptedChange}), saying so in one progress line.
 * Every install, update and remove holds it from before it reads
 * `deployments.yaml` until it has recorded what it did.
 *
 * Requires `--allow-read` and `--allow-write` for leger's state folder, and
 * what finishing a change requires.
 *
 * @param context The scope and its folders.
 * @param options `wait` for another holder instead of failing.
 * @returns The held lock; release it with `await using`.
 * @throws {LegerError} `ERR_LOCKED` naming the holder, unless `wait`; what
 * finishing an interrupted change throws (the lock is released).
 *
 * @example Usage
 * ```ts ignore
 * import { lockScope } from "./lock_scope.ts";
 * await using _lock = await lockScope(context, { wait: false });
 * ```
 */
export async function lockScope(
  context: DeployContext,
  options: { wait: boolean },
): Promise<HeldLock> {
  const lock = await acquireLock(`${pathsOf(context).stateDir}/deploy.lock`, {
    wait: options.wait,
    what: `leger's deployments in the ${context.scope} scope`,
  });
  try {
    const said = await finishInterruptedChange(context);
    if (said !== null) context.progress(said);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}
