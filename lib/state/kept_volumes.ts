import { readStateFile } from "./_read_state_file.ts";
import { StateFields } from "./_state_fields.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

const FILE = "kept-volumes.json";

/**
 * The volumes that removed deployments left behind (`deploy remove` keeps
 * volumes by default), by deployment name: installing the same deployment
 * again adopts them instead of calling them a conflict.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @returns Volume names by deployment name; empty when there is no file.
 * @throws {LegerError} `ERR_STATE_INVALID` naming the file and the entry
 * when it is not JSON, not a mapping, or an entry is not a list of volume
 * names; the codes of `fromSystemError()` when it cannot be read.
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
  const path = `${stateDir}/${FILE}`;
  const text = await readStateFile(path);
  if (text === null) return {};
  const fields = new StateFields(
    path,
    "Correct the entry by hand (deployment name: list of Podman volume names), or delete the file: leger then treats the kept volumes of removed deployments as anyone else's",
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw fields.invalid("", `is not JSON: ${error.message}`, error);
  }
  const root = fields.record(parsed, "");
  const kept: Record<string, string[]> = {};
  for (const name of Object.keys(root)) {
    kept[name] = fields.stringList(root[name], JSON.stringify(name));
  }
  return kept;
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
