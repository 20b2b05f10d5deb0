import { createBackup } from "../../../lib/backup/create_backup.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import type { DeployContext } from "../../../lib/deploy/context.ts";
import { LegerError } from "../../../lib/errors/mod.ts";

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
 * nothing. A full disk (`ERR_STATE_UNWRITABLE`) says how to find old
 * backups (`leger backup list`) and that `--no-backup` updates without one.
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
  }).catch((error) => {
    throw diskFull(error) ? withUpdateRemedy(error) : error;
  });
  context.progress(
    `Backed up "${deployment}" as ${record.id} (${
      formatBytes(record.size_bytes)
    }); \`leger backup restore ${record.id}\` brings it back`,
  );
  return record.id;
}

function diskFull(error: unknown): error is LegerError {
  return error instanceof LegerError &&
    error.code === "ERR_STATE_UNWRITABLE" &&
    /the disk is full/.test(error.message);
}

/** A full disk's error, with what an update can do about it. */
function withUpdateRemedy(error: LegerError): LegerError {
  return new LegerError(error.code, error.message, {
    cause: error.cause,
    file: error.file,
    line: error.line,
    details: error.details,
    remedy: `${
      /leger backup list/.test(error.remedy)
        ? error.remedy.replace(/, then run the command again$/, "")
        : "Free some space on that disk (`leger backup list` shows the backups kept there, oldest first)"
    }; or pass --no-backup to update without the automatic backup`,
  });
}
