/** How much of a failed command's stderr {@linkcode CommandError} keeps. */
const TAIL_LINES = 20;
const TAIL_CHARS = 4000;

/** Options for {@linkcode CommandError}. */
export interface CommandErrorOptions {
  /** The error that caused this one, when there is one. */
  cause?: unknown;
}

/**
 * A program leger ran exited with a code its caller did not allow.
 *
 * It keeps the program, its arguments, the exit code and the end of what it
 * wrote to stderr, never what it was given on stdin: stdin is the only place a
 * secret travels, and an error may end up in a log.
 *
 * @example Usage
 * ```ts
 * import { CommandError } from "./command_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const err = new CommandError("podman", ["volume", "rm", "data"], 1, "Error: no such volume data\n");
 * strictEqual(err.code, 1);
 * strictEqual(err.stderrTail, "Error: no such volume data");
 * strictEqual(
 *   err.message,
 *   'Cannot run "podman volume rm data": it exited with code 1: Error: no such volume data',
 * );
 * ```
 */
export class CommandError extends Error {
  /** Always `"CommandError"`, so that logs and `String(error)` name the class. */
  override name = "CommandError";
  /** The program, as it was asked for (`podman`, `/usr/libexec/podman/quadlet`). */
  readonly bin: string;
  /** The arguments, one value each. */
  readonly args: readonly string[];
  /** The exit code. */
  readonly code: number;
  /** The last lines of stderr (at most 20 lines and 4000 characters), trimmed. */
  readonly stderrTail: string;

  /**
   * Creates the error.
   *
   * @param bin The program that ran.
   * @param args Its arguments.
   * @param code The exit code it ended with.
   * @param stderr What it wrote to stderr (only the tail is kept).
   * @param options The cause, if any.
   */
  constructor(
    bin: string,
    args: readonly string[],
    code: number,
    stderr: string,
    options: CommandErrorOptions = {},
  ) {
    const stderrTail = tail(stderr);
    const lastLine = stderrTail.split("\n").at(-1) ?? "";
    super(
      `Cannot run "${[bin, ...args].join(" ")}": it exited with code ${code}` +
        (lastLine === "" ? "" : `: ${lastLine}`),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.bin = bin;
    this.args = [...args];
    this.code = code;
    this.stderrTail = stderrTail;
  }
}

function tail(stderr: string): string {
  const lines = stderr.trim().split("\n").slice(-TAIL_LINES).join("\n");
  return lines.length > TAIL_CHARS ? lines.slice(-TAIL_CHARS) : lines;
}
