import { writeFileAtomic } from "./write_file_atomic.ts";

const FILE = "kept-volumes.json";

/**
 * The volumes that removed deployments left behind (`deploy remove` keeps
 * volumes by default), by deployment name: installing the same deployment
 * again adopts them instead of calling them a conflict.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @example Usage
 * ```ts ignore
 * import { readKeptVolumes } from "./kept_volumes.ts";
 * const kept = await readKeptVolumes("/home/a/.local/share/leger");
 * ```
 */
export async function readKeptVolumes(
  stateDir: string,
): Promise<Record<string, string[]>> {
  try {
    return JSON.parse(await Deno.readTextFile(`${stateDir}/${FILE}`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
}

/**
 * Records (or, with an empty list, forgets) the volumes a removed deployment
 * left behind.
 *
 * Requires `--allow-read` and `--allow-write` for the state folder.
 *
 * @example Usage
 * ```ts ignore
 * import { setKeptVolumes } from "./kept_volumes.ts";
 * await setKeptVolumes("/home/a/.local/share/leger", "web", ["systemd-data"]);
 * ```
 */
export async function setKeptVolumes(
  stateDir: string,
  deployment: string,
  volumes: readonly string[],
): Promise<void> {
  const kept = await readKeptVolumes(stateDir);
  if (volumes.length === 0 && !(deployment in kept)) return;
  if (volumes.length === 0) delete kept[deployment];
  else kept[deployment] = [...volumes];
  await writeFileAtomic(
    `${stateDir}/${FILE}`,
    new TextEncoder().encode(JSON.stringify(kept, null, 2) + "\n"),
  );
}
