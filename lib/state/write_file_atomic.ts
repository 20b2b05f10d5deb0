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
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  await Deno.mkdir(dir, { recursive: true });
  const temp = `${dir}/.${
    path.slice(dir.length + 1)
  }.${crypto.randomUUID()}.tmp`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true, mode });
    try {
      // createNew applies the umask to mode; set the exact bits before writing.
      await Deno.chmod(temp, mode);
      let written = 0;
      while (written < bytes.length) {
        written += await file.write(bytes.subarray(written));
      }
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {
      // Already gone or not removable: the original error is the one to report.
    });
    throw error;
  }
  // Flush the folder too, so that the rename itself survives a power cut.
  const folder = await Deno.open(dir, { read: true });
  try {
    await folder.sync();
  } finally {
    folder.close();
  }
}
