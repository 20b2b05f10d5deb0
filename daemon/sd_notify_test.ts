import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { SdNotifier } from "./sd_notify.ts";

/** A datagram socket standing in for systemd's notify socket. */
async function fakeSystemd() {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  const path = `${dir}/notify`;
  const socket = Deno.listenDatagram({ transport: "unixpacket", path });
  const decoder = new TextDecoder();
  return {
    dir,
    path,
    /** The next message, or a failure after a bound. */
    async receive(): Promise<string> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("no datagram in 5 s")),
          5_000,
        );
      });
      try {
        const [data] = await Promise.race([socket.receive(), bound]);
        return decoder.decode(data);
      } finally {
        clearTimeout(timer);
      }
    },
    async [Symbol.asyncDispose]() {
      socket.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function envOf(values: Record<string, string>) {
  return (name: string) => values[name];
}

Deno.test("SdNotifier sends READY, STATUS, WATCHDOG and STOPPING to NOTIFY_SOCKET as datagrams", async () => {
  await using systemd = await fakeSystemd();
  const bindPath = `${systemd.dir}/legerd-notify.sock`;
  const notifier = await SdNotifier.open({
    env: envOf({ NOTIFY_SOCKET: systemd.path }),
    bindPath,
    pid: 42,
  });
  strictEqual(notifier.enabled, true);
  await notifier.notify({
    READY: "1",
    STATUS: "ok: 3 secrets synced\nsecond line dropped",
  });
  strictEqual(await systemd.receive(), "READY=1\nSTATUS=ok: 3 secrets synced");
  await notifier.notify({ WATCHDOG: "1" });
  strictEqual(await systemd.receive(), "WATCHDOG=1");
  await notifier.notify({ STOPPING: "1" });
  strictEqual(await systemd.receive(), "STOPPING=1");
  strictEqual((await Deno.lstat(bindPath)).isSocket, true);
  await notifier.close();
  let gone = false;
  await Deno.lstat(bindPath).catch((error) =>
    gone = error instanceof Deno.errors.NotFound
  );
  strictEqual(gone, true, "close() removes legerd's end");
});

Deno.test("SdNotifier replaces a stale socket file at its bind path", async () => {
  await using systemd = await fakeSystemd();
  const bindPath = `${systemd.dir}/legerd-notify.sock`;
  await Deno.writeTextFile(bindPath, "left by a killed legerd");
  const notifier = await SdNotifier.open({
    env: envOf({ NOTIFY_SOCKET: systemd.path }),
    bindPath,
    pid: 1,
  });
  await notifier.notify({ READY: "1" });
  strictEqual(await systemd.receive(), "READY=1");
  await notifier.close();
});

Deno.test("SdNotifier watchdog interval is half of WATCHDOG_USEC, for this process only", async (t) => {
  await using systemd = await fakeSystemd();
  const cases: {
    name: string;
    env: Record<string, string>;
    want: number | null;
  }[] = [
    { name: "no watchdog", env: {}, want: null },
    { name: "60 s", env: { WATCHDOG_USEC: "60000000" }, want: 30_000 },
    {
      name: "for this pid",
      env: { WATCHDOG_USEC: "10000000", WATCHDOG_PID: "42" },
      want: 5_000,
    },
    {
      name: "for another pid",
      env: { WATCHDOG_USEC: "10000000", WATCHDOG_PID: "7" },
      want: null,
    },
    { name: "not a number", env: { WATCHDOG_USEC: "soon" }, want: null },
  ];
  for (const { name, env, want } of cases) {
    await t.step(name, async () => {
      const notifier = await SdNotifier.open({
        env: envOf({ NOTIFY_SOCKET: systemd.path, ...env }),
        bindPath: `${systemd.dir}/legerd-notify.sock`,
        pid: 42,
      });
      strictEqual(notifier.watchdogIntervalMs, want);
      await notifier.close();
    });
  }
});

Deno.test("SdNotifier is off, silently, without NOTIFY_SOCKET", async () => {
  const logs: string[] = [];
  const notifier = await SdNotifier.open({
    env: envOf({ WATCHDOG_USEC: "1000000" }),
    bindPath: "/nonexistent/legerd-notify.sock",
    pid: 1,
    log: (line) => logs.push(line),
  });
  strictEqual(notifier.enabled, false);
  strictEqual(notifier.watchdogIntervalMs, null);
  await notifier.notify({ READY: "1" });
  deepStrictEqual(logs, []);
});

Deno.test("SdNotifier is off, and says why once, for a socket Deno cannot use", async (t) => {
  const cases: {
    name: string;
    socket: string;
    bindPath?: string;
    log: RegExp;
  }[] = [
    {
      name: "abstract socket",
      socket: "@/org/freedesktop/systemd1/notify/123",
      log:
        /^sd_notify off: NOTIFY_SOCKET=@\/org\/freedesktop\/systemd1\/notify\/123 is an abstract socket, which Deno cannot send to; systemd will not hear that legerd is ready/,
    },
    {
      name: "vsock address",
      socket: "vsock:2:1234",
      log: /^sd_notify off: NOTIFY_SOCKET=vsock:2:1234 is not a socket path/,
    },
    {
      name: "a bind path that cannot be made",
      socket: "/run/systemd/notify",
      bindPath: "/nonexistent/folder/legerd-notify.sock",
      log:
        /^sd_notify off: cannot bind \/nonexistent\/folder\/legerd-notify\.sock: .*TimeoutStartSec/,
    },
  ];
  for (const { name, socket, bindPath = "/tmp/unused.sock", log } of cases) {
    await t.step(name, async () => {
      const logs: string[] = [];
      const notifier = await SdNotifier.open({
        env: envOf({ NOTIFY_SOCKET: socket }),
        bindPath,
        pid: 1,
        log: (line) => logs.push(line),
      });
      strictEqual(notifier.enabled, false);
      await notifier.notify({ READY: "1" });
      strictEqual(logs.length, 1);
      strictEqual(log.test(logs[0]), true, logs[0]);
    });
  }
});

Deno.test("SdNotifier logs a failed send once, not at every watchdog tick", async () => {
  const systemd = await fakeSystemd();
  const logs: string[] = [];
  const notifier = await SdNotifier.open({
    env: envOf({ NOTIFY_SOCKET: systemd.path }),
    bindPath: `${systemd.dir}/legerd-notify.sock`,
    pid: 1,
    log: (line) => logs.push(line),
  });
  // systemd's socket goes away (its file too): sends fail.
  const dir = systemd.dir;
  await Deno.remove(systemd.path);
  await notifier.notify({ WATCHDOG: "1" });
  await notifier.notify({ WATCHDOG: "1" });
  strictEqual(logs.length, 1);
  strictEqual(
    logs[0].startsWith(`sd_notify: cannot send to ${dir}/notify: `),
    true,
    logs[0],
  );
  await notifier.close();
  await systemd[Symbol.asyncDispose]().catch(() => {});
  await Deno.remove(dir, { recursive: true }).catch(() => {});
});
