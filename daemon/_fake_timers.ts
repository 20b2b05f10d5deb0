/**
 * A hand-driven clock and timers for legerd's tests: nothing waits for real
 * time; {@linkcode FakeTimers.advance} moves the clock and fires what is due.
 *
 * @module
 */

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** A fake clock with `startTimer` to pass where legerd takes timers. */
export class FakeTimers {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;

  /** @param start The clock's start, in ms since the epoch. */
  constructor(start = Date.parse("2025-06-01T12:00:00Z")) {
    this.#now = start;
  }

  /** The clock, in ms since the epoch. */
  now = (): number => this.#now;

  /** Starts a timer; returns what cancels it. */
  startTimer = (callback: () => void, ms: number): () => void => {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), callback });
    return () => {
      this.#timers = this.#timers.filter((timer) => timer.id !== id);
    };
  };

  /** The delays of the pending timers from now, soonest first. */
  pending(): number[] {
    return this.#timers.map((timer) => timer.at - this.#now).sort((a, b) =>
      a - b
    );
  }

  /**
   * Moves the clock forward by `ms`, firing each timer that falls due in
   * order, and lets promises settle after each.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    while (true) {
      const due = this.#timers
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = due.at;
      due.callback();
      await settle();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (a few macrotask turns, no real delay). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
