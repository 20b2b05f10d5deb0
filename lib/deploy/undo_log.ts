/**
 * The changes a command made, each with the step that undoes it, so that a
 * failure (or Ctrl-C) part-way leaves the host as it was before the command.
 *
 * @example Usage
 * ```ts
 * import { UndoLog } from "./undo_log.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const done: string[] = [];
 * const log = new UndoLog();
 * log.push("a", () => { done.push("undo a"); });
 * log.push("b", () => { done.push("undo b"); });
 * await log.undoAll();
 * deepStrictEqual(done, ["undo b", "undo a"]);
 * ```
 */
export class UndoLog {
  #steps: { what: string; undo: () => Promise<void> | void }[] = [];

  /** Records a change that was made, and how to undo it. */
  push(what: string, undo: () => Promise<void> | void): void {
    this.#steps.push({ what, undo });
  }

  /**
   * Undoes every recorded change, newest first. A step that fails does not
   * stop the others; the failures are returned so the caller can report them.
   */
  async undoAll(): Promise<{ what: string; error: unknown }[]> {
    const failures: { what: string; error: unknown }[] = [];
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()!;
      try {
        await step.undo();
      } catch (error) {
        failures.push({ what: step.what, error });
      }
    }
    return failures;
  }
}
