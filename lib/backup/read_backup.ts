import { fromSystemError } from "../errors/from_system_error.ts";
import { LegerError } from "../errors/mod.ts";
import { checkBackupId } from "./_backup_id.ts";
import { parseBackupRecord, RECORD_FILE } from "./_parse_backup_record.ts";
import { backupsDir } from "./backups_dir.ts";
import type { BackupContext, BackupRecord } from "./types.ts";

/**
 * Reads one backup's record (`backups/<id>/backup.json`), every field
 * checked. It does not read the files it lists: `verifyBackup` checks them.
 *
 * Requires `--allow-read` for the backups folder.
 *
 * @param context The scope and its environment.
 * @param id The backup's id.
 * @returns Its record.
 * @throws {LegerError} `ERR_BACKUP_NOT_FOUND` for an id the scope has no
 * backup of (naming the ids there are); `ERR_BACKUP_CORRUPT` naming the
 * field of a record that cannot be read.
 *
 * @example Usage
 * ```ts
 * import { readBackup } from "./read_backup.ts";
 * import { rejects } from "node:assert/strict";
 *
 * await rejects(
 *   readBackup({ scope: "user", home: "/nonexistent", env: () => undefined }, "20261130T163000Z-web-ab12"),
 *   { code: "ERR_BACKUP_NOT_FOUND" },
 * );
 * ```
 */
export async function readBackup(
  context: Pick<BackupContext, "scope" | "home" | "env">,
  id: string,
): Promise<BackupRecord> {
  checkBackupId(id);
  const root = backupsDir(context);
  const dir = `${root}/${id}`;
  const path = `${dir}/${RECORD_FILE}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw await notFound(id, root, context.scope);
    }
    throw fromSystemError(error, { action: "read", path }) ?? error;
  }
  return parseBackupRecord(text, dir);
}

async function notFound(
  id: string,
  root: string,
  scope: string,
): Promise<LegerError> {
  const ids = await Array.fromAsync(Deno.readDir(root)).then(
    (entries) =>
      entries.filter((e) => e.isDirectory && !e.name.startsWith(".")).map((
        e,
      ) => e.name).sort(),
    () => [] as string[],
  );
  return new LegerError(
    "ERR_BACKUP_NOT_FOUND",
    `Cannot find the backup "${id}" in the ${scope} scope (${root})`,
    {
      details: ids.length === 0 ? ["There are no backups in this scope."] : [
        `Backups there: ${ids.slice(-5).join(", ")}${
          ids.length > 5 ? ", …" : ""
        }`,
      ],
      remedy: ids.length === 0
        ? "Take one with `leger backup create NAME`, or pass --scope for the other scope's backups"
        : "Run `leger backup list` to see the backups by id, or pass --scope for the other scope's",
    },
  );
}
