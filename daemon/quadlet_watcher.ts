/**
 * Watches the scope's quadlet folder so that legerd syncs as soon as a unit
 * is installed, changed or removed, instead of at the next poll.
 *
 * @module
 */
import { dirname } from "node:path";

/** A file-system watch: its events, and how to stop it (as `Deno.watchFs` gives). */
export interface FsWatch extends AsyncIterable<Deno.FsEvent> {
  /** Stops the watch; the iteration ends. */
  close(): void;
}

/** Options for {@linkcode QuadletWatcher}. */
export interface QuadletWatcherOptions {
  /** Called, debounced, when something under the quadlet folder changed. */
  onChange(reason: string): void;
  /**
   * How long the folder must stay quiet before {@linkcode QuadletWatcherOptions.onChange}
   * (an install writes several files at once).
   *
   * @default {500}
   */
  debounceMs?: number;
  /**
   * Log lines (which folder is watched, a watch that failed).
   *
   * @default {() => {}}
   */
  log?: (line: string) => void;
  /**
   * Starts a watch.
   *
   * @default {Deno.watchFs}
   */
  watch?: (path: string, options: { recursive: boolean }) => FsWatch;
  /**
   * Whether a path is an existing folder.
   *
   * @default {a `Deno.stat`}
   */
  isDirectory?: (path: string) => Promise<boolean>;
  /**
   * Starts a timer; returns what cancels it.
   *
   * @default {setTimeout, cancelled by clearTimeout}
   */
  startTimer?: (callback: () => void, ms: number) => () => void;
}

/**
 * Watches a quadlet folder (`~/.config/containers/systemd`,
 * `/etc/containers/systemd`) with `Deno.watchFs`, recursively (drop-in
 * folders, Podman 6's folder per application), and calls back once the
 * folder has been quiet for 500 ms. Requires `--allow-read`.
 *
 * The folder is Podman's and often does not exist before the first install:
 * legerd does not create it (a folder made by a daemon, possibly with the
 * wrong owner or mode, is not its to make). Instead it watches the nearest
 * folder that exists on the way to it, without recursion (only the next
 * part of the path matters there), and moves the watch down as each part
 * appears; the folder's creation counts as a change. When the folder is
 * removed the watch moves back up. {@linkcode QuadletWatcher.refresh}, run
 * before each poll, re-checks where the watch belongs, so a watch that
 * failed (inotify limits) or missed a move is mended within one poll, and
 * the polls rescan the folder anyway.
 *
 * @example Usage
 * ```ts ignore
 * import { QuadletWatcher } from "./quadlet_watcher.ts";
 * const watcher = new QuadletWatcher("/home/ada/.config/containers/systemd", {
 *   onChange: (reason) => loop.trigger(reason),
 * });
 * await watcher.refresh();
 * // …
 * watcher.close();
 * ```
 */
export class QuadletWatcher {
  #dir: string;
  #onChange: (reason: string) => void;
  #debounceMs: number;
  #log: (line: string) => void;
  #watch: (path: string, options: { recursive: boolean }) => FsWatch;
  #isDirectory: (path: string) => Promise<boolean>;
  #startTimer: (callback: () => void, ms: number) => () => void;
  #current: { path: string; watch: FsWatch } | undefined;
  #failedPath: string | undefined;
  #cancelDebounce: (() => void) | undefined;
  #closed = false;
  #refreshing: Promise<void> | undefined;

  /**
   * Makes a watcher; nothing is watched before {@linkcode QuadletWatcher.refresh}.
   *
   * @param dir The quadlet folder, absolute.
   * @param options The callback, the debounce and the watch and timer functions.
   */
  constructor(dir: string, options: QuadletWatcherOptions) {
    const {
      onChange,
      debounceMs = 500,
      log = () => {},
      watch = (path, watchOptions) => Deno.watchFs(path, watchOptions),
      isDirectory = statIsDirectory,
      startTimer = realTimer,
    } = options;
    this.#dir = dir.replace(/\/+$/, "") || "/";
    this.#onChange = onChange;
    this.#debounceMs = debounceMs;
    this.#log = log;
    this.#watch = watch;
    this.#isDirectory = isDirectory;
    this.#startTimer = startTimer;
  }

  /** The folder watched now (the quadlet folder or the nearest one on its way), or `null`. */
  get watching(): string | null {
    return this.#current?.path ?? null;
  }

  /**
   * Puts the watch where it belongs now: on the quadlet folder when it
   * exists, else on the nearest existing folder on the way to it.
   *
   * @returns A promise that settles when the watch is in place (or failed and was logged).
   */
  refresh(): Promise<void> {
    // Events can ask for a refresh while one runs: they share it, then look again.
    const next = (this.#refreshing ?? Promise.resolve()).then(() =>
      this.#rearm()
    );
    this.#refreshing = next;
    return next;
  }

  /** Stops watching and drops a pending callback. */
  close(): void {
    this.#closed = true;
    this.#cancelDebounce?.();
    this.#cancelDebounce = undefined;
    this.#current?.watch.close();
    this.#current = undefined;
  }

  async #rearm(): Promise<void> {
    if (this.#closed) return;
    let target: string;
    try {
      target = await this.#nearestExisting();
    } catch (error) {
      this.#logFailure(this.#dir, error);
      return;
    }
    if (this.#closed || target === this.#current?.path) return;
    const appeared = target === this.#dir && this.#current !== undefined;
    this.#current?.watch.close();
    this.#current = undefined;
    let watch: FsWatch;
    try {
      watch = this.#watch(target, { recursive: target === this.#dir });
    } catch (error) {
      this.#logFailure(target, error);
      return;
    }
    this.#failedPath = undefined;
    this.#current = { path: target, watch };
    this.#log(
      target === this.#dir
        ? `watching ${target}`
        : `watching ${target} until ${this.#dir} exists`,
    );
    this.#consume(target, watch);
    if (appeared) this.#changed(`${this.#dir} appeared`);
    // A folder on the way may have been made between the stat and the
    // watch, unseen by it: look once more now that the watch is in place.
    if (target !== this.#dir) this.refresh();
  }

  /** Logs a failed watch once per path, not at every poll that retries it. */
  #logFailure(path: string, error: unknown): void {
    if (this.#failedPath !== path) {
      this.#log(
        `cannot watch ${path}: ${
          (error as Error).message
        }; the quadlet folder is rescanned at each poll instead`,
      );
    }
    this.#failedPath = path;
  }

  async #consume(path: string, watch: FsWatch): Promise<void> {
    try {
      for await (const event of watch) this.#onEvent(path, event);
    } catch (error) {
      if (this.#closed || this.#current?.watch !== watch) return;
      this.#log(`watch of ${path} ended: ${(error as Error).message}`);
    }
    // The iteration ends when the watch is closed, or when its folder went away.
    if (!this.#closed && this.#current?.watch === watch) {
      this.#current = undefined;
      await this.refresh();
    }
  }

  #onEvent(path: string, event: Deno.FsEvent): void {
    if (this.#closed || event.kind === "access") return;
    if (path === this.#dir) {
      this.#changed("quadlet folder changed");
      if (
        event.kind === "remove" || event.kind === "rename" ||
        event.kind === "other"
      ) {
        // The folder itself may be gone: the watch then belongs higher up.
        this.refresh();
      }
      return;
    }
    // Watching a folder on the way: only the next part of the path matters.
    if (event.paths.some((changed) => this.#onTheWay(changed))) this.refresh();
  }

  #onTheWay(changed: string): boolean {
    return changed === this.#dir || this.#dir.startsWith(`${changed}/`);
  }

  #changed(reason: string): void {
    this.#cancelDebounce?.();
    this.#cancelDebounce = this.#startTimer(() => {
      this.#cancelDebounce = undefined;
      if (!this.#closed) this.#onChange(reason);
    }, this.#debounceMs);
  }

  async #nearestExisting(): Promise<string> {
    let path = this.#dir;
    while (!(await this.#isDirectory(path))) {
      const parent = dirname(path);
      if (parent === path) return path;
      path = parent;
    }
    return path;
  }
}

async function statIsDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      return false;
    }
    throw error;
  }
}

function realTimer(callback: () => void, ms: number): () => void {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
}
