/**
 * Runs a program for `deno task compile` (`deno compile`, a built binary's
 * `--version`) with a bound on its time and a way to stop it.
 *
 * @module
 */

/** How a program run by {@linkcode runChild} ended. */
export interface ChildResult {
  /** Its exit code (128 + the signal's number when killed). */
  code: number;
  /** What it wrote to stdout (up to when it was killed, if it was). */
  stdout: Uint8Array;
  /** Whether it was killed for taking longer than `timeoutMs`. */
  timedOut: boolean;
  /** Whether it was stopped (or never started) because `signal` was aborted. */
  stopped: boolean;
}

/** Options for {@linkcode runChild}. */
export interface RunChildOptions {
  /** Its working folder. */
  cwd?: string;
  /**
   * Where its stderr goes.
   *
   * @default {"inherit"}
   */
  stderr?: "inherit" | "null";
  /** Kill it (SIGKILL) after this many milliseconds: it does not answer. */
  timeoutMs?: number;
  /** Stop it when aborted: SIGTERM, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  /**
   * How long a stopped program may take to exit before it is killed.
   *
   * @default {5000}
   */
  graceMs?: number;
}

/**
 * Runs a program with stdin empty and stdout captured, and waits for it to
 * exit: killed after `timeoutMs`, stopped when `signal` is aborted (so that
 * the script never leaves it running behind it).
 *
 * Requires `--allow-run` for the program.
 *
 * @param command The program.
 * @param args Its arguments.
 * @param options Its folder, stderr, time bound and stop signal.
 * @returns Its exit code and stdout, and whether it timed out or was stopped.
 * @throws {Deno.errors.NotFound} When the program does not exist.
 * @throws {Deno.errors.PermissionDenied} When it may not be run (no x bit,
 *   a noexec file system).
 *
 * @example Usage
 * ```ts ignore
 * import { runChild } from "./processes.ts";
 *
 * const { code, stdout, timedOut } = await runChild("dist/leger", ["--version"], {
 *   timeoutMs: 30_000,
 * });
 * ```
 */
export async function runChild(
  command: string,
  args: readonly string[],
  options: RunChildOptions = {},
): Promise<ChildResult> {
  const { cwd, stderr = "inherit", timeoutMs, signal, graceMs = 5000 } =
    options;
  if (signal?.aborted) {
    return {
      code: 143,
      stdout: new Uint8Array(),
      timedOut: false,
      stopped: true,
    };
  }
  const child = new Deno.Command(command, {
    args: [...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr,
  }).spawn();
  const kill = (name: Deno.Signal) => {
    try {
      child.kill(name);
    } catch (error) {
      // It has exited meanwhile.
      if (!(error instanceof TypeError)) throw error;
    }
  };
  let timedOut = false;
  let stopped = false;
  let grace: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    kill("SIGTERM");
    grace = setTimeout(() => kill("SIGKILL"), graceMs);
  };
  signal?.addEventListener("abort", stop, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    kill("SIGKILL");
  }, timeoutMs);
  const reader = child.stdout.getReader();
  const chunks: Uint8Array[] = [];
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      chunks.push(value);
    }
  })();
  try {
    const status = await child.status;
    // A killed program's own children may hold its stdout open: what it
    // wrote so far is all there is to read.
    if (timedOut || stopped) await reader.cancel();
    await reading;
    return { code: status.code, stdout: concat(chunks), timedOut, stopped };
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    signal?.removeEventListener("abort", stop);
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
