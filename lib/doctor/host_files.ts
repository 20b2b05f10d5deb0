import { CommandError } from "../adapters/command_error.ts";
import { run, type Runner } from "../adapters/run.ts";

/**
 * How `leger doctor` reads the host's own files (`/etc/subuid`,
 * `/sys/fs/cgroup/…`, `/var/lib/systemd/linger/…`, containers.conf): tests
 * pass a folder standing for `/`, or a fake.
 */
export interface HostFiles {
  /**
   * Reads a text file.
   *
   * @returns Its text, or `null` when there is no such file.
   */
  readText(path: string): Promise<string | null>;
  /**
   * Lists a folder.
   *
   * @returns The names in it, sorted, or `null` when there is no such folder.
   */
  list(path: string): Promise<string[] | null>;
  /** Whether something (a file, a folder, a socket) is at `path`. */
  exists(path: string): Promise<boolean>;
}

/** Options for {@linkcode hostFiles}. */
export interface HostFilesOptions {
  /**
   * A folder standing for `/`, for tests.
   *
   * @default {""}
   */
  root?: string;
  /**
   * Runs `cat` for a file Deno will not read itself: Deno 2.9 reads
   * `/sys/fs/cgroup/…` (as `/proc/…`) only with `--allow-all`, whatever
   * `--allow-read` says.
   *
   * @default {run}
   */
  runner?: Runner;
}

/** cat's exit code when it cannot read a file. */
const CAT_FAILED = 1;

/**
 * The host's files, read under `root` (`""`: the real `/`). A file that
 * cannot be read for another reason than its absence (permission denied)
 * throws, so that the check that needed it says so.
 *
 * Requires `--allow-read` for the paths read, and `--allow-run=cat` for
 * those under `/sys`.
 *
 * @param options The folder standing for `/`, and the runner for `cat`.
 * @returns The reader.
 *
 * @example Usage
 * ```ts
 * import { hostFiles } from "./host_files.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/etc`);
 * await Deno.writeTextFile(`${root}/etc/subuid`, "alice:100000:65536\n");
 * const files = hostFiles({ root });
 * strictEqual(await files.readText("/etc/subuid"), "alice:100000:65536\n");
 * strictEqual(await files.readText("/etc/subgid"), null);
 * strictEqual(await files.exists("/etc"), true);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export function hostFiles(options: HostFilesOptions = {}): HostFiles {
  const { root = "", runner = run } = options;
  return {
    async readText(path) {
      try {
        return await Deno.readTextFile(`${root}${path}`);
      } catch (error) {
        if (isAbsent(error)) return null;
        if (!(error instanceof Deno.errors.NotCapable)) throw error;
      }
      const { code, stdout, stderr } = await runner("cat", [`${root}${path}`], {
        allowedExitCodes: [CAT_FAILED],
      });
      if (code === 0) return stdout;
      if (stderr.includes("No such file")) return null;
      throw new CommandError("cat", [`${root}${path}`], code, stderr);
    },
    async list(path) {
      try {
        const names: string[] = [];
        for await (const entry of Deno.readDir(`${root}${path}`)) {
          names.push(entry.name);
        }
        return names.sort();
      } catch (error) {
        if (isAbsent(error)) return null;
        throw error;
      }
    },
    async exists(path) {
      try {
        await Deno.lstat(`${root}${path}`);
        return true;
      } catch (error) {
        if (isAbsent(error)) return false;
        throw error;
      }
    },
  };
}

/** A missing file, or a path through something that is not a folder. */
function isAbsent(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    error instanceof Deno.errors.NotADirectory;
}
