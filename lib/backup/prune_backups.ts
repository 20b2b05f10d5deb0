import { fromSystemError } from "../errors/from_system_error.ts";
import { backupsDir } from "./backups_dir.ts";
import { listBackups } from "./list_backups.ts";
import type { BackupContext } from "./types.ts";

/**
 * Removes a deployment's automatic backups but the last `keep` (by
 * `created_at`); manual backups are never removed. Each goes in one rename
 * out of sight (`backups/.prune-<id>`), then is deleted, so that a prune cut
 * short never leaves half a backup listed.
 *
 * Requires `--allow-read` and `--allow-write` for the backups folder.
 *
 * @param context The scope, its environment and the progress sink.
 * @param deployment The deployment.
 * @param keep How many automatic backups to keep (at least 0).
 * @returns The ids removed, oldest first.
 * @throws {RangeError} When `keep` is not a whole number of at least 0.
 * @throws {LegerError} What `fromSystemError()` says when a backup cannot be
 * removed.
 *
 * @example Usage
 * ```ts
 * import { pruneBackups } from "./prune_backups.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const context = { scope: "user" as const, home: "/nonexistent", env: () => undefined, progress: () => {} };
 * deepStrictEqual(await pruneBackups(context, "web", 5), []);
 * ```
 */
export async function pruneBackups(
  context: Pick<BackupContext, "scope" | "home" | "env" | "progress">,
  deployment: string,
  keep: number,
): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 0) {
    throw new RangeError(
      `Cannot keep ${keep} backups: expected a whole number of at least 0`,
    );
  }
  const auto = (await listBackups(context, deployment)).filter((b) =>
    b.type === "auto"
  );
  const removed = auto.slice(0, Math.max(0, auto.length - keep)).map((b) =>
    b.id
  );
  const root = backupsDir(context);
  for (const id of removed) {
    const hidden = `${root}/.prune-${id}`;
    try {
      await Deno.rename(`${root}/${id}`, hidden);
      await Deno.remove(hidden, { recursive: true });
    } catch (error) {
      throw fromSystemError(error, { path: `${root}/${id}`, write: true }) ??
        error;
    }
  }
  if (removed.length > 0) {
    context.progress(
      `Removed ${removed.length} older automatic backup${
        removed.length === 1 ? "" : "s"
      } of "${deployment}" (keeping ${keep}): ${removed.join(", ")}`,
    );
  }
  return removed;
}
