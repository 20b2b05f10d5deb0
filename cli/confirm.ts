import { LegerError } from "../lib/errors/mod.ts";
import type { CliContext } from "./context.ts";

/**
 * Asks a yes/no question on the terminal (question on stderr, answer from
 * stdin). Without a terminal, or with `LEGER_PROMPT_DISABLED` set, it never
 * guesses: it fails and names the flag that answers yes. The question is
 * an order ending in "?" (`Delete secret "x" from leger.run?`): the error
 * words it as what it cannot ask (`Cannot ask whether to delete secret "x"
 * from leger.run: …`).
 *
 * Requires `--allow-env` and a terminal on stdin and stdout.
 *
 * @param question The question, starting with a verb, ending in "?".
 * @param options The context, and the flag that answers yes (`--yes`).
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
  const disabled = Boolean(context.env("LEGER_PROMPT_DISABLED"));
  if (!context.stdinIsTerminal || !context.stdoutIsTerminal || disabled) {
    throw new LegerError(
      "ERR_CONFIRMATION_REQUIRED",
      `Cannot ask whether to ${asked(question)}: ${
        disabled ? "LEGER_PROMPT_DISABLED is set" : "not running in a terminal"
      }`,
      {
        remedy: `Pass ${yesFlag} to confirm without a prompt`,
      },
    );
  }
  context.err(`${question} [y/N] `);
  const answer = (await context.readLine() ?? "").trim().toLowerCase();
  return answer === "y" || answer === "yes";
}

/** `Delete secret "x" from leger.run?` → `delete secret "x" from leger.run`. */
function asked(question: string): string {
  const order = question.replace(/\?\s*$/, "");
  return order.charAt(0).toLowerCase() + order.slice(1);
}
