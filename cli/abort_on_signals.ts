/**
 * Turns SIGINT, SIGTERM and SIGHUP into an abort of the change under way, so
 * that Ctrl-C, `timeout`, `systemctl stop` and a closed terminal all undo it
 * the same way, and keeps them from ending leger while it undoes.
 *
 * @module
 */
import type { CommandDeps } from "./deps.ts";

/** The signals that undo a change. */
export const UNDO_SIGNALS: readonly Deno.Signal[] = [
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
];

/**
 * Listens for {@linkcode UNDO_SIGNALS} until disposed: the first aborts the
 * returned signal and says the change is being undone; any later one only
 * says to wait (the undo itself is never cut short).
 *
 * @param deps Where signals come from and where to say so.
 * @param options What leger does once signalled, for the message: a change
 * that can be undone is undone; a removal is finished instead (it ignores
 * the abort signal).
 * @returns The abort signal, and `[Symbol.dispose]` to stop listening.
 *
 * @example Usage
 * ```ts ignore
 * import { abortOnSignals } from "./abort_on_signals.ts";
 * using signals = abortOnSignals(deps);
 * await installDeployment(prepared, pipeline, { signal: signals.signal });
 * ```
 */
export function abortOnSignals(
  deps: Pick<CommandDeps, "context" | "onSignal">,
  options: { doing?: string } = {},
): { signal: AbortSignal } & Disposable {
  const { doing = "undoing the change" } = options;
  const controller = new AbortController();
  const removers = UNDO_SIGNALS.map((name) =>
    deps.onSignal(name, () => {
      if (controller.signal.aborted) {
        deps.context.err(
          `${name}: still ${doing}, please wait; leger ends by itself once it is done\n`,
        );
        return;
      }
      deps.context.err(`\n${name}: ${doing}, please wait…\n`);
      controller.abort(new Error(`Interrupted by ${name}`));
    })
  );
  return {
    signal: controller.signal,
    [Symbol.dispose]: () => removers.forEach((remove) => remove()),
  };
}
