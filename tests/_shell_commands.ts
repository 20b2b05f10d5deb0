/**
 * The `leger` command lines in a line of shell, as help examples and hints
 * write them (`leger backup list myapp --json | jq -r '.[-1].id'`,
 * `source <(leger completion bash)`), so that tests can parse each against
 * the command table. Enough of the shell for those lines: words, single and
 * double quotes, backslashes, `$( … )` and `<( … )` (their commands are read too, and the
 * word they stand in gets a placeholder), `|`, `||`, `&&`, `;`, and
 * redirections (`> file`, `2>/dev/null`, `< file`: the file is no word).
 *
 * @module
 */

/** What a substitution (`$( … )`, `<( … )`) stands for in its word. */
export const SUBSTITUTED = "SUBSTITUTED";

/**
 * Every simple command of a line of shell, its words unquoted, the commands
 * inside substitutions included (after the command they are part of).
 *
 * @example Usage
 * ```ts
 * import { shellCommands } from "./_shell_commands.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(shellCommands("leger status >/dev/null && echo 'all ok'"), [
 *   ["leger", "status"],
 *   ["echo", "all ok"],
 * ]);
 * ```
 */
export function shellCommands(line: string): string[][] {
  const commands: string[][] = [];
  const nested: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let redirected = false;
  const endWord = () => {
    if (!inWord) return;
    if (redirected) redirected = false;
    else words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if ((c === "$" || c === "<") && line[i + 1] === "(") {
      const end = closingParen(line, i + 1);
      nested.push(...shellCommands(line.slice(i + 2, end)));
      word += SUBSTITUTED;
      inWord = true;
      i = end + 1;
    } else if (c === "\\") {
      word += line[i + 1] ?? "";
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new SyntaxError(`unclosed ' in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (line[i] !== '"') {
        if (i >= line.length) throw new SyntaxError(`unclosed " in: ${line}`);
        if (line[i] === "$" && line[i + 1] === "(") {
          const end = closingParen(line, i + 1);
          nested.push(...shellCommands(line.slice(i + 2, end)));
          word += SUBSTITUTED;
          i = end + 1;
        } else if (line[i] === "\\" && /["\\$`]/.test(line[i + 1] ?? "")) {
          word += line[i + 1];
          i += 2;
        } else {
          word += line[i++];
        }
      }
      inWord = true;
      i++;
    } else if (c === "|" || c === "&" || c === ";") {
      endCommand();
      i += line[i + 1] === c ? 2 : 1;
    } else if (c === ">" || c === "<") {
      // `2>`: the digits name a file descriptor, not a word.
      if (/^\d+$/.test(word)) {
        word = "";
        inWord = false;
      }
      endWord();
      redirected = true;
      i += line[i + 1] === c || line[i + 1] === "&" ? 2 : 1;
    } else if (/\s/.test(c)) {
      endWord();
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endCommand();
  return [...commands, ...nested];
}

/**
 * The arguments of every `leger` command in a line of shell (the words
 * after `leger`).
 *
 * @example Usage
 * ```ts
 * import { legerCommands } from "./_shell_commands.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(legerCommands("pass show t | leger secrets set t"), [
 *   ["secrets", "set", "t"],
 * ]);
 * ```
 */
export function legerCommands(line: string): string[][] {
  return shellCommands(line).filter((words) => words[0] === "leger").map((
    words,
  ) => words.slice(1));
}

/** The index of the `)` that closes the `(` at `open`, quotes skipped. */
function closingParen(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end === -1) break;
      i = end;
    } else if (c === "(") {
      depth++;
    } else if (c === ")" && --depth === 0) {
      return i;
    }
  }
  throw new SyntaxError(`unclosed ( in: ${line}`);
}
