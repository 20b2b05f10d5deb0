import { acquireLock, type HeldLock } from "../../../lib/state/lock.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { CliContext } from "../../context.ts";

/**
 * Takes the lock that keeps two leger processes from changing the same scope
 * at once (`deploy.lock` in leger's state folder of the scope).
 *
 * `LEGER_TEST_HOLD_LOCK_MS` makes leger hold it that long after taking it, so
 * that tests can start a second process while the first surely holds it.
 *
 * Requires `--allow-read`, `--allow-write` and `--allow-env`.
 */
export async function holdDeployLock(
  scope: Scope,
  options: { context: CliContext; wait: boolean },
): Promise<HeldLock> {
  const { context, wait } = options;
  const { stateDir } = legerPaths(scope, context);
  const lock = await acquireLock(`${stateDir}/deploy.lock`, {
    wait,
    what: `leger's deployments in the ${scope} scope`,
  });
  const hold = Number(context.env("LEGER_TEST_HOLD_LOCK_MS") ?? 0);
  if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
  return lock;
}
