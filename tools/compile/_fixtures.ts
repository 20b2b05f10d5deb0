/**
 * Files the tests of `deno task compile` use as `DENORT_BIN`: ELF headers,
 * stand-ins with or without a denort's marks, and the deno CLI with its
 * mark blanked out (so that real `deno compile` runs with it).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { DENO_CLI_MARK, denortMarks } from "./denort_bin.ts";

/** The first 64 bytes of an ELF file: 64-bit little-endian, of a type and machine. */
export function elfHeader(machine: number, type = 3): Uint8Array {
  const header = new Uint8Array(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  new DataView(header.buffer).setUint16(16, type, true);
  new DataView(header.buffer).setUint16(18, machine, true);
  return header;
}

/**
 * Writes an ELF header for `machine` followed by `strings` (each after a
 * NUL byte): by default this Deno's denort marks, as a denort holds them.
 */
export async function writeStandIn(
  path: string,
  machine: number,
  strings: readonly string[] = denortMarks().map((mark) => mark.text),
): Promise<string> {
  const body = new TextEncoder().encode(
    strings.map((text) => `\0${text}`).join("") + "\0",
  );
  await Deno.writeFile(path, Buffer.concat([elfHeader(machine), body]));
  return path;
}

/**
 * Copies the deno CLI to `path` with {@linkcode DENO_CLI_MARK} overwritten
 * (same length): it passes the check of `DENORT_BIN` and real `deno
 * compile` builds with it; its binaries are the deno CLI, not leger.
 */
export async function writeBlankedDenoCli(path: string): Promise<string> {
  const bytes = Buffer.from(await Deno.readFile(Deno.execPath()));
  const mark = Buffer.from(DENO_CLI_MARK);
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark)) {
    bytes.fill(0x78, at, at + mark.length);
  }
  await Deno.writeFile(path, bytes, { mode: 0o755 });
  return path;
}
