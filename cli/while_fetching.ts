/**
 * Lets SIGINT, SIGTERM and SIGHUP stop the fetch of a source cleanly: git
 * stopped, its temporary checkout removed, downloads cancelled, and the
 * command ending with `ERR_INTERRUPTED` instead of dying mid-way.
 *
 * @module
 */
import { LegerError } from "../lib/errors/mod.ts";
import { UNDO_SIGNALS } from "./abort_on_signals.ts";
import type { CommandDeps } from "./deps.ts";

/**
 * Runs `fetch` (a fetch of a source, or a plan that starts with one) with
 * {@linkcode UNDO_SIGNALS} aborting the signal it is given. The first signal
 * aborts it and says so; listening stops there, so that a second signal ends
 * leger at once (nothing is changed on the host while fetching, and the
 * cleanup an abort starts takes milliseconds).
 *
 * @param deps Where signals come from and where to say so.
 * @param fetch The work, given the signal to stop at.
 * @returns What `fetch` returned.
 * @throws {LegerError} `ERR_INTERRUPTED` when a signal came, even if
 * `fetch` finished anyway; any error of `fetch`.
 *
 * @example Usage
 * ```ts ignore
 * import { whileFetching } from "./while_fetching.ts";
 * const deployment = await whileFetching(
 *   deps,
 *   (signal) => resolveSource(source, context, { signal }),
 * );
 * ```
 */
export async function whileFetching<T>(
  deps: Pick<CommandDeps, "context" | "onSignal">,
  fetch: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let removers: (() => void)[] = [];
  const stopListening = () => {
    removers.forEach((remove) => remove());
    removers = [];
  };
  removers = UNDO_SIGNALS.map((name) =>
    deps.onSignal(name, () => {
      stopListening();
      deps.context.err(`\n${name}: stopping, please wait…\n`);
      controller.abort(new Error(`Interrupted by ${name}`));
    })
  );
  try {
    const result = await fetch(controller.signal);
    if (controller.signal.aborted) {
      throw new LegerError(
        "ERR_INTERRUPTED",
        "Cannot finish the command: it was interrupted",
        {
          cause: controller.signal.reason,
          remedy: "Nothing was changed on this host; run the command again",
        },
      );
    }
    return result;
  } finally {
    stopListening();
  }
}
