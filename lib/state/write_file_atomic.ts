import { fromSystemError } from "../errors/from_system_error.ts";
import { writeFileRaw } from "./_write_file_raw.ts";

/** Options for {@linkcode writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * The file's permission bits, set before any byte is written.
   *
   * @default {0o644}
   */
  mode?: number;
}

/**
 * Writes a file so that readers see either the old content or the new one,
 * never a mix: a temporary file in the same folder, flushed to disk, then
 * renamed over the target. The folder is created when missing.
 *
 * Requires `--allow-read` and `--allow-write` for the folder.
 *
 * @param path The file.
 * @param bytes Its new content.
 * @param options Its permission bits.
 * @throws {LegerError} `ERR_STATE_UNWRITABLE` naming the folder when it is
 * read-only, full or not leger's to write (the system scope's without
 * root); the other codes of `fromSystemError()` naming the file (a folder
 * in its place: `ERR_PATH_TYPE`).
 *
 * @example Usage
 * ```ts ignore
 * import { writeFileAtomic } from "./write_file_atomic.ts";
 * await writeFileAtomic("/tmp/x/auth.json", new TextEncoder().encode("{}"), { mode: 0o600 });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const { mode = 0o644 } = options;
  try {
    await writeFileRaw(path, bytes, mode);
  } catch (error) {
    throw fromSystemError(error, { path, write: true }) ?? error;
  }
}
