/**
 * What a command needs from the process it runs in: output streams, terminal
 * facts, environment and identity. Commands receive it as a parameter so that
 * tests can run them in-process with captured output.
 *
 * @module
 */
import { writeAll } from "./write_all.ts";

/** The process facts and output streams a command uses. */
export interface CliContext {
  /** Writes to stdout: results only. */
  out(text: string): void;
  /** Writes to stderr: progress, warnings, errors. */
  err(text: string): void;
  stdoutIsTerminal: boolean;
  stdinIsTerminal: boolean;
  /** Whether stderr is a terminal (progress that redraws or says more). */
  stderrIsTerminal: boolean;
  /** Whether to colour output (a terminal, and `NO_COLOR` unset). */
  color: boolean;
  /** Reads one line typed on stdin (a prompt's answer); `null` at its end. */
  readLine(): Promise<string | null>;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  cwd: string;
  home: string;
  uid: number;
  debug: boolean;
  /**
   * How the commands leger suggests as next steps start: `leger`, or
   * `deno task leger` where `deno task demo` runs it (the demo sets it).
   *
   * @default {"leger"}
   */
  program?: string;
}

/**
 * Builds the context of the running process.
 *
 * Requires `--allow-env` and `--allow-sys=uid`.
 *
 * @example Usage
 * ```ts ignore
 * import { processContext } from "./context.ts";
 * processContext({ debug: false }).out("hello\n");
 * ```
 */
export function processContext(options: { debug: boolean }): CliContext {
  const stdoutIsTerminal = Deno.stdout.isTerminal();
  return {
    out: (text) => writeAll(Deno.stdout, text),
    err: (text) => writeAll(Deno.stderr, text),
    stdoutIsTerminal,
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stderrIsTerminal: Deno.stderr.isTerminal(),
    color: stdoutIsTerminal && !Deno.noColor,
    readLine: async () => {
      const buffer = new Uint8Array(256);
      const read = await Deno.stdin.read(buffer);
      return read === null
        ? null
        : new TextDecoder().decode(buffer.subarray(0, read));
    },
    env: (name) => Deno.env.get(name),
    cwd: Deno.cwd(),
    home: Deno.env.get("HOME") ?? "/",
    uid: Deno.uid() ?? 0,
    debug: options.debug,
  };
}
