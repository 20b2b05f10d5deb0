/**
 * The restarts legerd owes: `legerd-restarts.json` in the scope's state
 * folder. A container gets a secret's value when it is created, so a
 * secret replaced in Podman reaches a running service only through the
 * `systemctl try-restart` that follows; a legerd killed between the two
 * would, once restarted, find Podman current and restart nothing. legerd
 * therefore records the services to restart before it writes a secret, and
 * forgets them only once the try-restart has returned.
 *
 * @module
 */
import { fromSystemError } from "../lib/errors/from_system_error.ts";
import { writeFileAtomic } from "../lib/state/write_file_atomic.ts";

/** The file's name in the scope's state folder. */
export const RESTARTS_DUE_FILE = "legerd-restarts.json";

/** Options for {@linkcode RestartsDue}. */
export interface RestartsDueOptions {
  /**
   * Where to say that the file held something it cannot use.
   *
   * @default {() => {}}
   */
  log?: (line: string) => void;
}

/**
 * The services whose restart is due, kept in a file of mode 0600 written
 * atomically (`{"services": ["web.service"]}`: names of services, nothing
 * else). The file is read once ({@linkcode RestartsDue.load}); after that
 * the set lives in memory, and the file is written only when the set
 * changes, so that a poll with nothing to restart touches no file.
 *
 * Requires `--allow-read` and `--allow-write` for the state folder.
 *
 * @example Usage
 * ```ts ignore
 * import { RestartsDue } from "./restarts_due.ts";
 *
 * const due = new RestartsDue("/var/lib/leger/legerd-restarts.json");
 * await due.load();
 * await due.add(["web.service"]); // before `podman secret create --replace`
 * // … podman secret create, then systemctl try-restart web.service …
 * await due.clear(); // once try-restart has returned
 * ```
 */
export class RestartsDue {
  #path: string;
  #log: (line: string) => void;
  #services: Set<string> | null = null;
  #onDisk = false;

  /**
   * Names the file; nothing is read before {@linkcode RestartsDue.load}.
   *
   * @param path The file, `<state folder>/legerd-restarts.json`.
   * @param options Where to log.
   */
  constructor(path: string, options: RestartsDueOptions = {}) {
    this.#path = path;
    this.#log = options.log ?? (() => {});
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /**
   * The services due, sorted; empty before {@linkcode RestartsDue.load}.
   *
   * @returns Their names.
   */
  services(): string[] {
    return [...this.#services ?? []].sort(compare);
  }

  /**
   * Reads the file the first time it is called; later calls read nothing.
   * A file that holds no list of services (cut short, edited) counts as
   * none due, says so, and is removed by the next {@linkcode RestartsDue.clear}.
   *
   * @returns The services due, sorted.
   * @throws {LegerError} What `fromSystemError()` makes of a file that
   * cannot be read (`ERR_PERMISSION_DENIED`, …).
   */
  async load(): Promise<string[]> {
    if (this.#services !== null) return this.services();
    let text: string;
    try {
      text = await Deno.readTextFile(this.#path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw fromSystemError(error, {
          action: "read the restarts legerd owes",
          path: this.#path,
        }) ?? error;
      }
      this.#services = new Set();
      return [];
    }
    this.#onDisk = true;
    const services = parse(text);
    if (services === null) {
      this.#log(
        `Ignoring ${this.#path}: it holds no list of services to restart`,
      );
    }
    this.#services = new Set(services ?? []);
    return this.services();
  }

  /**
   * Adds services and writes the file (atomically, mode 0600) when any is
   * new; the file is on disk when this returns.
   *
   * @param services The services a write about to happen will restart.
   * @returns Whether the file was written.
   * @throws {LegerError} `ERR_STATE_UNWRITABLE` and the other codes of
   * `writeFileAtomic()`; the set is then as it was.
   */
  async add(services: readonly string[]): Promise<boolean> {
    await this.load();
    const next = new Set([...this.#services!, ...services]);
    if (next.size === this.#services!.size) return false;
    const sorted = [...next].sort(compare);
    await writeFileAtomic(
      this.#path,
      new TextEncoder().encode(`${JSON.stringify({ services: sorted })}\n`),
      { mode: 0o600 },
    );
    this.#services = next;
    this.#onDisk = true;
    return true;
  }

  /**
   * Forgets every service due and removes the file, once their
   * try-restart has returned.
   *
   * @returns Whether the file was removed (there was one).
   * @throws {LegerError} What `fromSystemError()` makes of a file that
   * cannot be removed; the set is then as it was.
   */
  async clear(): Promise<boolean> {
    if (!this.#onDisk) {
      this.#services = new Set();
      return false;
    }
    try {
      await Deno.remove(this.#path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw fromSystemError(error, { path: this.#path, write: true }) ??
          error;
      }
    }
    this.#services = new Set();
    this.#onDisk = false;
    return true;
  }
}

/** The services of the file's text, or `null` when it holds no list of them. */
function parse(text: string): string[] | null {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof document !== "object" || document === null) return null;
  const { services } = document as { services?: unknown };
  if (
    !Array.isArray(services) ||
    !services.every((s) => typeof s === "string" && /^[^\s/]+$/.test(s))
  ) {
    return null;
  }
  return services as string[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
