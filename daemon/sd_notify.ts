/**
 * systemd's readiness protocol (sd_notify(3)), spoken from Deno: legerd
 * tells systemd when it is ready, how it is doing, that it is alive and
 * that it is stopping.
 *
 * @module
 */

/** Options for {@linkcode SdNotifier.open}. */
export interface SdNotifierOptions {
  /** Reads an environment variable (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, `WATCHDOG_PID`). */
  env(name: string): string | undefined;
  /**
   * Where legerd binds its own end of the conversation: Deno sends a
   * datagram only from a socket bound to a path `--allow-net` allows (plain
   * `--allow-net`, as legerd has, or `unix:<path>`); an unbound, autobound
   * socket needs `--allow-all`.
   */
  bindPath: string;
  /** legerd's process id, to tell whether `WATCHDOG_PID` means it. */
  pid: number;
  /**
   * Log lines (why notifications are off, a send that failed).
   *
   * @default {() => {}}
   */
  log?: (line: string) => void;
}

const encoder = new TextEncoder();

/**
 * Sends sd_notify(3) messages to `NOTIFY_SOCKET`, when systemd set it
 * (`Type=notify`); otherwise every method does nothing.
 *
 * Requires `--unstable-net` (`Deno.listenDatagram`), `--allow-net` for
 * `unix:<NOTIFY_SOCKET>` and `unix:<bindPath>`, and read/write access to
 * both. Deno cannot send to an abstract socket (`NOTIFY_SOCKET=@…`, Deno
 * issue 31660): legerd then logs once and runs on without notifying, as it
 * does when its permissions do not allow the socket. Under `Type=notify`
 * systemd would then give up on the start after `TimeoutStartSec`, so the
 * line says so.
 *
 * @example Usage
 * ```ts ignore
 * import { SdNotifier } from "./sd_notify.ts";
 * const notifier = await SdNotifier.open({
 *   env: (name) => Deno.env.get(name),
 *   bindPath: "/run/leger/notify.sock",
 *   pid: Deno.pid,
 * });
 * await notifier.notify({ READY: "1", STATUS: "ok: 3 secrets synced" });
 * await notifier.close();
 * ```
 */
export class SdNotifier {
  #conn: Deno.DatagramConn | undefined;
  #target: string;
  #bindPath: string;
  #log: (line: string) => void;
  #watchdogMs: number | null;
  #sendFailed = false;

  /**
   * Wraps an open socket; use {@linkcode SdNotifier.open}, which decides
   * whether there is one.
   *
   * @param state The socket (none: notifications off), systemd's socket,
   * the bound path, the log and the watchdog interval.
   */
  constructor(state: {
    conn: Deno.DatagramConn | undefined;
    target: string;
    bindPath: string;
    log: (line: string) => void;
    watchdogMs: number | null;
  }) {
    this.#conn = state.conn;
    this.#target = state.target;
    this.#bindPath = state.bindPath;
    this.#log = state.log;
    this.#watchdogMs = state.watchdogMs;
  }

  /**
   * Opens the conversation with systemd when `NOTIFY_SOCKET` asks for one.
   *
   * @param options The environment, the path to bind, the pid and the log.
   * @returns A notifier; {@linkcode SdNotifier.enabled} says whether it sends anything.
   *
   * @example Usage
   * ```ts
   * import { SdNotifier } from "./sd_notify.ts";
   * import { strictEqual } from "node:assert/strict";
   *
   * const notifier = await SdNotifier.open({ env: () => undefined, bindPath: "/x", pid: 1 });
   * strictEqual(notifier.enabled, false);
   * await notifier.notify({ READY: "1" });
   * ```
   */
  static async open(options: SdNotifierOptions): Promise<SdNotifier> {
    const { env, bindPath, pid, log = () => {} } = options;
    const target = env("NOTIFY_SOCKET") ?? "";
    const off = () =>
      new SdNotifier({
        conn: undefined,
        target,
        bindPath,
        log,
        watchdogMs: null,
      });
    if (target === "") return off();
    const consequence =
      "systemd will not hear that legerd is ready (under Type=notify it stops legerd after TimeoutStartSec)";
    if (!target.startsWith("/")) {
      const kind = target.startsWith("@")
        ? "an abstract socket, which Deno cannot send to"
        : "not a socket path";
      log(`sd_notify off: NOTIFY_SOCKET=${target} is ${kind}; ${consequence}`);
      return off();
    }
    const listenDatagram =
      (Deno as { listenDatagram?: typeof Deno.listenDatagram }).listenDatagram;
    if (typeof listenDatagram !== "function") {
      log(`sd_notify off: legerd runs without --unstable-net; ${consequence}`);
      return off();
    }
    let conn: Deno.DatagramConn;
    try {
      await removeStale(bindPath);
      conn = listenDatagram({ transport: "unixpacket", path: bindPath });
    } catch (error) {
      log(
        `sd_notify off: cannot bind ${bindPath}: ${
          describe(error)
        }; ${consequence}`,
      );
      return off();
    }
    return new SdNotifier({
      conn,
      target,
      bindPath,
      log,
      watchdogMs: watchdogInterval(env, pid),
    });
  }

  /** Whether messages are sent (`NOTIFY_SOCKET` was set and usable). */
  get enabled(): boolean {
    return this.#conn !== undefined;
  }

  /**
   * How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC`, in
   * milliseconds, as sd_watchdog_enabled(3) advises; `null` when systemd
   * watches nothing (no `WatchdogSec=`, or `WATCHDOG_PID` names another
   * process).
   */
  get watchdogIntervalMs(): number | null {
    return this.#conn === undefined ? null : this.#watchdogMs;
  }

  /**
   * Sends one message of `KEY=value` lines (`READY=1`, `STATUS=…`,
   * `WATCHDOG=1`, `STOPPING=1`, `RELOADING=1`). A value is kept to its first
   * line. A send that fails is logged once, not at every watchdog tick.
   *
   * @param fields The assignments, in order.
   * @returns A promise that settles when the datagram is sent or dropped.
   */
  async notify(fields: Record<string, string>): Promise<void> {
    if (this.#conn === undefined) return;
    const text = Object.entries(fields)
      .map(([key, value]) => `${key}=${value.replace(/[\r\n].*$/s, "")}`)
      .join("\n");
    try {
      await this.#conn.send(encoder.encode(text), {
        transport: "unixpacket",
        path: this.#target,
      });
      this.#sendFailed = false;
    } catch (error) {
      if (!this.#sendFailed) {
        this.#log(
          `sd_notify: cannot send to ${this.#target}: ${describe(error)}`,
        );
      }
      this.#sendFailed = true;
    }
  }

  /** Closes legerd's end and removes its file. */
  async close(): Promise<void> {
    if (this.#conn === undefined) return;
    this.#conn.close();
    this.#conn = undefined;
    await removeStale(this.#bindPath).catch(() => {});
  }
}

function watchdogInterval(
  env: (name: string) => string | undefined,
  pid: number,
): number | null {
  const usec = Number(env("WATCHDOG_USEC") ?? "");
  if (!Number.isSafeInteger(usec) || usec <= 0) return null;
  const watchdogPid = env("WATCHDOG_PID");
  if (
    watchdogPid !== undefined && watchdogPid !== "" &&
    Number(watchdogPid) !== pid
  ) return null;
  return Math.max(1, Math.floor(usec / 2 / 1000));
}

async function removeStale(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotCapable) {
    return "legerd's network permission does not allow it (run legerd with --allow-net)";
  }
  return error instanceof Error ? error.message : String(error);
}
