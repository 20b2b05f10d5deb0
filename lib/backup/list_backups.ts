import { fromSystemError } from "../errors/from_system_error.ts";
import { LegerError } from "../errors/mod.ts";
import { parseBackupRecord, RECORD_FILE } from "./_parse_backup_record.ts";
import { backupsDir } from "./backups_dir.ts";
import type { BackupContext, BackupRecord } from "./types.ts";

/**
 * The backups of a scope, oldest first (by `created_at`, then id), of one
 * deployment or of all. A backup being written (a folder whose name starts
 * with `.`) is not listed; one whose record cannot be read is left out and
 * said in a progress line, so that one damaged backup does not hide the
 * others.
 *
 * Requires `--allow-read` for the backups folder.
 *
 * @param context The scope, its environment and the progress sink.
 * @param deployment Only this deployment's backups, when given.
 * @returns The records.
 * @throws {LegerError} What `fromSystemError()` says when the folder cannot
 * be read (permission denied).
 *
 * @example Usage
 * ```ts
 * import { listBackups } from "./list_backups.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const context = { scope: "user" as const, home: "/nonexistent", env: () => undefined, progress: () => {} };
 * deepStrictEqual(await listBackups(context), []);
 * ```
 */
export async function listBackups(
  context: Pick<BackupContext, "scope" | "home" | "env" | "progress">,
  deployment?: string,
): Promise<BackupRecord[]> {
  const root = backupsDir(context);
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(root));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw fromSystemError(error, { action: "list", path: root }) ?? error;
  }
  const records: BackupRecord[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith(".")) continue;
    const dir = `${root}/${entry.name}`;
    try {
      const record = parseBackupRecord(
        await Deno.readTextFile(`${dir}/${RECORD_FILE}`),
        dir,
      );
      if (deployment === undefined || record.deployment === deployment) {
        records.push(record);
      }
    } catch (error) {
      if (
        !(error instanceof LegerError) &&
        !(error instanceof Deno.errors.NotFound)
      ) throw error;
      context.progress(
        `Skipping ${dir}: ${
          error instanceof LegerError
            ? error.message
            : `it has no ${RECORD_FILE}`
        }`,
      );
    }
  }
  return records.sort((a, b) =>
    a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)
  );
}
