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
  code: number;
  stdout: string;
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
 * dax implements these names itself instead of starting a program; they are
 * unregistered so that `run("echo", …)` starts `/usr/bin/echo` like any other.
 */
const DAX_BUILTINS = [
  "cd",
  "printenv",
  "echo",
  "cat",
  "exit",
  "export",
  "sleep",
  "test",
  "rm",
  "mkdir",
  "cp",
  "mv",
  "pwd",
  "touch",
  "unset",
  "which",
];

/** dax's exit code and message when it cannot find a program. */
const NOT_FOUND_CODE = 127;

/** How often an abort re-sends SIGTERM until the program has ended. */
const KILL_REPEAT_MS = 20;

/**
 * Runs a program and captures its output. This is the only function in leger
 * that starts a process.
 *
 * Each argument is passed as one value (dax quotes every element; no shell
 * parses a command string), stdout and stderr are captured, and stdin is
 * `options.stdin` or empty. dax is imported on first use, so that commands
 * that never start a process (`--help`, `--version`) do not pay for it.
 *
 * Requires `--allow-run` for `bin`, `--allow-env`, and read access to the
 * folders of `PATH` (dax looks the program up itself).
 *
 * @param bin The program: a name looked up in `PATH`, or a path.
 * @param args Its arguments, one value each.
 * @param options stdin, allowed exit codes, folder, abort signal, environment.
 * @returns The exit code and the captured stdout and stderr.
 * @throws {CommandError} If the program exits with a non-zero code that is not
 * in `options.allowedExitCodes`.
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` if the program cannot be found.
 * @throws {Deno.errors.NotCapable} If `--allow-run` does not cover the program,
 * or dax may not read the folders of `PATH` to find it.
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
  const dax = await import("dax");
  const builder = commandFor(dax, bin, args, { stdin, cwd, env });
  const killer = new dax.KillController();
  // dax forwards a kill only to a child that is already spawned, and spawning
  // happens a few awaits later (after it resolves the program in PATH): an
  // abort in between would be lost. So the kill is repeated until it lands.
  let repeat: ReturnType<typeof setInterval> | undefined;
  const onAbort = () => {
    killer.kill("SIGTERM");
    repeat = setInterval(() => killer.kill("SIGTERM"), KILL_REPEAT_MS);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  let result;
  try {
    result = await builder.signal(killer.signal);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    clearInterval(repeat);
  }
  signal?.throwIfAborted();
  const { code, stdout, stderr } = result;
  if (
    code === NOT_FOUND_CODE &&
    stderr.startsWith(`dax: ${bin}: command not found`)
  ) {
    // dax also ends here when Deno keeps it from looking the program up.
    checkPermissions(bin);
    throw new LegerError(
      "ERR_COMMAND_NOT_FOUND",
      `Cannot run "${bin}": it is not installed or not in PATH`,
      { remedy: `Install ${bin}, or add the folder that holds it to PATH` },
    );
  }
  if (code !== 0 && !allowedExitCodes.includes(code)) {
    throw new CommandError(bin, args, code, stderr);
  }
  return { code, stdout, stderr };
}

/** The dax command for `run`: arguments quoted one by one, output captured. */
function commandFor(
  dax: typeof import("dax"),
  bin: string,
  args: readonly string[],
  options: Pick<RunOptions, "stdin" | "cwd" | "env">,
) {
  const { stdin, cwd, env = {} } = options;
  let builder = new dax.CommandBuilder();
  for (const name of DAX_BUILTINS) builder = builder.unregisterCommand(name);
  builder = builder
    .command([bin, ...args])
    .stdout("piped")
    .stderr("piped")
    .env(env)
    .noThrow();
  builder = stdin === undefined
    ? builder.stdin("null")
    : builder.stdinText(stdin);
  return cwd === undefined ? builder : builder.cwd(cwd);
}

/**
 * Throws `NotCapable` when Deno's permissions, not the host, keep dax from
 * finding `bin`: the program exists but `--allow-run` does not cover it, or
 * dax may not read `PATH` or its folders to look for it. Returns when the
 * program is simply not there.
 */
function checkPermissions(bin: string): void {
  const candidates = bin.includes("/")
    ? [bin]
    : pathFolders().map((dir) => `${dir}/${bin}`);
  const exists = candidates.some((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      if (err instanceof Deno.errors.NotCapable) {
        throw new Deno.errors.NotCapable(
          `Requires read access to "${path}" to find "${bin}", run again with the --allow-read flag`,
        );
      }
      throw err;
    }
  });
  if (exists) {
    throw new Deno.errors.NotCapable(
      `Requires run access to "${bin}", run again with the --allow-run flag`,
    );
  }
}

function pathFolders(): string[] {
  if (
    Deno.permissions.querySync({ name: "env", variable: "PATH" }).state !==
      "granted"
  ) {
    throw new Deno.errors.NotCapable(
      'Requires env access to "PATH", run again with the --allow-env flag',
    );
  }
  return (Deno.env.get("PATH") ?? "").split(":").filter((dir) => dir !== "");
}
