import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { FakeTimers, settle } from "./_fake_timers.ts";
import { PollLoop, type PollLoopOptions } from "./poll_loop.ts";

/** A sync whose outcomes the test chooses, and that can be held mid-way. */
function scriptedSync(outcomes: (boolean | "throw")[]) {
  const reasons: string[] = [];
  let running = 0;
  let maxRunning = 0;
  let hold: Promise<void> | undefined;
  let release = () => {};
  return {
    reasons,
    get maxRunning() {
      return maxRunning;
    },
    /** Holds the next syncs until {@linkcode release} is called. */
    holdNext() {
      hold = new Promise((resolve) => release = resolve);
    },
    release: () => release(),
    sync: async (reason: string): Promise<boolean> => {
      reasons.push(reason);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        if (hold !== undefined) await hold;
        const outcome = outcomes.shift() ?? true;
        if (outcome === "throw") throw new Error("boom");
        return outcome;
      } finally {
        running--;
      }
    },
  };
}

function loopWith(
  timers: FakeTimers,
  sync: (reason: string) => Promise<boolean>,
  options: Partial<PollLoopOptions> = {},
) {
  const nextPolls: (number | null)[] = [];
  const logs: string[] = [];
  const loop = new PollLoop({
    intervalMs: 60_000,
    sync,
    random: () => 0.5,
    startTimer: timers.startTimer,
    now: timers.now,
    onNextPoll: (at) =>
      nextPolls.push(at === null ? null : at.getTime() - timers.now()),
    log: (line) => logs.push(line),
    ...options,
  });
  return { loop, nextPolls, logs };
}

Deno.test("PollLoop syncs at start, then every interval", async () => {
  const timers = new FakeTimers();
  const script = scriptedSync([]);
  const { loop, nextPolls } = loopWith(timers, script.sync);
  loop.start();
  await loop.firstAttempt;
  await settle();
  deepStrictEqual(script.reasons, ["start"]);
  deepStrictEqual(timers.pending(), [60_000]);
  deepStrictEqual(nextPolls, [null, 60_000]);
  await timers.advance(59_999);
  strictEqual(script.reasons.length, 1);
  await timers.advance(1);
  deepStrictEqual(script.reasons, ["start", "poll"]);
  await timers.advance(60_000);
  deepStrictEqual(script.reasons, ["start", "poll", "poll"]);
  await loop.stop();
  deepStrictEqual(timers.pending(), []);
  strictEqual(nextPolls.at(-1), null);
});

Deno.test("PollLoop jitters the interval by ±10 %", async (t) => {
  const cases: [number, number][] = [[0, 54_000], [0.5, 60_000], [
    0.999999,
    66_000,
  ]];
  for (const [random, wait] of cases) {
    await t.step(`random ${random}`, async () => {
      const timers = new FakeTimers();
      const { loop } = loopWith(timers, () => Promise.resolve(true), {
        random: () => random,
      });
      loop.start();
      await loop.firstAttempt;
      await settle();
      deepStrictEqual(timers.pending(), [wait]);
      await loop.stop();
    });
  }
});

Deno.test("PollLoop backs off from 1 s, doubling to 5 minutes, then returns to the interval", async () => {
  const timers = new FakeTimers();
  const outcomes: (boolean | "throw")[] = [
    false,
    "throw",
    ...Array(10).fill(false),
  ];
  const script = scriptedSync(outcomes);
  const { loop, logs } = loopWith(timers, script.sync, {
    intervalMs: 3_600_000,
  });
  loop.start();
  await loop.firstAttempt;
  await settle();
  const waits: number[] = [];
  for (let i = 0; i < 12; i++) {
    const [wait] = timers.pending();
    waits.push(wait);
    await timers.advance(wait);
  }
  deepStrictEqual(waits, [
    1_000,
    2_000,
    4_000,
    8_000,
    16_000,
    32_000,
    64_000,
    128_000,
    256_000,
    300_000,
    300_000,
    300_000,
  ]);
  strictEqual(loop.failures, 0, "the 13th sync succeeded");
  deepStrictEqual(timers.pending(), [3_600_000]);
  match(logs[0], /^sync failed \(1 in a row\); next attempt in 1\.0s$/);
  match(logs[1], /^sync failed \(2 in a row\): boom; next attempt in 2\.0s$/);
  strictEqual(logs.at(-1), "sync succeeded after 12 failed attempts");
  deepStrictEqual(script.reasons.slice(0, 3), ["start", "retry", "retry"]);
  await loop.stop();
});

Deno.test("PollLoop jitters the back-off and never waits longer than the interval", async () => {
  const timers = new FakeTimers();
  const { loop } = loopWith(timers, () => Promise.resolve(false), {
    intervalMs: 10_000,
    random: () => 0,
  });
  loop.start();
  await loop.firstAttempt;
  await settle();
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    const [wait] = timers.pending();
    waits.push(wait);
    await timers.advance(wait);
  }
  deepStrictEqual(waits, [900, 1_800, 3_600, 7_200, 9_000, 9_000]);
  await loop.stop();
});

Deno.test("PollLoop runs one sync at a time: triggers during a sync make one more after it", async () => {
  const timers = new FakeTimers();
  const script = scriptedSync([]);
  const { loop } = loopWith(timers, script.sync);
  script.holdNext();
  loop.start();
  await settle();
  loop.trigger("quadlet folder changed");
  loop.trigger("quadlet folder changed again");
  await timers.advance(120_000);
  deepStrictEqual(
    script.reasons,
    ["start"],
    "nothing starts while a sync runs",
  );
  script.release();
  await settle();
  deepStrictEqual(script.reasons, ["start", "quadlet folder changed"]);
  strictEqual(script.maxRunning, 1);
  deepStrictEqual(
    timers.pending(),
    [60_000],
    "one poll planned after the triggered sync",
  );
  await loop.stop();
});

Deno.test("PollLoop.trigger() syncs at once when idle and plans the next poll from then", async () => {
  const timers = new FakeTimers();
  const script = scriptedSync([]);
  const { loop } = loopWith(timers, script.sync);
  loop.start();
  await loop.firstAttempt;
  await timers.advance(30_000);
  loop.trigger("quadlet folder changed");
  await settle();
  deepStrictEqual(script.reasons, ["start", "quadlet folder changed"]);
  deepStrictEqual(timers.pending(), [60_000]);
  await loop.stop();
});

Deno.test("PollLoop.setIntervalMs() plans the next poll again with the new interval", async () => {
  const timers = new FakeTimers();
  const { loop, nextPolls } = loopWith(timers, () => Promise.resolve(true));
  loop.start();
  await loop.firstAttempt;
  await settle();
  await timers.advance(10_000);
  loop.setIntervalMs(30_000);
  deepStrictEqual(timers.pending(), [30_000]);
  strictEqual(nextPolls.at(-1), 30_000);
  strictEqual(loop.intervalMs, 30_000);
  await loop.stop();
});

Deno.test("PollLoop.stop() waits for the sync in flight and starts none after it", async () => {
  const timers = new FakeTimers();
  const script = scriptedSync([]);
  const { loop } = loopWith(timers, script.sync);
  script.holdNext();
  loop.start();
  await settle();
  strictEqual(typeof loop.busySince, "number");
  let stopped = false;
  const stopping = loop.stop().then(() => stopped = true);
  loop.trigger("late trigger");
  await settle();
  strictEqual(stopped, false, "stop waits for the sync in flight");
  script.release();
  await stopping;
  strictEqual(loop.busySince, null);
  deepStrictEqual(script.reasons, ["start"]);
  deepStrictEqual(timers.pending(), []);
});

Deno.test("PollLoop.stop() before start settles firstAttempt", async () => {
  const timers = new FakeTimers();
  const { loop } = loopWith(timers, () => Promise.resolve(true));
  await loop.stop();
  await loop.firstAttempt;
  loop.start();
  deepStrictEqual(timers.pending(), []);
});
