const encoder = new TextEncoder();

/**
 * Writes all of `text` to a stream synchronously (a single `writeSync` may
 * write only part of it when stdout is a pipe).
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
  while (written < bytes.length) {
    written += stream.writeSync(bytes.subarray(written));
  }
}
