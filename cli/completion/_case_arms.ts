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

/** Every command's words as one `case` pattern (`a|'deploy install'|…`). */
export function commandPatterns(model: CompletionModel): string {
  return model.commands.map((c) => caseLabel(c.path)).join("|");
}

/**
 * The commands that offer static values and kinds; empty when there are
 * none.
 */
export function valueActions(
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

/**
 * The arms that note a flag taking a value, the next word being its value:
 * `PATTERNS) expect=--flag ;;`, a line each.
 */
export function expectArms(model: CompletionModel, style: CaseStyle): string {
  return model.valueFlags.map((flag) =>
    `        ${style.open}${
      flagPatterns(flag).join("|")
    }) expect=${flag.long} ;;`
  ).join("\n");
}

/**
 * The arms that offer a flag's values: `--flag) ACTIONS ;;` (`:` for a flag
 * whose values cannot be offered), a line each.
 */
export function flagValueArms(
  model: CompletionModel,
  style: CaseStyle,
): string {
  return model.valueFlags.map((flag) =>
    `      ${style.open}${flag.long}) ${
      valueActions(style, flag.choices, flag.kinds) || ":"
    } ;;`
  ).join("\n");
}

/**
 * The arms that offer the values of an argument: `'COMMAND:INDEX') ACTIONS
 * ;;` for each argument that has some, a line each.
 */
export function argumentArms(model: CompletionModel, style: CaseStyle): string {
  return model.commands.flatMap((c) =>
    c.args.flatMap((arg, index) => {
      const action = valueActions(style, arg.values, arg.kinds);
      return action === ""
        ? []
        : [`    ${style.open}${caseLabel(`${c.path}:${index}`)}) ${action} ;;`];
    })
  ).join("\n");
}
