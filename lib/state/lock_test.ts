import { match, rejects, strictEqual } from "node:assert/strict";
import { acquireLock } from "./lock.ts";

Deno.test("acquireLock() refuses a second holder, naming the first, until it releases", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const path = `${dir}/state/deploy.lock`;
    const first = await acquireLock(path, { what: "the user scope" });
    // A second process takes its own flock on the same file; Deno opens a new
    // file description per open, so this stands for one within the process.
    await rejects(
      acquireLock(path, { what: "the user scope" }),
      (error: Error & { code: string }) => {
        strictEqual(error.code, "ERR_LOCKED");
        match(
          error.message,
          new RegExp(
            `^Cannot change the user scope: another leger process \\(PID ${Deno.pid}\\) is changing it now$`,
          ),
        );
        return true;
      },
    );
    await first.release();
    const again = await acquireLock(path, { what: "the user scope" });
    await again.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() with wait takes the lock once the holder releases it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    const path = `${dir}/deploy.lock`;
    const first = await acquireLock(path, { what: "x" });
    let taken = false;
    const waiting = acquireLock(path, { what: "x", wait: true }).then(
      (lock) => {
        taken = true;
        return lock;
      },
    );
    // Let the waiter run as far as it can: it must still be waiting.
    await new Promise((resolve) => setTimeout(resolve, 0));
    strictEqual(taken, false);
    await first.release();
    const second = await waiting;
    strictEqual(taken, true);
    await second.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
