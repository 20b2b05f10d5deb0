/**
 * The steps of `writeFileAtomic()` without its error wording: a temporary
 * file in the same folder, flushed, renamed over `path`, then the folder
 * flushed. Callers that write many files into one folder of theirs word
 * the failure for that folder.
 *
 * Requires `--allow-read` and `--allow-write` for the folder.
 *
 * @param path The file.
 * @param bytes Its new content.
 * @param mode Its permission bits.
 * @throws {Error} What the file system throws (`Deno.errors.*`).
 *
 * @example Usage
 * ```ts ignore
 * import { writeFileRaw } from "./_write_file_raw.ts";
 * await writeFileRaw("/tmp/x/a.json", new TextEncoder().encode("{}"), 0o644);
 * ```
 */
export async function writeFileRaw(
  path: string,
  bytes: Uint8Array,
  mode: number,
): Promise<void> {
  const dir = folderOf(path);
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

/**
 * The folder that holds `path`.
 *
 * @param path A file's absolute path.
 * @returns Its folder (`/` for a file at the root).
 *
 * @example Usage
 * ```ts
 * import { folderOf } from "./_write_file_raw.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(folderOf("/a/b/c.json"), "/a/b");
 * ```
 */
export function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
