/**
 * The `case` arms the bash and zsh scripts write alike, from the command
 * table: they differ only in how an arm opens (`PATTERN)` in bash,
 * `(PATTERN)` in zsh) and in the commands that offer words and folders.
 *
 * @module
 */
import type { CompletionKind } from "../spec.ts";
import type { CompletionModel } from "./completion_model.ts";
import { flagPatterns, quote } from "./_shell_words.ts";

/** How a script writes its `case` arms and offers values. */
export interface CaseStyle {
  /** What opens a pattern: nothing in bash, `(` in zsh. */
  open: "" | "(";
  /** The command that offers static words. */
  offer(words: readonly string[]): string;
  /** The command that offers folders. */
  folders: string;
}

/** A word as a `case` pattern: as it is when plain, else quoted. */
export function caseLabel(text: string): string {
  return /^[\w-]+$/.test(text) ? text : quote(text);
}

/** The arms and patterns of {@linkcode caseArms}. */
export interface CaseArms {
  /** Every command's words as one `case` pattern (`a|'deploy install'|…`). */
  commands: string;
  /**
   * The arms that note a flag taking a value, the next word being its
   * value: `PATTERNS) expect=--flag ;;`, a line each.
   */
  expect: string;
  /**
   * The arms that offer a flag's values: `--flag) ACTIONS ;;` (`:` for a
   * flag whose values cannot be offered), a line each.
   */
  flagValues: string;
  /**
   * The arms that offer the values of an argument: `'COMMAND:INDEX')
   * ACTIONS ;;` for each argument that has some, a line each; for a command
   * with flags that take the place of its arguments, the actions run only
   * when none of them is among the flags read (`$seen`, each after a space).
   */
  args: string;
}

/** The `case` arms of the command table, in a script's style. */
export function caseArms(model: CompletionModel, style: CaseStyle): CaseArms {
  const { open } = style;
  return {
    commands: model.commands.map((c) => caseLabel(c.path)).join("|"),
    expect: model.valueFlags.map((flag) =>
      `        ${open}${flagPatterns(flag).join("|")}) expect=${flag.long} ;;`
    ).join("\n"),
    flagValues: model.valueFlags.map((flag) =>
      `      ${open}${flag.long}) ${
        valueActions(style, flag.choices, flag.kinds) || ":"
      } ;;`
    ).join("\n"),
    args: model.commands.flatMap((c) =>
      c.args.flatMap((arg, index) => {
        const action = valueActions(style, arg.values, arg.kinds);
        return action === "" ? [] : [
          `    ${open}${caseLabel(`${c.path}:${index}`)}) ${
            unlessGiven(c.argsReplacedBy, action)
          } ;;`,
        ];
      })
    ).join("\n"),
  };
}

/**
 * The action, run only when none of the flags was read on the line (`$seen`
 * holds each flag read, after a space): `[[ " $seen " == *" --all "* ]] ||
 * { ACTION; }`.
 */
function unlessGiven(flags: readonly string[], action: string): string {
  if (flags.length === 0) return action;
  const given = flags.map((flag) => `"$seen " == *" ${flag} "*`).join(" || ");
  return `[[ ${given} ]] || { ${action}; }`;
}

/**
 * The commands that offer static values and kinds; empty when there are
 * none.
 */
function valueActions(
  style: CaseStyle,
  words: readonly string[],
  kinds: readonly CompletionKind[],
): string {
  const read = kinds.filter((kind) => kind !== "folders");
  return [
    ...(words.length > 0 ? [style.offer(words)] : []),
    ...(read.length > 0 ? [`_leger_dynamic ${read.join(",")}`] : []),
    ...(kinds.includes("folders") ? [style.folders] : []),
  ].join("; ");
}
