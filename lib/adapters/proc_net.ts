import {
  type ListeningSocket,
  parseProcNet,
} from "../conflicts/parse_proc_net.ts";
import { CommandError } from "./command_error.ts";
import { run, type Runner } from "./run.ts";

/** Options for {@linkcode readProcNet}. */
export interface ReadProcNetOptions {
  /**
   * The folder holding `tcp`, `tcp6`, `udp` and `udp6`.
   *
   * @default {"/proc/net"}
   */
  dir?: string;
  /**
   * Runs `cat` when Deno will not read the files itself.
   *
   * @default {run}
   */
  runner?: Runner;
}

const FILES: readonly [string, "tcp" | "udp"][] = [
  ["tcp", "tcp"],
  ["tcp6", "tcp"],
  ["udp", "udp"],
  ["udp6", "udp"],
];

/** cat's exit code when a file is missing (a kernel without IPv6 has no tcp6). */
const CAT_FAILED = 1;

/**
 * Reads which TCP and UDP ports are held on this host, from
 * `/proc/net/{tcp,tcp6,udp,udp6}` (see `parseProcNet`). A missing file is
 * skipped: a kernel without IPv6 has no `tcp6`.
 *
 * Deno 2.9 lets a program read `/proc/net/*` only with `--allow-all`,
 * whatever `--allow-read` says (it treats `/proc/<pid>/net` as a special
 * file). When it refuses, the files are read with `cat` instead, which needs
 * `--allow-run=cat`. The files describe the network namespace of the reading
 * process, which for leger is the host's: rootless Podman's port forwarder
 * listens there too.
 *
 * @param options The folder to read, and the runner for `cat`.
 * @returns The listening TCP sockets and bound UDP sockets, IPv4 first.
 * @throws {SyntaxError} If a file is not in the kernel's format.
 * @throws {CommandError} If `cat` cannot read a file that exists.
 * @throws {Deno.errors.NotCapable} If Deno may neither read the files nor run `cat`.
 *
 * @example Usage
 * ```ts ignore
 * import { readProcNet } from "./proc_net.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const sockets = await readProcNet();
 * strictEqual(Array.isArray(sockets), true);
 * ```
 */
export async function readProcNet(
  options: ReadProcNetOptions = {},
): Promise<ListeningSocket[]> {
  const { dir = "/proc/net", runner = run } = options;
  const sockets: ListeningSocket[] = [];
  for (const [name, protocol] of FILES) {
    const text = await readText(`${dir}/${name}`, runner);
    if (text !== null) sockets.push(...parseProcNet(text, protocol));
  }
  return sockets;
}

/**
 * The file's text, or `null` when it does not exist. With the real runner
 * it is read directly where Deno may (saving a process); any other runner (a
 * test's fake host) answers for the host, so that tests never see the
 * machine's own sockets.
 */
async function readText(path: string, runner: Runner): Promise<string | null> {
  if (runner === run) {
    try {
      return await Deno.readTextFile(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      if (!(err instanceof Deno.errors.NotCapable)) throw err;
    }
  }
  const { code, stdout, stderr } = await runner("cat", [path], {
    allowedExitCodes: [CAT_FAILED],
  });
  if (code === 0) return stdout;
  if (stderr.includes("No such file")) return null;
  throw new CommandError("cat", [path], code, stderr);
}
