/**
 * Reading a secret's value for `leger secrets set`: never from the command
 * line, where every process on the host can read it (`/proc/PID/cmdline`),
 * but from stdin: typed at a prompt that does not echo, or piped in.
 *
 * @module
 */
import { LegerError } from "../lib/errors/leger_error.ts";

/** The most bytes leger.run keeps in one secret (10 KiB of UTF-8). */
export const MAX_SECRET_BYTES = 10 * 1024;

/** What a value is read from: `Deno.stdin`, or a test's fake. */
export interface SecretInput {
  /** Reads bytes, as `Deno.stdin.read`; `null` at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Turns the terminal's echo and line editing off (`true`) or on, as `Deno.stdin.setRaw`. */
  setRaw(mode: boolean): void;
}

/** Options for {@linkcode readSecretValue}. */
export interface ReadSecretValueOptions {
  /** Where the value comes from. */
  input: SecretInput;
  /** Whether stdin is a terminal: then a hidden prompt, else all of stdin. */
  terminal: boolean;
  /** Writes the prompt (stderr). */
  err(text: string): void;
  /**
   * Whether prompts are off (`LEGER_PROMPT_DISABLED`): a terminal on stdin
   * is then an error, not a prompt.
   *
   * @default {false}
   */
  promptsDisabled?: boolean;
}

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const CTRL_U = 0x15;
const ESC = 0x1b;
const DELETE = 0x7f;

/**
 * Reads the value of secret `name`. On a terminal it asks `Value for NAME:`
 * on stderr and reads keys with echo off until Enter (Backspace and Ctrl-U
 * edit, escape sequences such as arrows and bracketed-paste markers are
 * ignored, Ctrl-C gives up, Ctrl-D ends); the terminal's echo is restored
 * whatever happens. Otherwise it reads stdin to its end and drops one final
 * line end (`echo VALUE |` adds one; `printf %s VALUE |` does not).
 *
 * @param name The secret's name, for the prompt and errors.
 * @param options The input, whether it is a terminal, where the prompt goes.
 * @returns The value, never empty, at most {@linkcode MAX_SECRET_BYTES} bytes.
 * @throws {LegerError} `ERR_SECRET_VALUE_INVALID` when the value is empty,
 * larger than 10 KiB or not UTF-8; `ERR_INTERRUPTED` on Ctrl-C at the
 * prompt; `ERR_CONFIRMATION_REQUIRED` when prompts are off and stdin is a
 * terminal.
 *
 * @example Usage
 * ```ts
 * import { readSecretValue } from "./read_secret_value.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("s3cret\n");
 * let done = false;
 * const input = {
 *   read: (buffer: Uint8Array) => {
 *     if (done) return Promise.resolve(null);
 *     done = true;
 *     buffer.set(bytes);
 *     return Promise.resolve(bytes.length);
 *   },
 *   setRaw: () => {},
 * };
 * strictEqual(await readSecretValue("api_token", { input, terminal: false, err: () => {} }), "s3cret");
 * ```
 */
export async function readSecretValue(
  name: string,
  options: ReadSecretValueOptions,
): Promise<string> {
  const { input, terminal, err, promptsDisabled = false } = options;
  let bytes: Uint8Array;
  if (terminal) {
    if (promptsDisabled) {
      throw new LegerError(
        "ERR_CONFIRMATION_REQUIRED",
        `Cannot ask for the value of secret "${name}": LEGER_PROMPT_DISABLED is set`,
        {
          remedy:
            `Pipe the value in instead: \`leger secrets set ${name} < FILE\``,
        },
      );
    }
    bytes = await readHidden(name, input, err);
  } else {
    bytes = await readAll(input);
  }
  return decode(name, bytes, terminal);
}

/** Reads keys with echo off until Enter. */
async function readHidden(
  name: string,
  input: SecretInput,
  err: (text: string) => void,
): Promise<Uint8Array> {
  err(`Value for ${name} (not shown): `);
  const value: number[] = [];
  const buffer = new Uint8Array(1024);
  // 0: plain; 1: after ESC; 2: inside a CSI sequence (ESC [ … final byte).
  let escape = 0;
  input.setRaw(true);
  try {
    while (true) {
      const read = await input.read(buffer);
      if (read === null) return Uint8Array.from(value);
      for (const byte of buffer.subarray(0, read)) {
        if (escape === 1) {
          escape = byte === 0x5b ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if (byte >= 0x40 && byte <= 0x7e) escape = 0;
          continue;
        }
        if (byte === 0x0d || byte === 0x0a || byte === CTRL_D) {
          return Uint8Array.from(value);
        }
        if (byte === CTRL_C) {
          throw new LegerError(
            "ERR_INTERRUPTED",
            `Cannot store secret "${name}": interrupted at the prompt`,
            { remedy: "Nothing was stored; run the command again when ready" },
          );
        }
        if (byte === ESC) escape = 1;
        else if (byte === DELETE || byte === BACKSPACE) {
          dropLastCharacter(value);
        } else if (byte === CTRL_U) value.length = 0;
        else if (byte >= 0x20 || byte === 0x09) {
          // Past the limit the value is refused anyway: keep one byte more
          // to know it, not all of a runaway paste.
          if (value.length <= MAX_SECRET_BYTES) value.push(byte);
        }
      }
    }
  } finally {
    input.setRaw(false);
    // Enter was not echoed either.
    err("\n");
  }
}

/** Drops the last UTF-8 character: its continuation bytes, then its first byte. */
function dropLastCharacter(value: number[]): void {
  while (value.length > 0 && (value[value.length - 1] & 0xc0) === 0x80) {
    value.pop();
  }
  value.pop();
}

/** Reads stdin to its end, keeping at most enough to tell it is too large. */
async function readAll(input: SecretInput): Promise<Uint8Array> {
  // The limit, a "\r\n" that is dropped, and one byte to know it is more.
  const limit = MAX_SECRET_BYTES + 3;
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const buffer = new Uint8Array(limit - size);
    const read = await input.read(buffer);
    if (read === null) break;
    chunks.push(buffer.subarray(0, read));
    size += read;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

function decode(name: string, bytes: Uint8Array, terminal: boolean): string {
  let value: string;
  try {
    value = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new LegerError(
      "ERR_SECRET_VALUE_INVALID",
      `Cannot store secret "${name}": its value is not UTF-8 text`,
      {
        cause: error,
        remedy:
          "leger.run keeps text: encode binary data first, for example with `base64 FILE | leger secrets set NAME`",
      },
    );
  }
  if (!terminal) value = value.replace(/\r?\n$/, "");
  const size = new TextEncoder().encode(value).length;
  if (size === 0) {
    throw new LegerError(
      "ERR_SECRET_VALUE_INVALID",
      `Cannot store secret "${name}": the value is empty${
        terminal ? "" : " (nothing came on stdin)"
      }`,
      {
        remedy: terminal
          ? "Type the value at the prompt, or pipe it in: `leger secrets set NAME < FILE`"
          : `Pipe the value in (\`leger secrets set ${name} < FILE\`), or run the command in a terminal to type it`,
      },
    );
  }
  if (size > MAX_SECRET_BYTES) {
    throw new LegerError(
      "ERR_SECRET_VALUE_INVALID",
      `Cannot store secret "${name}": the value is larger than leger.run keeps (10 KiB)`,
      {
        remedy:
          "Keep a secret's value under 10 KiB: store a larger file elsewhere and keep its key or password here",
      },
    );
  }
  return value;
}
