/**
 * The check of `DENORT_BIN` that needs no running it: the file's ELF header
 * and the strings a denort of this Deno carries.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { CompileError } from "./compile_error.ts";
import { elfMachine } from "./elf.ts";
import { ELF_MACHINES, SUPPORTED_TARGETS, type Target } from "./targets.ts";

/** A string every denort of a Deno release holds, and what it is. */
export interface DenortMark {
  /** The bytes, as ASCII text. */
  text: string;
  /** What it is, for messages: `Deno 2.9.6's user agent`. */
  what: string;
}

/** Options for {@linkcode denortMarks} and {@linkcode checkDenortBin}. */
export interface DenortMarksOptions {
  /**
   * The version of Deno whose denort is wanted (the one that compiles).
   *
   * @default {Deno.version.deno}
   */
  denoVersion?: string;
  /**
   * The version of that Deno's V8.
   *
   * @default {Deno.version.v8}
   */
  v8Version?: string;
}

/**
 * The strings every denort of a Deno release holds, as its deno CLI does:
 * both are built from the same runtime crates at the same commit. One is
 * deno_lib's user agent (`Deno/2.9.6`), which the runtime sends and gives to
 * each worker; the other is the version of its V8 (`15.0.245.2-rusty`, the
 * V8 build that rusty_v8 embeds), which V8 checks its snapshot against.
 * Read in the deno CLI 2.9.6 here: both are in its bytes as plain text.
 *
 * @param options The versions of the Deno that compiles.
 * @returns The marks, user agent first.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { denortMarks } from "./denort_bin.ts";
 *
 * deepStrictEqual(
 *   denortMarks({ denoVersion: "2.9.6", v8Version: "15.0.245.2-rusty" }).map((m) => m.text),
 *   ["Deno/2.9.6", "15.0.245.2-rusty"],
 * );
 * ```
 */
export function denortMarks(options: DenortMarksOptions = {}): DenortMark[] {
  const { denoVersion = Deno.version.deno, v8Version = Deno.version.v8 } =
    options;
  return [
    { text: `Deno/${denoVersion}`, what: `Deno ${denoVersion}'s user agent` },
    { text: v8Version, what: `its V8's version` },
  ];
}

/**
 * A string of the deno CLI that no denort holds: the help of `deno compile`
 * (clap's text, in the cli crate, which denort does not link). Read in the
 * deno CLI 2.9.6 here.
 */
export const DENO_CLI_MARK =
  "Compile the script into a self contained executable";

/** What {@linkcode scanFile} found. */
export interface FileScan {
  /** The needles the file holds, each followed by a byte that is not a digit (or by its end). */
  found: Set<string>;
  /** The versions its `Deno/x.y.z` strings name, in the order first seen. */
  denoVersions: string[];
}

/** Options for {@linkcode scanFile}. */
export interface ScanFileOptions {
  /**
   * How many bytes are read at a time.
   *
   * @default {4194304}
   */
  chunkSize?: number;
}

const DENO_PREFIX = Buffer.from("Deno/");
const VERSION_REGEXP = /^\d+\.\d+\.\d+/;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Reads a file through once and says which of `needles` it holds and which
 * Deno versions it names (`Deno/x.y.z`). A needle followed by a digit does
 * not count: `Deno/2.9.6` is not in `Deno/2.9.60`.
 *
 * @param file The open file, read from where it stands to its end.
 * @param needles ASCII strings to look for.
 * @param options How much to read at a time.
 * @returns The needles found and the versions named.
 *
 * @example Usage
 * ```ts ignore
 * import { scanFile } from "./denort_bin.ts";
 *
 * using file = await Deno.open(Deno.execPath());
 * const { found } = await scanFile(file, [`Deno/${Deno.version.deno}`]);
 * ```
 */
export async function scanFile(
  file: Deno.FsFile,
  needles: readonly string[],
  options: ScanFileOptions = {},
): Promise<FileScan> {
  const { chunkSize = 4 << 20 } = options;
  const patterns = needles.map((needle) => Buffer.from(needle));
  // Bytes kept from the end of one read for the next: the longest string
  // sought, the byte after it, and a version after "Deno/".
  const keep = Math.max(
    DENO_PREFIX.length + 32,
    ...patterns.map((p) => p.length + 1),
  );
  const found = new Set<string>();
  const versions = new Set<string>();
  let carry = Buffer.alloc(0);
  const chunk = new Uint8Array(chunkSize);
  for (;;) {
    const read = await file.read(chunk);
    const atEnd = read === null;
    const window = atEnd
      ? carry
      : Buffer.concat([carry, chunk.subarray(0, read)]);
    patterns.forEach((pattern, i) => {
      if (!found.has(needles[i]) && holds(window, pattern, atEnd)) {
        found.add(needles[i]);
      }
    });
    for (const version of namedVersions(window, atEnd)) versions.add(version);
    if (atEnd) break;
    carry = Buffer.from(window.subarray(Math.max(0, window.length - keep)));
  }
  return { found, denoVersions: [...versions] };
}

/** Whether `window` holds `pattern` followed by a byte that is not a digit. */
function holds(window: Buffer, pattern: Buffer, atEnd: boolean): boolean {
  for (
    let at = window.indexOf(pattern);
    at !== -1;
    at = window.indexOf(pattern, at + 1)
  ) {
    const next = window[at + pattern.length];
    // Cut off by the end of this read: the next window holds it whole.
    if (next === undefined) return atEnd;
    if (next < DIGIT_0 || next > DIGIT_9) return true;
  }
  return false;
}

function namedVersions(window: Buffer, atEnd: boolean): string[] {
  const versions: string[] = [];
  for (
    let at = window.indexOf(DENO_PREFIX);
    at !== -1;
    at = window.indexOf(DENO_PREFIX, at + 1)
  ) {
    // Cut off by the end of this read: the next window holds it whole.
    if (!atEnd && at + DENO_PREFIX.length + 24 > window.length) break;
    const after = window.subarray(
      at + DENO_PREFIX.length,
      at + DENO_PREFIX.length + 24,
    );
    const match = VERSION_REGEXP.exec(after.toString("latin1"));
    if (match) versions.push(match[0]);
  }
  return versions;
}

/**
 * Checks, without running it, that `DENORT_BIN` names a denort `deno
 * compile` of this Deno can build the target's binaries with: a readable
 * file; an ELF executable for the target's machine; not the deno CLI
 * ({@linkcode DENO_CLI_MARK}); holding {@linkcode denortMarks} (this Deno's
 * user agent and its V8's version). A binary for another machine cannot be
 * run here, so this is all that is known of it before it is used.
 *
 * @param path `DENORT_BIN`'s value.
 * @param target The target it must run on.
 * @param options The versions of the Deno that compiles.
 * @returns Nothing when the file fits.
 * @throws {CompileError} With exit code 1 when it is empty, missing,
 *   unreadable, not a file, not an ELF executable (a zip is named as such),
 *   for another machine (naming the target it is for, if a supported one),
 *   the deno CLI, or lacks a mark (naming the Deno version it names, if any).
 *
 * @example Usage
 * ```ts ignore
 * import { checkDenortBin } from "./denort_bin.ts";
 *
 * await checkDenortBin("/opt/denort", "x86_64-unknown-linux-gnu");
 * ```
 */
export async function checkDenortBin(
  path: string,
  target: Target,
  options: DenortMarksOptions = {},
): Promise<void> {
  const { denoVersion = Deno.version.deno } = options;
  const refuse = (why: string, fix: string) =>
    new CompileError(`Cannot use DENORT_BIN "${path}": ${why}\n  ${fix}`, 1);
  const fixBin =
    `Set DENORT_BIN to the \`denort\` of Deno ${denoVersion} for ${target}, unzipped from denort-${target}.zip, or unset it`;
  if (path === "") {
    throw refuse(
      "it is set but empty, and Deno reads it as a path all the same",
      `Unset it (\`unset DENORT_BIN\`), or set it to the \`denort\` of Deno ${denoVersion} for ${target}, unzipped from denort-${target}.zip`,
    );
  }
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    throw refuse(openProblem(error), fixBin);
  }
  using _ = file;
  const stat = await file.stat();
  if (!stat.isFile) {
    throw refuse(
      stat.isDirectory ? "it is a folder, not a file" : "it is not a file",
      fixBin,
    );
  }
  const header = new Uint8Array(64);
  const read = await file.read(header) ?? 0;
  const elf = elfMachine(header.subarray(0, read));
  if ("problem" in elf) {
    const fix = elf.problem.startsWith("it is a zip")
      ? `Unzip it (\`unzip ${path}\` gives \`denort\`) and set DENORT_BIN to that file`
      : fixBin;
    throw refuse(elf.problem, fix);
  }
  if (elf.machine !== ELF_MACHINES[target]) {
    const other = SUPPORTED_TARGETS.find((t) =>
      ELF_MACHINES[t] === elf.machine
    );
    const built = other
      ? `${other} (ELF machine ${elf.machine})`
      : `ELF machine ${elf.machine}`;
    throw refuse(
      `it is built for ${built}, not for ${target} (ELF machine ${
        ELF_MACHINES[target]
      })`,
      other ? `Pass --target ${other}, or ${lowerFirst(fixBin)}` : fixBin,
    );
  }
  await file.seek(0, Deno.SeekMode.Start);
  const marks = denortMarks(options);
  const scan = await scanFile(file, [
    DENO_CLI_MARK,
    ...marks.map((m) => m.text),
  ]);
  if (scan.found.has(DENO_CLI_MARK)) {
    throw refuse(
      "it is the deno CLI, not denort (its bytes hold the help of `deno compile`, which denort lacks)",
      `Set DENORT_BIN to the \`denort\` inside denort-${target}.zip of Deno ${denoVersion}, not to \`deno\``,
    );
  }
  const missing = marks.filter((mark) => !scan.found.has(mark.text));
  if (missing.length > 0) {
    const named = scan.denoVersions.length === 0
      ? "it names no Deno version"
      : `it names ${scan.denoVersions.map((v) => `Deno/${v}`).join(", ")}`;
    throw refuse(
      `it is not a denort of Deno ${denoVersion}: its bytes lack ${
        missing.map((mark) => `"${mark.text}" (${mark.what})`).join(" and ")
      }, which every denort of that release holds; ${named}`,
      fixBin,
    );
  }
}

function openProblem(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "the file does not exist";
  if (error instanceof Deno.errors.PermissionDenied) {
    return "this user may not read it";
  }
  if (error instanceof Error && "code" in error) {
    return `it cannot be read: ${error.message.replace(/: open '.*'$/, "")}`;
  }
  throw error;
}

function lowerFirst(text: string): string {
  return `${text[0].toLowerCase()}${text.slice(1)}`;
}
