import { LegerError } from "../errors/mod.ts";

/** Options for {@linkcode checkWritable}. */
export interface CheckWritableOptions {
  /**
   * How many bytes each folder must have room for: what the change will
   * write there (the staged copy, the records), with a margin.
   *
   * @default {1 MiB}
   */
  bytes?: number;
}

/**
 * Checks, before a change touches the host, that leger can write what it
 * will write: each folder is created if missing, and a probe file of `bytes`
 * bytes is written, flushed to disk and removed. A read-only folder, one
 * leger may not write, or a full disk is found here, with nothing changed,
 * rather than after the units were installed.
 *
 * Requires `--allow-read` and `--allow-write` for the folders.
 *
 * @param dirs The folders to check.
 * @param options How much room each needs.
 * @throws {LegerError} `ERR_STATE_UNWRITABLE` naming the folder, the reason
 * (read-only, permission denied, no space left) and the fix.
 *
 * @example Usage
 * ```ts
 * import { checkWritable } from "./check_writable.ts";
 * const dir = await Deno.makeTempDir();
 * await checkWritable([dir], { bytes: 4096 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkWritable(
  dirs: readonly string[],
  options: CheckWritableOptions = {},
): Promise<void> {
  const { bytes = 1 << 20 } = options;
  for (const dir of dirs) {
    const probe = `${dir}/.leger-probe-${crypto.randomUUID()}`;
    try {
      await Deno.mkdir(dir, { recursive: true });
      const file = await Deno.open(probe, { write: true, createNew: true });
      try {
        const chunk = new Uint8Array(Math.min(bytes, 1 << 16));
        for (let written = 0; written < bytes;) {
          written += await file.write(
            chunk.subarray(0, Math.min(chunk.length, bytes - written)),
          );
        }
        await file.sync();
      } finally {
        file.close();
      }
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      throw unwritable(dir, error);
    } finally {
      await Deno.remove(probe).catch(() => {
        // Never created, or the folder is not writable: nothing to clean.
      });
    }
  }
}

/**
 * The error for a folder leger cannot write to, with the reason in words
 * (read-only file system, permission denied, disk full) and its fix.
 *
 * @param dir The folder.
 * @param error What the file system said.
 * @returns `ERR_STATE_UNWRITABLE`, with `error` as its cause.
 *
 * @example Usage
 * ```ts
 * import { unwritable } from "./check_writable.ts";
 * import { match } from "node:assert/strict";
 *
 * const error = unwritable("/var/lib/leger", new Error("No space left on device (os error 28)"));
 * match(error.message, /the disk is full/);
 * ```
 */
export function unwritable(dir: string, error: Error): LegerError {
  const reason = /os error 28|No space left/i.test(error.message)
    ? "the disk is full"
    : /os error 30|Read-only file system/i.test(error.message)
    ? "it is on a read-only file system"
    : error instanceof Deno.errors.PermissionDenied
    ? "permission is denied"
    : error instanceof Deno.errors.NotCapable
    ? "leger's --allow-write permission does not cover it"
    : error.message;
  const remedy = reason === "the disk is full"
    ? `Free some space on the disk that holds ${dir}, then run the command again`
    : reason === "permission is denied"
    ? `Run leger as the user who owns ${dir} (or with sudo for the system scope), or fix its permissions`
    : `Make ${dir} writable (or point XDG_DATA_HOME elsewhere), then run the command again`;
  return new LegerError(
    "ERR_STATE_UNWRITABLE",
    `Cannot write to ${dir}: ${reason}`,
    { cause: error, remedy, details: ["Nothing was changed on this host."] },
  );
}
