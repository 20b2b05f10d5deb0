import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { FakeTimers, settle } from "./_fake_timers.ts";
import { type FsWatch, QuadletWatcher } from "./quadlet_watcher.ts";

const DIR = "/home/ada/.config/containers/systemd";

/** A watch the test feeds events to. */
class FakeWatch implements FsWatch {
  closed = false;
  #queue: Deno.FsEvent[] = [];
  #wake: (() => void) | undefined;
  constructor(readonly path: string, readonly recursive: boolean) {}
  emit(kind: Deno.FsEvent["kind"], ...paths: string[]): void {
    this.#queue.push({ kind, paths, flag: undefined } as Deno.FsEvent);
    this.#wake?.();
  }
  close(): void {
    this.closed = true;
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Deno.FsEvent> {
    while (!this.closed) {
      const event = this.#queue.shift();
      if (event !== undefined) {
        yield event;
        continue;
      }
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
  }
}

function setup(existing: string[]) {
  const dirs = new Set(existing);
  const watches: FakeWatch[] = [];
  const changes: string[] = [];
  const logs: string[] = [];
  const timers = new FakeTimers();
  const watcher = new QuadletWatcher(DIR, {
    onChange: (reason) => changes.push(reason),
    log: (line) => logs.push(line),
    watch: (path, { recursive }) => {
      const watch = new FakeWatch(path, recursive);
      watches.push(watch);
      return watch;
    },
    isDirectory: (path) => Promise.resolve(dirs.has(path)),
    startTimer: timers.startTimer,
  });
  const current = () => watches.at(-1)!;
  return { dirs, watches, changes, logs, timers, watcher, current };
}

Deno.test("QuadletWatcher watches the quadlet folder recursively and debounces changes by 500 ms", async () => {
  const { watcher, current, changes, timers } = setup([
    "/",
    "/home",
    "/home/ada",
    DIR,
  ]);
  await watcher.refresh();
  strictEqual(watcher.watching, DIR);
  strictEqual(current().recursive, true);
  current().emit("create", `${DIR}/web.container`);
  await settle();
  await timers.advance(300);
  current().emit("modify", `${DIR}/web.container`);
  current().emit("access", `${DIR}/web.container`);
  await settle();
  await timers.advance(499);
  deepStrictEqual(
    changes,
    [],
    "quiet for less than 500 ms since the last change",
  );
  await timers.advance(1);
  deepStrictEqual(changes, ["quadlet folder changed"]);
  watcher.close();
  strictEqual(current().closed, true);
});

Deno.test("QuadletWatcher ignores reads (access events)", async () => {
  const { watcher, current, changes, timers } = setup(["/", DIR]);
  await watcher.refresh();
  current().emit("access", `${DIR}/web.container`);
  await settle();
  await timers.advance(1_000);
  deepStrictEqual(changes, []);
  watcher.close();
});

Deno.test("QuadletWatcher watches the nearest existing folder until the quadlet folder appears, then counts that as a change", async () => {
  const { watcher, dirs, watches, current, changes, timers, logs } = setup([
    "/",
    "/home",
    "/home/ada",
  ]);
  await watcher.refresh();
  strictEqual(watcher.watching, "/home/ada");
  strictEqual(current().recursive, false);
  // Something unrelated in the home folder: no change, no move.
  current().emit("create", "/home/ada/notes.txt");
  await settle();
  strictEqual(watches.length, 1);
  dirs.add("/home/ada/.config");
  current().emit("create", "/home/ada/.config");
  await settle();
  strictEqual(watcher.watching, "/home/ada/.config");
  strictEqual(watches[0].closed, true);
  dirs.add("/home/ada/.config/containers");
  dirs.add(DIR);
  current().emit("create", "/home/ada/.config/containers");
  await settle();
  strictEqual(watcher.watching, DIR);
  strictEqual(current().recursive, true);
  await timers.advance(500);
  deepStrictEqual(changes, [`${DIR} appeared`]);
  deepStrictEqual(logs, [
    `watching /home/ada until ${DIR} exists`,
    `watching /home/ada/.config until ${DIR} exists`,
    `watching ${DIR}`,
  ]);
  watcher.close();
});

Deno.test("QuadletWatcher moves back up when the quadlet folder is removed", async () => {
  const { watcher, dirs, current, changes, timers } = setup([
    "/",
    "/home",
    "/home/ada",
    "/home/ada/.config",
    "/home/ada/.config/containers",
    DIR,
  ]);
  await watcher.refresh();
  dirs.delete(DIR);
  current().emit("remove", DIR);
  await settle();
  strictEqual(watcher.watching, "/home/ada/.config/containers");
  await timers.advance(500);
  deepStrictEqual(changes, ["quadlet folder changed"]);
  watcher.close();
});

Deno.test("QuadletWatcher logs a watch that fails once, and tries again at each refresh", async () => {
  const logs: string[] = [];
  let fail = true;
  const watcher = new QuadletWatcher(DIR, {
    onChange: () => {},
    log: (line) => logs.push(line),
    watch: (path, { recursive }) => {
      if (fail) throw new Error("OS file watch limit reached");
      return new FakeWatch(path, recursive);
    },
    isDirectory: () => Promise.resolve(true),
  });
  await watcher.refresh();
  await watcher.refresh();
  strictEqual(watcher.watching, null);
  deepStrictEqual(logs, [
    `cannot watch ${DIR}: OS file watch limit reached; the quadlet folder is rescanned at each poll instead`,
  ]);
  fail = false;
  await watcher.refresh();
  strictEqual(watcher.watching, DIR);
  watcher.close();
});

Deno.test("QuadletWatcher drops a pending change when closed", async () => {
  const { watcher, current, changes, timers } = setup(["/", DIR]);
  await watcher.refresh();
  current().emit("create", `${DIR}/a.container`);
  await settle();
  watcher.close();
  await timers.advance(1_000);
  deepStrictEqual(changes, []);
});

Deno.test("QuadletWatcher sees real files appear under a folder that did not exist (Deno.watchFs)", async () => {
  const root = await Deno.makeTempDir({ prefix: "leger_" });
  const dir = `${root}/config/containers/systemd`;
  let notify: (reason: string) => void = () => {};
  const watcher = new QuadletWatcher(dir, {
    debounceMs: 20,
    onChange: (reason) => notify(reason),
  });
  /** The next change, or a failure after a bound (inotify answers in milliseconds). */
  const nextChange = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("no change seen in 10 s")),
        10_000,
      );
      notify = (reason) => {
        clearTimeout(timer);
        resolve(reason);
      };
    });
  try {
    await watcher.refresh();
    strictEqual(watcher.watching, root);
    const appeared = nextChange();
    await Deno.mkdir(dir, { recursive: true });
    strictEqual(await appeared, `${dir} appeared`);
    strictEqual(watcher.watching, dir);
    const changed = nextChange();
    await Deno.mkdir(`${dir}/web.container.d`);
    await Deno.writeTextFile(
      `${dir}/web.container.d/10-secret.conf`,
      "[Container]\n",
    );
    strictEqual(await changed, "quadlet folder changed");
  } finally {
    watcher.close();
    await Deno.remove(root, { recursive: true });
  }
});
