/**
 * Helpers the three script generators share: quoting for sh-like shells and
 * the case patterns of the flags that take a value.
 *
 * @module
 */
import type { CompletionFlag } from "./completion_model.ts";

/** `text` in single quotes for bash, zsh and fish (`'` written `'\''`, or `\'` in fish). */
export function quote(text: string, shell: "sh" | "fish" = "sh"): string {
  return shell === "fish"
    ? `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`
    : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The words that are a value-taking flag: its names, and a cluster of short
 * flags that ends with its letter (`-fn` takes the next word as `-n`'s
 * value), as glob patterns for bash and zsh (`-[!-]*n`).
 */
export function flagPatterns(flag: CompletionFlag): string[] {
  return [
    flag.long,
    ...(flag.short === undefined ? [] : [flag.short, `-[!-]*${flag.short[1]}`]),
  ];
}

/** Every name of a flag: `-y`, `--yes`. */
export function flagNames(flag: CompletionFlag): string[] {
  return flag.short === undefined ? [flag.long] : [flag.short, flag.long];
}
