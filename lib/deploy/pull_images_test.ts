import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { pullImages } from "./pull_images.ts";
import type { ImagePullPolicy, ImageToPull } from "./images_to_pull.ts";
import { type DeployContext, deployContext } from "./context.ts";
import { fakeRunner } from "../adapters/fake_runner.ts";
import { CommandError } from "../adapters/command_error.ts";
import type { Runner, RunResult } from "../adapters/run.ts";
import { LegerError } from "../errors/leger_error.ts";

function image(
  ref: string,
  policy: ImagePullPolicy = "missing",
  unit = "web.container",
): ImageToPull {
  return { image: ref, unit, file: unit, line: 3, policy };
}

function contextOf(runner: Runner, lines: string[] = []): DeployContext {
  return deployContext({
    scope: "user",
    home: "/home/a",
    cwd: "/",
    env: () => undefined,
    runner,
    progress: (line) => lines.push(line),
  });
}

/** A timer that fires only when the test says so. */
function fakeTimers() {
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const setTimer = (callback: () => void, ms: number) => {
    const timer = { callback, ms, cleared: false };
    timers.push(timer);
    return () => {
      timer.cleared = true;
    };
  };
  return { timers, setTimer };
}

/**
 * A runner whose `podman pull` calls wait until the test finishes them, as a
 * slow registry would; `podman image exists` answers at once.
 */
function gatedRunner(present: readonly string[] = []) {
  const pulls: {
    ref: string;
    signal?: AbortSignal;
    done: boolean;
    finish(stderr?: string): void;
  }[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const runner: Runner = (bin, args, options = {}) => {
    if (bin === "podman" && args[0] === "image" && args[1] === "exists") {
      const code = present.includes(args[2]) ? 0 : 1;
      return Promise.resolve({ code, stdout: "", stderr: "" });
    }
    if (bin !== "podman" || args[0] !== "pull") {
      return Promise.reject(new Error(`Unexpected call: ${args.join(" ")}`));
    }
    return new Promise<RunResult>((resolve, reject) => {
      const { signal } = options;
      const pull = {
        ref: args.at(-1)!,
        signal,
        done: false,
        finish(stderr?: string) {
          if (pull.done) return;
          pull.done = true;
          inFlight--;
          if (stderr === undefined) {
            resolve({ code: 0, stdout: "sha256:1\n", stderr: "" });
          } else reject(new CommandError(bin, args, 125, stderr));
        },
      };
      // Like run(): an abort stops the program and rejects with the reason.
      signal?.addEventListener("abort", () => {
        if (pull.done) return;
        pull.done = true;
        inFlight--;
        reject(signal.reason);
      }, { once: true });
      pulls.push(pull);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      for (const waiter of waiters.filter((w) => pulls.length >= w.count)) {
        waiter.resolve();
      }
    });
  };
  return {
    runner,
    pulls,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** Resolves once `count` pulls have started. */
    started(count: number): Promise<void> {
      if (pulls.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

Deno.test("pullImages() checks every image and pulls only what it must", async () => {
  const runner = fakeRunner([
    { bin: "podman", args: ["image", "exists", "quay.io/a:1"] },
    {
      bin: "podman",
      args: ["image", "exists", "quay.io/b:1"],
      result: { code: 1 },
    },
    { bin: "podman", args: ["pull", "--quiet", "quay.io/b:1"] },
    { bin: "podman", args: ["pull", "--quiet", "quay.io/c:1"] },
    { bin: "podman", args: ["image", "exists", "localhost/d:1"] },
  ]);
  const lines: string[] = [];
  const { timers, setTimer } = fakeTimers();
  const result = await pullImages(
    [
      image("quay.io/a:1"),
      image("quay.io/b:1"),
      image("quay.io/c:1", "always"),
      image("localhost/d:1", "local"),
    ],
    contextOf(runner, lines),
    { setTimer },
  );
  deepStrictEqual(result, {
    pulled: ["quay.io/b:1", "quay.io/c:1"],
    present: ["quay.io/a:1", "localhost/d:1"],
  });
  runner.assertAllCalled();
  deepStrictEqual(lines, [], "quiet when not on a terminal");
  strictEqual(timers.length, 2);
  ok(timers.every((t) => t.cleared && t.ms === 5000));
});

Deno.test("pullImages() does nothing for no images", async () => {
  const runner = fakeRunner([]);
  deepStrictEqual(await pullImages([], contextOf(runner)), {
    pulled: [],
    present: [],
  });
});

Deno.test("pullImages() pulls in parallel, at most `concurrency` at once", async (t) => {
  const images = ["a", "b", "c", "d", "e", "f"].map((n) =>
    image(`quay.io/${n}`)
  );
  const cases: { concurrency?: number; expected: number }[] = [
    { concurrency: 1, expected: 1 },
    { concurrency: 2, expected: 2 },
    { expected: 4 },
    { concurrency: 10, expected: 6 },
  ];
  for (const { concurrency, expected } of cases) {
    await t.step(`concurrency ${concurrency ?? "default"}`, async () => {
      const gate = gatedRunner();
      const done = pullImages(images, contextOf(gate.runner), {
        concurrency,
        setTimer: fakeTimers().setTimer,
      });
      for (let finished = 0; finished < images.length; finished++) {
        await gate.started(Math.min(finished + expected, images.length));
        strictEqual(
          gate.inFlight,
          Math.min(expected, images.length - finished),
        );
        gate.pulls.find((p) => !p.done)!.finish();
      }
      deepStrictEqual((await done).pulled, images.map((i) => i.image));
      strictEqual(gate.maxInFlight, expected);
      deepStrictEqual(gate.pulls.map((p) => p.ref), images.map((i) => i.image));
    });
  }
});

Deno.test("pullImages() throws ERR_IMAGE_PULL_FAILED naming the image and Podman's reason", async (t) => {
  const cases: { name: string; stderr: string; reason: string }[] = [
    {
      name: "Podman's error line",
      stderr:
        "Error: initializing source docker://quay.io/app/web:nope: reading manifest nope in quay.io/app/web: manifest unknown\n",
      reason:
        "initializing source docker://quay.io/app/web:nope: reading manifest nope in quay.io/app/web: manifest unknown",
    },
    {
      name: "the last line after Podman's tries",
      stderr: "Trying to pull quay.io/app/web:nope...\n" +
        "WARN[0002] Failed, retrying in 1s ... (1/3). Error: pinging container registry quay.io: dial tcp: lookup quay.io: no such host\n" +
        "Error: pinging container registry quay.io: dial tcp: lookup quay.io: no such host\n",
      reason:
        "pinging container registry quay.io: dial tcp: lookup quay.io: no such host",
    },
    {
      name: "no stderr",
      stderr: "",
      reason: "podman exited with code 125",
    },
  ];
  for (const { name, stderr, reason } of cases) {
    await t.step(name, async () => {
      const runner = fakeRunner([
        {
          bin: "podman",
          args: ["image", "exists", "quay.io/app/web:nope"],
          result: { code: 1 },
        },
        {
          bin: "podman",
          args: ["pull", "--quiet", "quay.io/app/web:nope"],
          result: { code: 125, stderr },
        },
      ]);
      await rejects(
        pullImages(
          [image("quay.io/app/web:nope", "missing", "web.container")],
          contextOf(runner),
          { setTimer: fakeTimers().setTimer },
        ),
        (error) => {
          ok(error instanceof LegerError);
          strictEqual(error.code, "ERR_IMAGE_PULL_FAILED");
          strictEqual(
            error.message,
            `Cannot pull "quay.io/app/web:nope" for web.container: ${reason}`,
          );
          strictEqual(error.where, "web.container:3");
          strictEqual(
            error.remedy,
            "Check the image name and tag in web.container, your network and registry login (`podman login`), then install again; or pass --no-pull to let systemd pull at start",
          );
          ok(error.cause instanceof CommandError);
          return true;
        },
      );
    });
  }
});

Deno.test("pullImages() throws ERR_IMAGE_PULL_FAILED for a missing image it must not pull", async (t) => {
  const cases: { image: ImageToPull; message: RegExp; remedy: RegExp }[] = [
    {
      image: image("localhost/app:1", "local"),
      message:
        /^Cannot pull "localhost\/app:1" for web\.container: it is a local image, and it is not on this host$/,
      remedy: /^Build it \(`podman build -t localhost\/app:1 …`\) or load it/,
    },
    {
      image: image("quay.io/a:1", "local"),
      message:
        /^Cannot pull "quay\.io\/a:1" for web\.container: it is not on this host, and Pull=never forbids pulling it$/,
      remedy:
        /^Pull it first \(`podman pull quay\.io\/a:1`\), or remove Pull=never from web\.container/,
    },
    {
      image: image("quay.io/a:1", "local", "a.image"),
      message: /Policy=never forbids pulling it$/,
      remedy: /remove Policy=never from a\.image/,
    },
  ];
  for (const { image, message, remedy } of cases) {
    await t.step(image.image + " " + image.unit, async () => {
      const runner = fakeRunner([{
        bin: "podman",
        args: ["image", "exists", image.image],
        result: { code: 1 },
      }]);
      await rejects(pullImages([image], contextOf(runner)), (error) => {
        ok(error instanceof LegerError);
        strictEqual(error.code, "ERR_IMAGE_PULL_FAILED");
        ok(message.test(error.message), error.message);
        ok(remedy.test(error.remedy ?? ""), error.remedy);
        return true;
      });
      runner.assertAllCalled();
    });
  }
});

Deno.test("pullImages() stops the other pulls when one fails, and starts no more", async () => {
  const gate = gatedRunner();
  const images = ["a", "b", "c", "d", "e"].map((n) => image(`quay.io/${n}`));
  const done = pullImages(images, contextOf(gate.runner), {
    concurrency: 3,
    setTimer: fakeTimers().setTimer,
  });
  await gate.started(3);
  gate.pulls[1].finish("Error: quay.io/b: manifest unknown\n");
  await rejects(done, {
    name: "LegerError",
    message:
      'Cannot pull "quay.io/b" for web.container: quay.io/b: manifest unknown',
  });
  deepStrictEqual(gate.pulls.map((p) => p.ref), [
    "quay.io/a",
    "quay.io/b",
    "quay.io/c",
  ]);
  ok(gate.pulls.every((p) => p.signal?.aborted && p.done));
  strictEqual(gate.inFlight, 0);
});

Deno.test("pullImages() throws ERR_INTERRUPTED when the signal is aborted", async (t) => {
  await t.step("during the pulls, which are stopped", async () => {
    const gate = gatedRunner();
    const controller = new AbortController();
    const done = pullImages(
      [image("quay.io/a"), image("quay.io/b")],
      contextOf(gate.runner),
      { signal: controller.signal, setTimer: fakeTimers().setTimer },
    );
    await gate.started(2);
    controller.abort(new Error("SIGINT"));
    await rejects(done, {
      name: "LegerError",
      code: "ERR_INTERRUPTED",
      message: "Cannot pull the images: it was interrupted",
    });
    strictEqual(gate.inFlight, 0);
  });
  await t.step("before, without running anything", async () => {
    const runner = fakeRunner([]);
    await rejects(
      pullImages([image("quay.io/a")], contextOf(runner), {
        signal: AbortSignal.abort(),
      }),
      { code: "ERR_INTERRUPTED" },
    );
    strictEqual(runner.calls.length, 0);
  });
});

Deno.test("pullImages() lets a missing Podman's error through", async () => {
  const error = new LegerError(
    "ERR_COMMAND_NOT_FOUND",
    'Cannot run "podman": it is not installed or not in PATH',
  );
  const runner = fakeRunner([
    { bin: "podman", args: ["image", "exists", "quay.io/a"], error },
  ]);
  await rejects(pullImages([image("quay.io/a")], contextOf(runner)), error);
});

Deno.test("pullImages() rejects a concurrency below 1", async () => {
  for (const concurrency of [0, -1, 1.5, NaN]) {
    await rejects(
      pullImages([image("quay.io/a")], contextOf(fakeRunner([])), {
        concurrency,
      }),
      {
        name: "RangeError",
        message:
          `Cannot pull images ${concurrency} at a time: expected a whole number of 1 or more`,
      },
    );
  }
});

Deno.test("pullImages() reports progress on a terminal, and only slow pulls elsewhere", async (t) => {
  const ref = "docker.io/library/caddy:2";
  const cases: {
    name: string;
    terminal: boolean;
    slow: boolean;
    expected: string[];
  }[] = [
    {
      name: "terminal",
      terminal: true,
      slow: false,
      expected: [`Pulling ${ref}…`, `Pulled ${ref} (1.2 s)`],
    },
    {
      name: "terminal, slow pull",
      terminal: true,
      slow: true,
      expected: [`Pulling ${ref}…`, `Pulled ${ref} (1.2 s)`],
    },
    { name: "no terminal", terminal: false, slow: false, expected: [] },
    {
      name: "no terminal, slow pull",
      terminal: false,
      slow: true,
      expected: [`Still pulling ${ref}…`, `Pulled ${ref} (1.2 s)`],
    },
  ];
  for (const { name, terminal, slow, expected } of cases) {
    await t.step(name, async () => {
      const gate = gatedRunner();
      const lines: string[] = [];
      const { timers, setTimer } = fakeTimers();
      let clock = 10_000;
      const done = pullImages([image(ref)], contextOf(gate.runner, lines), {
        terminal,
        now: () => clock,
        slowAfter: 3000,
        setTimer,
      });
      await gate.started(1);
      strictEqual(timers.length, terminal ? 0 : 1);
      if (!terminal) strictEqual(timers[0].ms, 3000);
      if (slow) timers.forEach((timer) => timer.callback());
      clock += 1234;
      gate.pulls[0].finish();
      await done;
      deepStrictEqual(lines, expected);
      ok(timers.every((timer) => timer.cleared), "the timer is cleared");
    });
  }
});

Deno.test("pullImages() times pulls with the context's clock by default", async () => {
  const gate = gatedRunner();
  const lines: string[] = [];
  let clock = 0;
  const context = {
    ...contextOf(gate.runner, lines),
    now: () => new Date(clock),
  };
  const done = pullImages([image("quay.io/a")], context, { terminal: true });
  await gate.started(1);
  clock = 61_000;
  gate.pulls[0].finish();
  await done;
  deepStrictEqual(lines, ["Pulling quay.io/a…", "Pulled quay.io/a (61.0 s)"]);
});
