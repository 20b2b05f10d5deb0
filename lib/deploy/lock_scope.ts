import { acquireLock, type HeldLock } from "../state/lock.ts";
import { type DeployContext, pathsOf } from "./context.ts";

/**
 * Takes the lock that keeps two leger processes (or leger and legerd) from
 * changing the same scope at once: `deploy.lock` in leger's state folder of
 * the scope. Every install, update and remove holds it from before it reads
 * `deployments.yaml` until it has recorded what it did.
 *
 * Requires `--allow-read` and `--allow-write` for leger's state folder.
 *
 * @param context The scope and its folders.
 * @param options `wait` for another holder instead of failing.
 * @returns The held lock; release it with `await using`.
 * @throws {LegerError} `ERR_LOCKED` naming the holder, unless `wait`.
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
  return await acquireLock(`${pathsOf(context).stateDir}/deploy.lock`, {
    wait: options.wait,
    what: `leger's deployments in the ${context.scope} scope`,
  });
}
