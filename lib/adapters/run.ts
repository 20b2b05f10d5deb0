import { LegerError } from "../errors/leger_error.ts";
import { CommandError } from "./command_error.ts";

/** Options for {@linkcode run}. */
export interface RunOptions {
  /**
   * Text written to the program's stdin: the only place a secret may go.
   * Without it the program's stdin is empty (`/dev/null`), never the terminal.
   *
   * @default {undefined}
   */
  stdin?: string;
  /**
   * Non-zero exit codes the caller expects (`systemctl is-active` exits 3 for
   * an inactive unit); any other non-zero code throws {@linkcode CommandError}.
   *
   * @default {[]}
   */
  allowedExitCodes?: number[];
  /**
   * The folder the program runs in.
   *
   * @default {Deno.cwd()}
   */
  cwd?: string;
  /**
   * Stops the program (SIGTERM) when aborted; `run` then rejects with the
   * signal's reason as soon as the program has ended, even when processes it
   * started (git's remote helpers) live on and hold its output open.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Variables added to (or replacing those of) leger's own environment.
   *
   * @default {{}}
   */
  env?: Record<string, string>;
}

/** What a finished program left: its exit code and its captured output. */
export interface RunResult {
  /**
   * The exit code: `0`, or one of `RunOptions.allowedExitCodes` (any other
   * code throws {@linkcode CommandError} instead of returning).
   */
  code: number;
  /** Everything the program wrote to stdout, decoded as UTF-8. */
  stdout: string;
  /** Everything the program wrote to stderr, decoded as UTF-8. */
  stderr: string;
}

/**
 * The signature of {@linkcode run}. Adapters take a `Runner` so that tests can
 * pass a fake (see `fakeRunner`) and never start a process.
 */
export type Runner = (
  bin: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<RunResult>;

/**
 * Runs a program and captures its output. This is the only function in leger
 * that starts a process (besides streaming the journal to the terminal).
 *
 * Each argument is passed as one value (no shell parses a command string),
 * stdout and stderr are captured, and stdin is `options.stdin` or empty.
 *
 * It uses `Deno.Command` rather than dax, which the design named: measured on
 * the e2e host, importing dax costs ~100 ms and its first spawn ~30 ms more,
 * against ~2 ms for a spawn with `Deno.Command` — a third of `leger deploy
 * list`'s time, for nothing leger uses (no shell, no pipes between programs).
 *
 * Requires `--allow-run` for `bin`.
 *
 * @param bin The program: a name looked up in `PATH`, or a path.
 * @param args Its arguments, one value each.
 * @param options stdin, allowed exit codes, folder, abort signal, environment.
 * @returns The exit code and the captured stdout and stderr.
 * @throws {CommandError} If the program exits with a non-zero code that is not
 * in `options.allowedExitCodes`.
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` if the program cannot be found.
 * @throws {Deno.errors.NotCapable} If `--allow-run` does not cover the program.
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./run.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const { stdout } = await run("podman", ["volume", "ls", "--format", "{{.Name}}"]);
 * const { code } = await run("systemctl", ["--user", "is-active", "web.service"], {
 *   allowedExitCodes: [3],
 * });
 * strictEqual(typeof stdout, "string");
 * strictEqual([0, 3].includes(code), true);
 * ```
 */
export async function run(
  bin: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { stdin, allowedExitCodes = [], cwd, signal, env = {} } = options;
  signal?.throwIfAborted();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(bin, {
      args: [...args],
      cwd,
      env,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw commandNotFound(bin);
    throw error;
  }
  const readers = [child.stdout.getReader(), child.stderr.getReader()];
  const onAbort = () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // It has already ended.
    }
    // What a program started can outlive it and hold its stdout and stderr
    // open (git's remote helpers wait on the network for minutes): once the
    // program itself has ended, stop reading, so that an abort is prompt.
    child.status.then(() => readers.forEach((r) => r.cancel().catch(() => {})));
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  let code: number;
  let stdoutBytes: Uint8Array;
  let stderrBytes: Uint8Array;
  try {
    if (stdin !== undefined) await writeStdin(child, stdin);
    [stdoutBytes, stderrBytes] = await Promise.all(readers.map(readAll));
    ({ code } = await child.status);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  signal?.throwIfAborted();
  const decoder = new TextDecoder();
  const stdout = decoder.decode(stdoutBytes);
  const stderr = decoder.decode(stderrBytes);
  if (code !== 0 && !allowedExitCodes.includes(code)) {
    throw new CommandError(bin, args, code, stderr);
  }
  return { code, stdout, stderr };
}

/** Reads a stream to its end (or until it is cancelled). */
async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Writes stdin and closes it; a program that exits without reading it is fine. */
async function writeStdin(
  child: Deno.ChildProcess,
  text: string,
): Promise<void> {
  const writer = child.stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

/**
 * The error for a program that cannot be started because it is not found
 * (`Deno.errors.NotFound` from `Deno.Command#spawn`).
 *
 * @param bin The program, as leger named it.
 * @param what What to install, for the remedy.
 * @returns An `ERR_COMMAND_NOT_FOUND` error, to throw.
 *
 * @example Usage
 * ```ts
 * import { commandNotFound } from "./run.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = commandNotFound("journalctl", "systemd's journalctl");
 * strictEqual(error.code, "ERR_COMMAND_NOT_FOUND");
 * strictEqual(error.remedy, "Install systemd's journalctl, or add the folder that holds it to PATH");
 * ```
 */
export function commandNotFound(bin: string, what: string = bin): LegerError {
  return new LegerError(
    "ERR_COMMAND_NOT_FOUND",
    `Cannot run "${bin}": it is not installed or not in PATH`,
    { remedy: `Install ${what}, or add the folder that holds it to PATH` },
  );
}
