const encoder = new TextEncoder();

/**
 * Writes all of `text` to a stream synchronously (a single `writeSync` may
 * write only part of it when stdout is a pipe).
 *
 * A stream nobody reads any more — a terminal that was closed, an SSH
 * session that dropped, `leger … | head` — is not leger's failure: what
 * cannot be written is dropped, so that a change under way still finishes,
 * or is undone, as it would with someone watching. The exit code still
 * says how it ended.
 *
 * @example Usage
 * ```ts ignore
 * import { writeAll } from "./write_all.ts";
 * writeAll(Deno.stdout, "hello\n");
 * ```
 */
export function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  const bytes = encoder.encode(text);
  let written = 0;
  try {
    while (written < bytes.length) {
      written += stream.writeSync(bytes.subarray(written));
    }
  } catch {
    // The reader is gone (EPIPE, EIO after a hang-up): nothing to tell.
  }
}
