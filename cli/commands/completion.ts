/**
 * `leger completion bash|zsh|fish`: prints the shell's completion script,
 * written from the command table (cli/completion/), so that every command
 * and flag is completed as soon as it is in the table.
 *
 * @module
 */
import { LegerError } from "../../lib/errors/mod.ts";
import { bashScript } from "../completion/bash_script.ts";
import { fishScript } from "../completion/fish_script.ts";
import { type Shell, SHELLS } from "../completion/static_values.ts";
import { zshScript } from "../completion/zsh_script.ts";
import type { CommandDeps } from "../deps.ts";
import type { CommandLine } from "../spec.ts";

/** The options of `leger completion`. */
export interface CompletionOptions {
  /** The shell whose script to print. */
  shell: Shell;
}

/**
 * Reads the command line of `leger completion`.
 *
 * @throws {LegerError} `ERR_USAGE` naming the three shells for any other.
 */
export function parse(line: CommandLine): CompletionOptions {
  const shell = line.args[0];
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot write a completion script for the shell "${shell}": leger completes ${
        SHELLS.join(", ")
      }`,
      {
        remedy:
          "Run `leger completion bash`, `leger completion zsh` or `leger completion fish`",
      },
    );
  }
  return { shell: shell as Shell };
}

/** Runs `leger completion`: prints the script on stdout. */
export function run(
  options: CompletionOptions,
  deps: CommandDeps,
): Promise<number> {
  const write = { bash: bashScript, zsh: zshScript, fish: fishScript }[
    options.shell
  ];
  deps.context.out(write());
  return Promise.resolve(0);
}
