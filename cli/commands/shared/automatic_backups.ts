import type { Scope } from "../../../lib/adapters/scope.ts";
import { readBackupConfig } from "../../../lib/backup/read_backup_config.ts";
import type { CliContext } from "../../context.ts";

/**
 * Whether an update takes its automatic backup, decided before any work
 * (fetch, plan, diff): not with `--no-backup` (leger's config file is then
 * not read); not when `backups.keep` is 0 in it, which is said once, here;
 * otherwise yes. A bad `backups.keep` stops the update here, with nothing
 * fetched or changed, rather than at "Backing up…" after the diff.
 *
 * Requires `--allow-read` for leger's config file.
 *
 * @param options `backup`: the command's `--no-backup` cleared it.
 * @param context The scope, and the command's streams and environment.
 * @returns Whether to take the automatic backup.
 * @throws {LegerError} `ERR_CONFIG_INVALID` naming the file and the key,
 * with the remedy (`--no-backup` among them).
 *
 * @example Usage
 * ```ts ignore
 * import { automaticBackups } from "./automatic_backups.ts";
 * const backup = await automaticBackups(options, { scope, context });
 * ```
 */
export async function automaticBackups(
  options: { backup: boolean },
  context: { scope: Scope; context: CliContext },
): Promise<boolean> {
  if (!options.backup) return false;
  const { scope, context: cli } = context;
  const config = await readBackupConfig({
    scope,
    home: cli.home,
    env: cli.env,
  });
  if (config.keep > 0) return true;
  cli.err(
    `Automatic backups are off (backups.keep is 0 in ${config.file}): no backup is taken before updating\n`,
  );
  return false;
}
