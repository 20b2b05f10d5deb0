/**
 * legerd's schedule: when the next sync runs. Modelled on setec's `Store`
 * (tailscale/setec `client/setec/store.go`): poll at an interval with
 * jitter, back off after a failure, one refresh in flight at a time.
 *
 * @module
 */

/** The longest wait after failed syncs: 5 minutes. */
export const MAX_BACKOFF_MS = 300_000;
/** The first wait after a failed sync: 1 second, doubled after each further failure. */
export const FIRST_BACKOFF_MS = 1_000;
/** How far a wait strays from its nominal length, either way: 10 %. */
export const JITTER = 0.1;

/** Options for {@linkcode PollLoop}. */
export interface PollLoopOptions {
  /**
   * Runs one sync. Resolves `true` when it succeeded, `false` when it
   * failed (and should be retried after a back-off); a rejection counts as a
   * failure too, and its message goes into the loop's log line ("sync
   * failed (2 in a row): <message>; next attempt in 2.0s"), so it must hold
   * no value. The loop never runs two at once.
   *
   * @param reason Why it runs: `start`, `poll`, `retry`, or what
   * {@linkcode PollLoop.trigger} was given.
   */
  sync(reason: string): Promise<boolean>;
  /** The poll interval before jitter, in milliseconds. */
  intervalMs: number;
  /**
   * Tells where the next poll stands (`null` while a sync runs or after
   * {@linkcode PollLoop.stop}): legerd passes it on to the engine's health.
   *
   * @default {() => {}}
   */
  onNextPoll?: (at: Date | null) => void;
  /**
   * Log lines (failures, back-off, recovery).
   *
   * @default {() => {}}
   */
  log?: (line: string) => void;
  /**
   * A number in [0, 1), for jitter.
   *
   * @default {Math.random}
   */
  random?: () => number;
  /**
   * Starts a timer; returns what cancels it.
   *
   * @default {setTimeout, cancelled by clearTimeout}
   */
  startTimer?: (callback: () => void, ms: number) => () => void;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default {Date.now}
   */
  now?: () => number;
}

/**
 * Runs syncs on a schedule:
 *
 * - the first at once ({@linkcode PollLoop.start});
 * - after a success, the next one interval later, ±10 % jitter so that many
 *   hosts do not poll leger.run in step;
 * - after a failure, a back-off of 1 s doubling up to 5 minutes, ±10 %,
 *   but never longer than the interval: polling at the interval is the load
 *   the user chose, and a long interval should not slow the recovery;
 * - at once when {@linkcode PollLoop.trigger}ed (the quadlet folder
 *   changed), but never two at once: a trigger during a sync runs one more
 *   right after it, however many triggers came.
 *
 * @example Usage
 * ```ts
 * import { PollLoop } from "./poll_loop.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const reasons: string[] = [];
 * const loop = new PollLoop({
 *   intervalMs: 60_000,
 *   sync: (reason) => { reasons.push(reason); return Promise.resolve(true); },
 *   startTimer: () => () => {},
 * });
 * loop.start();
 * await loop.firstAttempt;
 * await loop.stop();
 * strictEqual(reasons[0], "start");
 * ```
 */
export class PollLoop {
  #sync: PollLoopOptions["sync"];
  #intervalMs: number;
  #onNextPoll: (at: Date | null) => void;
  #log: (line: string) => void;
  #random: () => number;
  #startTimer: (callback: () => void, ms: number) => () => void;
  #now: () => number;
  #cancel: (() => void) | undefined;
  #inFlight: Promise<void> | undefined;
  #busySince: number | null = null;
  #again: string | undefined;
  #stopping = false;
  #failures = 0;
  #firstDone!: () => void;
  /** Settles when the first sync has ended, whether it succeeded or not. */
  readonly firstAttempt: Promise<void>;

  /**
   * Makes a loop; nothing runs before {@linkcode PollLoop.start}.
   *
   * @param options The sync, the interval, and the clock and timers.
   */
  constructor(options: PollLoopOptions) {
    const {
      sync,
      intervalMs,
      onNextPoll = () => {},
      log = () => {},
      random = Math.random,
      startTimer = realTimer,
      now = Date.now,
    } = options;
    this.#sync = sync;
    this.#intervalMs = intervalMs;
    this.#onNextPoll = onNextPoll;
    this.#log = log;
    this.#random = random;
    this.#startTimer = startTimer;
    this.#now = now;
    this.firstAttempt = new Promise((resolve) => this.#firstDone = resolve);
  }

  /** The number of syncs that failed in a row (0 after a success). */
  get failures(): number {
    return this.#failures;
  }

  /** When the sync in flight started (ms since the epoch), or `null` when none runs. */
  get busySince(): number | null {
    return this.#busySince;
  }

  /** The poll interval before jitter, in milliseconds. */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Runs the first sync now; the schedule follows from its outcome. */
  start(): void {
    this.#run("start");
  }

  /**
   * Asks for a sync as soon as possible: now when none runs, right after
   * the one in flight otherwise (triggers during a sync make one more, not
   * one each).
   *
   * @param reason Why, for the log and the sync (`quadlet folder changed`).
   */
  trigger(reason: string): void {
    this.#run(reason);
  }

  /**
   * Changes the poll interval (a reload of legerd.yaml). A poll already
   * planned is planned again from now with the new interval, unless the
   * loop is backing off after a failure and the back-off ends sooner.
   *
   * @param ms The new interval before jitter.
   */
  setIntervalMs(ms: number): void {
    this.#intervalMs = ms;
    if (this.#cancel === undefined || this.#stopping) return;
    this.#schedule(
      this.#failures === 0 ? ms : this.#backoffMs(),
      this.#failures === 0 ? "poll" : "retry",
    );
  }

  /**
   * Stops: no sync starts any more, and the one in flight (if any) is
   * awaited, so that it finishes the step it is in.
   *
   * @returns A promise that settles when no sync runs.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#again = undefined;
    this.#cancelTimer();
    this.#onNextPoll(null);
    await this.#inFlight;
    this.#firstDone();
  }

  #run(reason: string): void {
    if (this.#stopping) return;
    if (this.#inFlight !== undefined) {
      this.#again ??= reason;
      return;
    }
    this.#cancelTimer();
    this.#onNextPoll(null);
    this.#busySince = this.#now();
    this.#inFlight = this.#once(reason);
  }

  async #once(reason: string): Promise<void> {
    let ok: boolean;
    let why = "";
    try {
      ok = await this.#sync(reason);
    } catch (error) {
      ok = false;
      why = `: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.#inFlight = undefined;
    this.#busySince = null;
    this.#firstDone();
    if (this.#stopping) return;
    if (ok) {
      if (this.#failures > 0) {
        this.#log(
          `sync succeeded after ${this.#failures} failed attempt${
            this.#failures === 1 ? "" : "s"
          }`,
        );
      }
      this.#failures = 0;
      this.#schedule(this.#intervalMs, "poll");
    } else {
      this.#failures++;
      const wait = this.#schedule(this.#backoffMs(), "retry");
      this.#log(
        `sync failed (${this.#failures} in a row)${why}; next attempt in ${
          formatSeconds(wait)
        }`,
      );
    }
    const again = this.#again;
    this.#again = undefined;
    if (again !== undefined) this.#run(again);
  }

  #backoffMs(): number {
    const doubled = FIRST_BACKOFF_MS * 2 ** Math.min(this.#failures - 1, 30);
    return Math.min(doubled, MAX_BACKOFF_MS, this.#intervalMs);
  }

  /** Plans the next sync `ms` (±10 %) from now; returns the wait chosen. */
  #schedule(ms: number, reason: string): number {
    this.#cancelTimer();
    const wait = Math.round(ms * (1 - JITTER + 2 * JITTER * this.#random()));
    this.#cancel = this.#startTimer(() => {
      this.#cancel = undefined;
      this.#run(reason);
    }, wait);
    this.#onNextPoll(new Date(this.#now() + wait));
    return wait;
  }

  #cancelTimer(): void {
    if (this.#cancel === undefined) return;
    this.#cancel();
    this.#cancel = undefined;
  }
}

function realTimer(callback: () => void, ms: number): () => void {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
}

function formatSeconds(ms: number): string {
  return ms < 10_000
    ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.round(ms / 1000)}s`;
}
