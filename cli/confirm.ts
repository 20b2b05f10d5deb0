import { LegerError } from "../lib/errors/mod.ts";
import type { CliContext } from "./context.ts";

/**
 * Asks a yes/no question on the terminal (question on stderr, answer from
 * stdin). Without a terminal, or with `LEGER_PROMPT_DISABLED` set, it never
 * guesses: it fails and names the flag that answers yes.
 *
 * Requires `--allow-env` and a terminal on stdin and stdout.
 *
 * @returns Whether the answer was yes.
 * @throws {LegerError} `ERR_CONFIRMATION_REQUIRED` when it cannot ask.
 *
 * @example Usage
 * ```ts ignore
 * import { confirm } from "./confirm.ts";
 * if (!await confirm("Install web?", { context, yesFlag: "--yes" })) return 1;
 * ```
 */
export async function confirm(
  question: string,
  options: { context: CliContext; yesFlag: string },
): Promise<boolean> {
  const { context, yesFlag } = options;
  const canPrompt = context.stdinIsTerminal && context.stdoutIsTerminal &&
    !context.env("LEGER_PROMPT_DISABLED");
  if (!canPrompt) {
    throw new LegerError(
      "ERR_CONFIRMATION_REQUIRED",
      `Cannot ask "${question}": not running in a terminal`,
      {
        remedy: `Pass ${yesFlag} to confirm without a prompt`,
      },
    );
  }
  context.err(`${question} [y/N] `);
  const answer = (await context.readLine() ?? "").trim().toLowerCase();
  return answer === "y" || answer === "yes";
}
