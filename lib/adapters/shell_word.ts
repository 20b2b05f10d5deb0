const PLAIN_WORD_REGEXP = /^[\w@%+=:,./-]+$/;

/**
 * A word as a POSIX shell reads it back: quoted only when it must be. For
 * the commands leger prints for a person to paste (doctor's fixes, a
 * remedy's command).
 *
 * @param word The word.
 * @returns The word, or the word in single quotes.
 *
 * @example Usage
 * ```ts
 * import { shellWord } from "./shell_word.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(shellWord("/home/a/web"), "/home/a/web");
 * strictEqual(shellWord("it's"), `'it'\\''s'`);
 * ```
 */
export function shellWord(word: string): string {
  return PLAIN_WORD_REGEXP.test(word)
    ? word
    : `'${word.replaceAll("'", `'\\''`)}'`;
}
