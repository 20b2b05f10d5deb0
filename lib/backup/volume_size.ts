/**
 * About how many bytes `podman volume export` of a volume writes: the sizes
 * of the files under its mountpoint (`podman volume ls`), plus 1 KiB
 * each for tar's header and padding. A folder leger may not read (in a
 * rootless volume, files owned by another of the user's sub-ids) is not
 * counted, so the estimate may fall short; it is for a check of free space,
 * not a promise.
 *
 * Requires `--allow-read` for the mountpoint.
 *
 * @param mountpoint The volume's folder on the host; `""` (some drivers
 * have none) counts as empty.
 * @returns The estimate, in bytes.
 *
 * @example Usage
 * ```ts
 * import { volumeSize } from "./volume_size.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/f`, new Uint8Array(4096));
 * strictEqual(await volumeSize(dir), 4096 + 1024);
 * strictEqual(await volumeSize(""), 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function volumeSize(mountpoint: string): Promise<number> {
  if (mountpoint === "") return 0;
  let total = 0;
  const folders = [mountpoint];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(folder));
    } catch {
      continue; // unreadable or gone: an estimate, not a promise
    }
    for (const entry of entries) {
      const path = `${folder}/${entry.name}`;
      total += 1024;
      if (entry.isDirectory) folders.push(path);
      else if (entry.isFile) {
        total += await Deno.lstat(path).then((info) => info.size, () => 0);
      }
    }
  }
  return total;
}
