/**
 * The ELF machine of an executable's first bytes.
 *
 * @module
 */

/**
 * The ELF machine (`e_machine`) of a file's first bytes, if they are the
 * header of an ELF executable or shared object (a PIE is one).
 *
 * @param header At least the first 20 bytes of the file.
 * @returns The machine (62 x86-64, 183 AArch64), or why the bytes are not an
 *   ELF executable.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { elfMachine } from "./elf.ts";
 *
 * const header = new Uint8Array(64);
 * header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
 * header.set([3, 0, 62, 0], 16); // ET_DYN, x86-64
 * deepStrictEqual(elfMachine(header), { machine: 62 });
 * deepStrictEqual(elfMachine(new TextEncoder().encode("#!/bin/sh\n")), {
 *   problem: "it is not an ELF file",
 * });
 * ```
 */
export function elfMachine(
  header: Uint8Array,
): { machine: number } | { problem: string } {
  const starts = (bytes: number[]) => bytes.every((b, i) => header[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04])) {
    return { problem: "it is a zip archive, not the denort inside it" };
  }
  if (!starts([0x7f, 0x45, 0x4c, 0x46])) {
    return { problem: "it is not an ELF file" };
  }
  if (header.length < 20) return { problem: "its ELF header is cut short" };
  const view = new DataView(header.buffer, header.byteOffset, 20);
  const littleEndian = header[5] !== 2;
  const type = view.getUint16(16, littleEndian);
  // 2 is ET_EXEC, 3 ET_DYN (position-independent executables, as denort is).
  if (type !== 2 && type !== 3) {
    return { problem: `it is not an executable (ELF type ${type})` };
  }
  return { machine: view.getUint16(18, littleEndian) };
}
