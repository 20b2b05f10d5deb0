const PLAIN_WORD_REGEXP = /^[\w@%+=:,./-]+$/;

/**
 * A word as a POSIX shell reads it back: quoted only when it must be.
 *
 * @param word The word.
 * @returns The word, or the word in single quotes.
 */
export function shellWord(word: string): string {
  return PLAIN_WORD_REGEXP.test(word)
    ? word
    : `'${word.replaceAll("'", `'\\''`)}'`;
}
