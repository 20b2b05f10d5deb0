/**
 * Backups of deployments: their files as leger installed them and their
 * Podman volumes, each backup a folder `backups/<id>/` of leger's working
 * folder (`~/.local/share/bluebuild-quadlets/backups/` for the user scope,
 * `/var/lib/leger/bluebuild-quadlets/backups/` for the system scope) with a
 * record of every file's size and SHA-256 (`backup.json`).
 *
 * - {@linkcode createBackup} takes one: the files, the manifest and each
 *   volume (`podman volume export`, streamed to disk and checksummed as it
 *   is written), the services stopped for a consistent copy unless `live`
 *   and started again, all or nothing;
 * - {@linkcode listBackups} and {@linkcode readBackup} read the records;
 * - {@linkcode verifyBackup} checks every file against its record, as a
 *   restore does before it changes anything (the restore itself is a stage
 *   of the deploy pipeline: `restoreBackup` in `lib/deploy`);
 * - {@linkcode pruneBackups} keeps the last few automatic backups of a
 *   deployment ({@linkcode readBackupConfig}: `backups.keep`, 5 by default);
 *   manual ones are never removed.
 *
 * ```ts
 * import { backupsDir, formatBytes, listBackups } from "@leger/leger/backup";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * const context = { scope: "user" as const, home: "/home/a", env: () => undefined, progress: () => {} };
 * strictEqual(backupsDir(context), "/home/a/.local/share/bluebuild-quadlets/backups");
 * deepStrictEqual(await listBackups({ ...context, home: "/nonexistent" }), []);
 * strictEqual(formatBytes(5 << 20), "5.0 MiB");
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./backups_dir.ts";
export * from "./create_backup.ts";
export * from "./list_backups.ts";
export * from "./read_backup.ts";
export * from "./verify_backup.ts";
export * from "./prune_backups.ts";
export * from "./read_backup_config.ts";
export * from "./format_bytes.ts";
export * from "./check_free_space.ts";
export * from "./volume_size.ts";
