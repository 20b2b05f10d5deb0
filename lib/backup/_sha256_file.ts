import { createHash } from "node:crypto";

/** A file's checksum and size, read once. */
export interface FileDigest {
  /** Lower-case hex SHA-256. */
  sha256: string;
  /** Bytes read. */
  bytes: number;
}

/** Bytes read at once: large enough that hashing, not reading, sets the pace. */
const CHUNK = 1 << 20;

/**
 * The SHA-256 of a file, read in chunks of 1 MiB through one buffer, so that
 * memory stays the same whatever the file's size (`crypto.subtle.digest`
 * takes the whole content at once; `node:crypto`'s hash takes it in parts).
 */
export async function sha256File(
  path: string,
  options: { onBytes?: (bytes: number) => void; signal?: AbortSignal } = {},
): Promise<FileDigest> {
  const { onBytes, signal } = options;
  const hash = createHash("sha256");
  const buffer = new Uint8Array(CHUNK);
  let bytes = 0;
  using file = await Deno.open(path, { read: true });
  while (true) {
    signal?.throwIfAborted();
    const read = await file.read(buffer);
    if (read === null) break;
    hash.update(buffer.subarray(0, read));
    bytes += read;
    onBytes?.(bytes);
  }
  return { sha256: hash.digest("hex"), bytes };
}

/**
 * The SHA-256 of a file another process is writing, read as it grows: the
 * hash is ready about when the writer is done, instead of needing a second
 * pass over the file. `writing` settles when the writer has ended; its
 * rejection is this function's. A file the writer did not write from start
 * to end in order (its size at the end differs from what was read) is hashed
 * again in one pass.
 */
export async function sha256WhileWritten(
  path: string,
  writing: Promise<void>,
  options: { onBytes?: (bytes: number) => void; pollMs?: number } = {},
): Promise<FileDigest> {
  const { onBytes, pollMs = 5 } = options;
  // An object, so that the compiler does not narrow what the callbacks change.
  const writer = { state: "writing" as "writing" | "done" | "failed" };
  writing.then(() => writer.state = "done", () => writer.state = "failed");
  const wait = () => new Promise((resolve) => setTimeout(resolve, pollMs));
  const hash = createHash("sha256");
  const buffer = new Uint8Array(CHUNK);
  let bytes = 0;
  let file: Deno.FsFile | null = null;
  try {
    while (file === null && writer.state === "writing") {
      try {
        file = await Deno.open(path, { read: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        await wait(); // not created yet
      }
    }
    file ??= await Deno.open(path, { read: true }).catch(() => null);
    while (file !== null && writer.state !== "failed") {
      // Read the state first: an end of file seen after the writer ended is the end.
      const ended = writer.state === "done";
      const read = await file.read(buffer);
      if (read !== null) {
        hash.update(buffer.subarray(0, read));
        bytes += read;
        onBytes?.(bytes);
      } else if (ended) break;
      else await wait();
    }
  } finally {
    file?.close();
  }
  await writing;
  if ((await Deno.stat(path)).size !== bytes) return await sha256File(path);
  return { sha256: hash.digest("hex"), bytes };
}
