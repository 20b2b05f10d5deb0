import { LegerError } from "../errors/mod.ts";

const ID_REGEXP = /^\d{8}T\d{6}Z-[!-~]+-[0-9a-f]{4}$/;

/**
 * A new backup id: the UTC time to the second, the deployment and four
 * random hex digits (`20261130T163000Z-web-ab12`), so that ids sort by time
 * and name their deployment.
 */
export function newBackupId(
  deployment: string,
  now: Date,
  random: () => number = () => crypto.getRandomValues(new Uint16Array(1))[0],
): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  const suffix = (random() & 0xffff).toString(16).padStart(4, "0");
  return `${stamp}-${deployment}-${suffix}`;
}

/**
 * Refuses what cannot be a backup id (it names a folder: no `/`, no leading
 * `.`), before it is used in a path.
 *
 * @throws {LegerError} `ERR_BACKUP_NOT_FOUND`.
 */
export function checkBackupId(id: string): void {
  if (!ID_REGEXP.test(id) || id.includes("/")) {
    throw new LegerError(
      "ERR_BACKUP_NOT_FOUND",
      `Cannot find the backup "${id}": a backup id reads like 20261130T163000Z-web-ab12`,
      { remedy: "Run `leger backup list` to see the backups by id" },
    );
  }
}
