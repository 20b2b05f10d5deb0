/** Options for {@linkcode splitWords}. */
export interface SplitWordsOptions {
  /**
   * Which of Podman's splits to apply:
   *
   * - `"args"`: `SplitRelax | SplitUnquote | SplitCUnescape`, what
   *   `LookupAllArgs`, `LookupLastArgs` and `LookupAllKeyVal` use (`Exec=`,
   *   `Entrypoint=`, `PodmanArgs=`, `Environment=`, `Label=`, …). Quotes are
   *   removed, C escapes interpreted, an unclosed quote or a trailing `\` is
   *   accepted.
   * - `"strv"`: `SplitRetainEscape | SplitUnquote`, what `LookupAllStrv` uses
   *   (`AddDevice=`, `UIDMap=`, `WantedBy=`, `Alias=`, …). Quotes are removed,
   *   a `\` is an ordinary character, an unclosed quote is an error.
   *
   * @default {"args"}
   */
  mode?: "args" | "strv";
}

// Podman's SplitFlags (pkg/systemd/parser/split.go), the ones its lookups use.
const RELAX = 1;
const C_UNESCAPE = 2;
const UNQUOTE = 4;
const RETAIN_ESCAPE = 8;

const ARGS_FLAGS = RELAX | UNQUOTE | C_UNESCAPE;
const STRV_FLAGS = RETAIN_ESCAPE | UNQUOTE;

const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Splits a value into words the way Podman's quadlet generator does for
 * list-valued keys: a port of `splitString` (`pkg/systemd/parser/split.go`,
 * itself a port of systemd's `extract_first_word`) with the flags of
 * `LookupAllArgs`/`LookupLastArgs` (the default) or of `LookupAllStrv`.
 *
 * Words are separated by spaces, tabs, `\n` and `\r`. `"…"` and `'…'` group
 * and are removed. In `"args"` mode `\` escapes are interpreted as systemd
 * does: `\a \b \f \n \r \t \v \\ \" \' \s` (a space), `\xHH`, `\ooo` (octal,
 * at most 255), `\uHHHH` and `\UHHHHHHHH`; `\x00`, `\000`, `\u0000` and an
 * unknown escape such as `\.` are errors. `%` specifiers are left as they
 * are (systemd expands them later).
 *
 * Podman's quirks are kept: splitting stops at the first empty word (`a "" b`
 * gives `["a"]`), and a NUL character ends the value.
 *
 * Podman ignores a value that fails to split: `LookupAllArgs` and
 * `LookupAllStrv` skip it (with its words), `LookupAllKeyVal` skips it with a
 * warning, `LookupLastArgs` reports it and the key is then not used. Callers
 * catch the `SyntaxError` to do the same.
 *
 * @param value An entry's value, as {@linkcode parseUnit} gives it.
 * @param options Which of Podman's splits to apply.
 * @returns The words.
 * @throws {SyntaxError} In `"args"` mode for an unknown or invalid escape, in
 * `"strv"` mode for an unclosed quote.
 *
 * @example Usage
 * ```ts
 * import { splitWords } from "./split_words.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   splitWords(`/some/path "an arg" 'a"b' '\\110ello \\127orld' a\\tb`),
 *   ["/some/path", "an arg", 'a"b', "Hello World", "a\tb"],
 * );
 * deepStrictEqual(splitWords(`"a b" c\\d`, { mode: "strv" }), ["a b", "c\\d"]);
 * ```
 *
 * @example An unsupported escape
 * ```ts
 * import { splitWords } from "./split_words.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => splitWords("'test\\.com'"), { name: "SyntaxError", message: /unsupported escape/ });
 * ```
 */
export function splitWords(
  value: string,
  options: SplitWordsOptions = {},
): string[] {
  const { mode = "args" } = options;
  const flags = mode === "strv" ? STRV_FLAGS : ARGS_FLAGS;
  const words: string[] = [];
  let pos = 0;
  for (;;) {
    const word = extractWord(value, pos, flags);
    if (word === undefined) return words;
    words.push(word.text);
    pos = word.next;
  }
}

interface Word {
  text: string;
  next: number;
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Podman's `extractFirstWord` from `in[pos:]`. Podman works on bytes and
 * marks the end of the string with a 0 byte; this works on UTF-16 code units,
 * which gives the same words since every special character is ASCII.
 * Returns `undefined` where Podman returns "no more words".
 */
function extractWord(
  input: string,
  pos: number,
  flags: number,
): Word | undefined {
  const end = input.length;
  let p = pos;
  // Skip leading separators; a NUL ends the value.
  for (;;) {
    const c = p < end ? input.charCodeAt(p) : 0;
    if (c === 0) return undefined;
    if (!isSeparator(c)) break;
    p++;
  }
  let word = "";
  let quote = 0;
  let backslash = false;
  for (;; p++) {
    let c = p < end ? input.charCodeAt(p) : 0;
    if (backslash) {
      if (c === 0) {
        if (flags & RELAX) break;
        throw splitError(input, "it ends with an unfinished escape");
      }
      if (flags & C_UNESCAPE) {
        const escaped = unescapeOne(input, p);
        if (escaped === undefined) {
          throw splitError(
            input,
            `unsupported escape "\\${input[p]}" (write "\\\\" for a backslash)`,
          );
        }
        word += escaped.text;
        p += escaped.length - 1;
      } else {
        word += input[p];
      }
      backslash = false;
    } else if (quote !== 0) {
      for (;; c = ++p < end ? input.charCodeAt(p) : 0) {
        if (c === 0) {
          if (flags & RELAX) return finish(word, end);
          throw splitError(input, "a quote is not closed");
        }
        if (c === quote) {
          quote = 0;
          if (flags & UNQUOTE) break;
        } else if (c === BACKSLASH && !(flags & RETAIN_ESCAPE)) {
          backslash = true;
          break;
        }
        word += input[p];
        if (quote === 0) break;
      }
    } else {
      for (;; c = ++p < end ? input.charCodeAt(p) : 0) {
        if (c === 0) return finish(word, end);
        if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
          quote = c;
          if (flags & UNQUOTE) break;
        } else if (c === BACKSLASH && !(flags & RETAIN_ESCAPE)) {
          backslash = true;
          break;
        } else if (isSeparator(c)) {
          // Skip the separators after the word; Podman's "finish".
          do p++; while (p < end && isSeparator(input.charCodeAt(p)));
          if (p >= end || input.charCodeAt(p) === 0) p = end;
          return finish(word, p);
        }
        word += input[p];
        if (quote !== 0) break;
      }
    }
  }
  return finish(word, end);
}

/** Podman returns no word (and so stops splitting) when the word is empty. */
function finish(word: string, next: number): Word | undefined {
  return word === "" ? undefined : { text: word, next };
}

interface Unescaped {
  text: string;
  /** How many characters after the `\` were used. */
  length: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
  s: " ",
};

/** Podman's `cUnescapeOne` for the escape after the `\` at `p - 1`. */
function unescapeOne(input: string, p: number): Unescaped | undefined {
  const c = input[p];
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, length: 1 };
  if (c === "x") {
    const code = readDigits(input, p + 1, 2, 16);
    if (code === undefined || code === 0) return undefined;
    return { text: String.fromCharCode(code), length: 3 };
  }
  if (c === "u" || c === "U") {
    const digits = c === "u" ? 4 : 8;
    const code = readDigits(input, p + 1, digits, 16);
    if (code === undefined || code === 0 || code > 0x10ffff) return undefined;
    // Go writes U+FFFD for a surrogate code point.
    const text = code >= 0xd800 && code <= 0xdfff
      ? "\ufffd"
      : String.fromCodePoint(code);
    return { text, length: digits + 1 };
  }
  if (c >= "0" && c <= "7") {
    const code = readDigits(input, p, 3, 8);
    if (code === undefined || code === 0 || code > 255) return undefined;
    return { text: String.fromCharCode(code), length: 3 };
  }
  return undefined;
}

/** Reads exactly `count` digits of `radix` at `start`, or `undefined`. */
function readDigits(
  input: string,
  start: number,
  count: number,
  radix: 8 | 16,
): number | undefined {
  if (start + count > input.length) return undefined;
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = digitValue(input.charCodeAt(i));
    if (digit < 0 || digit >= radix) return undefined;
    value = value * radix + digit;
  }
  return value;
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function splitError(input: string, reason: string): SyntaxError {
  return new SyntaxError(
    `Cannot split ${JSON.stringify(input)} into words: ${reason}`,
  );
}
