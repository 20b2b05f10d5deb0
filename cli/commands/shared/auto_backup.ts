import { createBackup } from "../../../lib/backup/create_backup.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import type { DeployContext } from "../../../lib/deploy/context.ts";

/**
 * The automatic backup an update takes before it changes anything
 * (`createBackup`, type `auto`): taken live, with the services running,
 * since an update leaves the services it does not change untouched; the
 * files and every volume of the deployment, the last few of each kept.
 *
 * @param context The deploy context of the update.
 * @param deployment The installed deployment.
 * @param signal Aborted on Ctrl-C: nothing of the backup is kept.
 * @returns The backup's id.
 * @throws {LegerError} What `createBackup` throws; the update then changes
 * nothing.
 *
 * @example Usage
 * ```ts ignore
 * import { autoBackup } from "./auto_backup.ts";
 * const id = await autoBackup(pipeline, "web", signal);
 * ```
 */
export async function autoBackup(
  context: DeployContext,
  deployment: string,
  signal?: AbortSignal,
): Promise<string> {
  context.progress(`Backing up "${deployment}" before the update…`);
  const record = await createBackup(context, deployment, {
    type: "auto",
    live: true,
    signal,
  });
  context.progress(
    `Backed up "${deployment}" as ${record.id} (${
      formatBytes(record.size_bytes)
    }); \`leger backup restore ${record.id}\` brings it back`,
  );
  return record.id;
}
