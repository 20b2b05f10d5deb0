import type { Normalisation, SourceInfo } from "../source/types.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

/** The name of the record kept beside the files of a staged or active deployment. */
export const RECORD_FILE = ".leger-deployment.json";

/** What leger records about the files of a staged or active deployment. */
export interface DeploymentRecord {
  /** The deployment's name, which is also the folder's name. */
  deployment: string;
  /** Where the files came from (path or URL, ref, commit, version). */
  source: SourceInfo;
  /** When the files were fetched, RFC 3339. */
  fetched_at: string;
  /** Every file of the deployment, by path in the folder, with its lower-case hex SHA-256. */
  files: { name: string; sha256: string }[];
  /** What leger changed in these files to cope with known defects of the source; often empty. */
  normalisations: Normalisation[];
}

/** A staged or active deployment as read back from its folder. */
export interface DeploymentFolder {
  /** The record read from the folder's {@linkcode RECORD_FILE}. */
  record: DeploymentRecord;
  /** File path → bytes, without the record. */
  files: Map<string, Uint8Array>;
}

/**
 * Writes a deployment's files and record into `dir` atomically: everything is
 * written into a temporary sibling folder, which then takes the place of
 * `dir`. Readers see the old folder or the new one, never a mix.
 *
 * Requires `--allow-read` and `--allow-write` for the parent of `dir`.
 *
 * @example Usage
 * ```ts ignore
 * import { writeDeploymentFolder } from "./deployment_folder.ts";
 * await writeDeploymentFolder("/tmp/staged/web", record, new Map([["web.container", bytes]]));
 * ```
 */
export async function writeDeploymentFolder(
  dir: string,
  record: DeploymentRecord,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<void> {
  const parent = dir.slice(0, dir.lastIndexOf("/"));
  const name = dir.slice(parent.length + 1);
  await Deno.mkdir(parent, { recursive: true });
  const temp = await Deno.makeTempDir({ dir: parent, prefix: `.${name}.` });
  try {
    for (const [path, bytes] of files) {
      await writeFileAtomic(`${temp}/${path}`, bytes);
    }
    await writeFileAtomic(
      `${temp}/${RECORD_FILE}`,
      new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"),
    );
    await replaceFolder(temp, dir);
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw error;
  }
}

/**
 * Reads a deployment folder written by {@linkcode writeDeploymentFolder};
 * `null` when there is none.
 *
 * Requires `--allow-read` for `dir`.
 *
 * @example Usage
 * ```ts ignore
 * import { readDeploymentFolder } from "./deployment_folder.ts";
 * const staged = await readDeploymentFolder("/tmp/staged/web");
 * ```
 */
export async function readDeploymentFolder(
  dir: string,
): Promise<DeploymentFolder | null> {
  let recordText: string;
  try {
    recordText = await Deno.readTextFile(`${dir}/${RECORD_FILE}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const record = JSON.parse(recordText) as DeploymentRecord;
  const files = new Map<string, Uint8Array>();
  for (const { name } of record.files) {
    files.set(name, await Deno.readFile(`${dir}/${name}`));
  }
  return { record, files };
}

/**
 * The records of every deployment folder below `parent` (`staged/` or
 * `active/`), sorted by deployment name.
 *
 * @example Usage
 * ```ts ignore
 * import { listDeploymentRecords } from "./deployment_folder.ts";
 * const staged = await listDeploymentRecords("/home/a/.local/share/bluebuild-quadlets/staged");
 * ```
 */
export async function listDeploymentRecords(
  parent: string,
): Promise<DeploymentRecord[]> {
  const records: DeploymentRecord[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(parent));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith(".")) continue;
    try {
      const text = await Deno.readTextFile(
        `${parent}/${entry.name}/${RECORD_FILE}`,
      );
      records.push(JSON.parse(text) as DeploymentRecord);
    } catch (error) {
      // A folder without a record is not one of leger's: leave it alone.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return records.sort((a, b) => a.deployment.localeCompare(b.deployment));
}

/** Puts `from` where `to` is, keeping the old `to` until the new one is in place. */
async function replaceFolder(from: string, to: string): Promise<void> {
  const old = `${from}.old`;
  let hadOld = true;
  try {
    await Deno.rename(to, old);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    hadOld = false;
  }
  try {
    await Deno.rename(from, to);
  } catch (error) {
    if (hadOld) await Deno.rename(old, to);
    throw error;
  }
  if (hadOld) await Deno.remove(old, { recursive: true });
}
