/** Where and why a text is not valid JSON. */
export interface JsonSyntaxProblem {
  /** 0-based offset of the first character that cannot be parsed. */
  offset: number;
  /** What is wrong there, such as `expected "," or "}"`. */
  reason: string;
}

/** Deeper nesting than this is reported rather than recursed into. */
const MAX_DEPTH = 1000;

const NUMBER_REGEXP = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Problem {
  constructor(readonly offset: number, readonly reason: string) {}
}

/**
 * Finds the first syntax error in a JSON text, with its offset.
 *
 * `JSON.parse` does not always say where it failed (V8 reports some errors as
 * `Unexpected token '}', "…" is not valid JSON`), so leger scans the text
 * itself after `JSON.parse` fails, to name the line and column.
 *
 * @param text The text `JSON.parse` rejected.
 * @returns The first problem, or `undefined` when the text is valid JSON.
 *
 * @example Usage
 * ```ts
 * import { findJsonSyntaxProblem } from "./_find_json_syntax_problem.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(findJsonSyntaxProblem('{"a": 1,}'), {
 *   offset: 8,
 *   reason: 'expected a string key, found "}"',
 * });
 * deepStrictEqual(findJsonSyntaxProblem("[1, 2]"), undefined);
 * ```
 */
export function findJsonSyntaxProblem(
  text: string,
): JsonSyntaxProblem | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return undefined;
  } catch (err) {
    if (err instanceof Problem) {
      return { offset: err.offset, reason: err.reason };
    }
    throw err;
  }
}

class JsonScanner {
  #text: string;
  #i = 0;

  constructor(text: string) {
    this.#text = text;
  }

  document(): void {
    this.#space();
    if (this.#i === this.#text.length) this.#fail("expected a JSON value");
    this.#value(0);
    this.#space();
    if (this.#i < this.#text.length) {
      this.#fail("expected the end of the file after the JSON value");
    }
  }

  #fail(expected: string): never {
    const found = this.#i >= this.#text.length
      ? "the end of the file"
      : JSON.stringify(this.#text[this.#i]);
    throw new Problem(this.#i, `${expected}, found ${found}`);
  }

  #space(): void {
    while (
      this.#i < this.#text.length && " \t\n\r".includes(this.#text[this.#i])
    ) {
      this.#i++;
    }
  }

  #value(depth: number): void {
    if (depth > MAX_DEPTH) {
      this.#fail(`expected at most ${MAX_DEPTH} nested levels`);
    }
    const ch = this.#text[this.#i];
    if (ch === "{") return this.#object(depth);
    if (ch === "[") return this.#array(depth);
    if (ch === '"') return this.#string();
    if (ch === "-" || (ch >= "0" && ch <= "9")) return this.#number();
    for (const word of ["true", "false", "null"]) {
      if (this.#text.startsWith(word, this.#i)) {
        this.#i += word.length;
        return;
      }
    }
    this.#fail("expected a JSON value");
  }

  #object(depth: number): void {
    this.#i++;
    this.#space();
    if (this.#text[this.#i] === "}") {
      this.#i++;
      return;
    }
    while (true) {
      if (this.#text[this.#i] !== '"') this.#fail("expected a string key");
      this.#string();
      this.#space();
      if (this.#text[this.#i] !== ":") this.#fail('expected ":"');
      this.#i++;
      this.#space();
      this.#value(depth + 1);
      this.#space();
      if (this.#text[this.#i] === "}") {
        this.#i++;
        return;
      }
      if (this.#text[this.#i] !== ",") this.#fail('expected "," or "}"');
      this.#i++;
      this.#space();
    }
  }

  #array(depth: number): void {
    this.#i++;
    this.#space();
    if (this.#text[this.#i] === "]") {
      this.#i++;
      return;
    }
    while (true) {
      this.#value(depth + 1);
      this.#space();
      if (this.#text[this.#i] === "]") {
        this.#i++;
        return;
      }
      if (this.#text[this.#i] !== ",") this.#fail('expected "," or "]"');
      this.#i++;
      this.#space();
    }
  }

  #string(): void {
    this.#i++;
    while (this.#i < this.#text.length) {
      const code = this.#text.charCodeAt(this.#i);
      if (code === 0x22) {
        this.#i++;
        return;
      }
      if (code < 0x20) {
        this.#fail("expected an escaped control character in a string");
      }
      if (code === 0x5c) {
        this.#i++;
        const escape = this.#text[this.#i];
        if (escape === "u") {
          if (
            !/^[0-9a-fA-F]{4}$/.test(this.#text.slice(this.#i + 1, this.#i + 5))
          ) {
            this.#fail('expected four hex digits after "\\u"');
          }
          this.#i += 5;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) {
          this.#fail("expected a valid escape sequence");
        }
      }
      this.#i++;
    }
    this.#fail("expected the closing quote of a string");
  }

  #number(): void {
    NUMBER_REGEXP.lastIndex = this.#i;
    const match = NUMBER_REGEXP.exec(this.#text);
    if (match === null) this.#fail("expected a number");
    this.#i += match[0].length;
  }
}
