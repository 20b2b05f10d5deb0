import { statfs } from "node:fs/promises";
import { LegerError } from "../errors/mod.ts";
import { checkWritable } from "../state/check_writable.ts";
import { formatBytes } from "./format_bytes.ts";

/** Room kept free beyond what a backup or restore needs. */
const MARGIN = 64 << 20;

/**
 * Checks, before a backup or a restore stops or writes anything, that `dir`
 * can be written (`checkWritable`) and that its disk has room for `bytes`
 * more, with 64 MiB to spare (`statfs`: the blocks free to this user).
 *
 * Requires `--allow-read` and `--allow-write` for `dir`, and
 * `--allow-sys=statfs`.
 *
 * @param dir The folder that will be written (created when missing).
 * @param bytes About how much will be written there.
 * @param options `what`: what needs the room, for the message ("back up
 * \"web\"").
 * @throws {LegerError} `ERR_STATE_UNWRITABLE` naming the folder, what is
 * needed and what is free, or why it cannot be written.
 *
 * @example Usage
 * ```ts
 * import { checkFreeSpace } from "./check_free_space.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await checkFreeSpace(dir, 1024, { what: "back up \"web\"" });
 * await rejects(checkFreeSpace(dir, 2 ** 62, { what: "back up \"web\"" }), {
 *   code: "ERR_STATE_UNWRITABLE",
 *   message: /the disk is full \(it needs about/,
 * });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkFreeSpace(
  dir: string,
  bytes: number,
  options: { what: string },
): Promise<void> {
  await checkWritable([dir]);
  const { bavail, bsize } = await statfs(dir);
  const free = Number(bavail) * Number(bsize);
  const needed = bytes + MARGIN;
  if (free >= needed) return;
  throw new LegerError(
    "ERR_STATE_UNWRITABLE",
    `Cannot ${options.what} in ${dir}: the disk is full (it needs about ${
      formatBytes(needed)
    }, and ${formatBytes(free)} are free)`,
    {
      details: ["Nothing was changed on this host."],
      remedy:
        `Free some space on the disk that holds ${dir} (\`leger backup list\` shows the backups kept there; remove those you no longer need with \`rm -r ${dir}/ID\`), then run the command again`,
    },
  );
}
