import { fromSystemError } from "../errors/from_system_error.ts";
import type { Normalisation, SourceInfo } from "../source/types.ts";
import { readStateFile } from "./_read_state_file.ts";
import { StateFields } from "./_state_fields.ts";
import { moveAsideCommand } from "./move_aside_command.ts";
import { writeFileRaw } from "./_write_file_raw.ts";

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
 * @param dir The deployment's folder (`staged/web`, `active/web`).
 * @param record What the files are and where they came from.
 * @param files The files, by path in the folder.
 * @throws {LegerError} `ERR_STATE_UNWRITABLE` naming the parent of `dir`
 * when it is read-only, full or not leger's to write; the other codes of
 * `fromSystemError()` naming `dir`.
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
  try {
    await writeFolder(dir, record, files);
  } catch (error) {
    throw fromSystemError(error, { path: dir, write: true }) ?? error;
  }
}

async function writeFolder(
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
      await writeFileRaw(`${temp}/${path}`, bytes, 0o644);
    }
    await writeFileRaw(
      `${temp}/${RECORD_FILE}`,
      new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"),
      0o644,
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
  const text = await readStateFile(`${dir}/${RECORD_FILE}`);
  if (text === null) return null;
  const record = parseRecord(text, dir);
  const files = new Map<string, Uint8Array>();
  for (const [index, { name }] of record.files.entries()) {
    const path = `${dir}/${name}`;
    try {
      files.set(name, await Deno.readFile(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw recordFields(dir).invalid(
          `files[${index}] (${JSON.stringify(name)})`,
          "names a file that is not in the folder",
        );
      }
      throw fromSystemError(error, { action: "read", path }) ?? error;
    }
  }
  return { record, files };
}

/**
 * The records of every deployment folder below `parent` (`staged/` or
 * `active/`), sorted by deployment name. A folder without a record is not
 * one of leger's and is left out.
 *
 * @param parent The folder that holds the deployment folders.
 * @returns The records.
 * @throws {LegerError} `ERR_STATE_INVALID` naming the record and the field
 * for a record that is not JSON or has a field missing or of the wrong
 * type; the codes of `fromSystemError()` when a folder cannot be read.
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
    throw fromSystemError(error, { action: "list", path: parent }) ?? error;
  }
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith(".")) continue;
    const dir = `${parent}/${entry.name}`;
    // A folder without a record is not one of leger's: leave it alone.
    const text = await readStateFile(`${dir}/${RECORD_FILE}`);
    if (text !== null) records.push(parseRecord(text, dir));
  }
  return records.sort((a, b) => a.deployment.localeCompare(b.deployment));
}

function recordFields(dir: string): StateFields {
  const parent = dir.slice(0, dir.lastIndexOf("/")) || "/";
  return new StateFields(
    `${dir}/${RECORD_FILE}`,
    `leger wrote this record of the folder's files: move the folder out of ${parent} (\`${
      moveAsideCommand(dir)
    }\`), then stage or install the deployment again`,
  );
}

/** Checks a record field by field, and that it is the record of its folder. */
function parseRecord(text: string, dir: string): DeploymentRecord {
  const fields = recordFields(dir);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw fields.invalid("", `is not JSON: ${error.message}`, error);
  }
  const root = fields.record(parsed, "");
  const deployment = fields.string(root, "deployment", "");
  const folderName = dir.slice(dir.lastIndexOf("/") + 1);
  // An install stages in a temporary folder `.<deployment>.<id>`.
  if (
    deployment !== folderName && !folderName.startsWith(`.${deployment}.`)
  ) {
    throw fields.invalid(
      "deployment",
      `is ${JSON.stringify(deployment)}, not the folder's name ${
        JSON.stringify(folderName)
      }`,
    );
  }
  return {
    deployment,
    source: fields.source(root, "source", ""),
    fetched_at: fields.date(root, "fetched_at", ""),
    files: fields.listField(root, "files", "").map((value, i) => {
      const at = `files[${i}]`;
      const file = fields.record(value, at);
      return {
        name: fields.relativePath(file, "name", at),
        sha256: fields.sha256(file, "sha256", at),
      };
    }),
    // Records written before normalisations existed have none.
    normalisations:
      (root.normalisations === undefined
        ? []
        : fields.list(root.normalisations, "normalisations")).map(
          (value, i) => {
            const at = `normalisations[${i}]`;
            const item = fields.record(value, at);
            const line = item.line;
            if (
              line !== null && !(Number.isSafeInteger(line) && Number(line) > 0)
            ) {
              throw fields.invalid(
                `${at}.line`,
                `must be a line number or null, not ${JSON.stringify(line)}`,
              );
            }
            return {
              file: fields.string(item, "file", at),
              line: line as number | null,
              before: fields.text(item, "before", at),
              after: fields.text(item, "after", at),
            };
          },
        ),
  };
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
