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
   * signal's reason.
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
    if (error instanceof Deno.errors.NotFound) {
      throw new LegerError(
        "ERR_COMMAND_NOT_FOUND",
        `Cannot run "${bin}": it is not installed or not in PATH`,
        { remedy: `Install ${bin}, or add the folder that holds it to PATH` },
      );
    }
    throw error;
  }
  const onAbort = () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // It has already ended.
    }
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  let output: Deno.CommandOutput;
  try {
    if (stdin !== undefined) await writeStdin(child, stdin);
    output = await child.output();
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  signal?.throwIfAborted();
  const decoder = new TextDecoder();
  const { code } = output;
  const stdout = decoder.decode(output.stdout);
  const stderr = decoder.decode(output.stderr);
  if (code !== 0 && !allowedExitCodes.includes(code)) {
    throw new CommandError(bin, args, code, stderr);
  }
  return { code, stdout, stderr };
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
