import { legerPaths } from "../state/paths.ts";
import type { BackupContext } from "./types.ts";

/**
 * The folder that holds a scope's backups, one folder each named by its id:
 * `~/.local/share/bluebuild-quadlets/backups/` for the user scope (under
 * `XDG_DATA_HOME` when set), `/var/lib/leger/bluebuild-quadlets/backups/`
 * for the system scope.
 *
 * @param context The scope and its environment.
 * @returns The folder's path.
 *
 * @example Usage
 * ```ts
 * import { backupsDir } from "./backups_dir.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   backupsDir({ scope: "user", home: "/home/a", env: () => undefined }),
 *   "/home/a/.local/share/bluebuild-quadlets/backups",
 * );
 * ```
 */
export function backupsDir(
  context: Pick<BackupContext, "scope" | "home" | "env">,
): string {
  return `${legerPaths(context.scope, context).workDir}/backups`;
}
