import type { Manifest } from "../manifest/types.ts";
import { LegerError } from "../errors/mod.ts";
import type { DeploymentFile } from "../source/types.ts";
import { readManifests } from "../state/manifests_file.ts";
import { sha256File } from "./_sha256_file.ts";
import { createHash } from "node:crypto";
import { backupsDir } from "./backups_dir.ts";
import { formatBytes } from "./format_bytes.ts";
import type { BackupContext, BackupRecord } from "./types.ts";

/** Options for {@linkcode verifyBackup}. */
export interface VerifyBackupOptions {
  /**
   * Check the deployment's files (and return them).
   *
   * @default {true}
   */
  files?: boolean;
  /**
   * Check the volume archives.
   *
   * @default {true}
   */
  volumes?: boolean;
  /**
   * Stops between two chunks read when aborted.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** What {@linkcode verifyBackup} read and found whole. */
export interface VerifiedBackup {
  /** The deployment's files, as a deploy source hands them over (empty when `files` is false). */
  files: DeploymentFile[];
  /** The manifest leger had kept of the deployment, or `null`. */
  manifest: Manifest | null;
}

/** Archives larger than this say how far the check is. */
const LARGE = 256 << 20;

/**
 * Checks every file a backup's record lists — the deployment's files, its
 * manifest and each volume archive — against the size and SHA-256 the
 * record gives, reading each once in chunks (a volume archive is never held
 * in memory). A restore calls it before it changes anything.
 *
 * Requires `--allow-read` for the backups folder.
 *
 * @param context The scope, its environment and the progress sink.
 * @param record The backup's record (`readBackup`).
 * @param options What to check, and the signal that stops it.
 * @returns The files read (whole), and the manifest.
 * @throws {LegerError} `ERR_BACKUP_CORRUPT` naming the first file that is
 * missing, of another size or of another checksum.
 *
 * @example Usage
 * ```ts ignore
 * import { readBackup, verifyBackup } from "@leger/leger/backup";
 * const record = await readBackup(context, "20261130T163000Z-web-ab12");
 * const { files } = await verifyBackup(context, record);
 * ```
 */
export async function verifyBackup(
  context: Pick<BackupContext, "scope" | "home" | "env" | "progress">,
  record: BackupRecord,
  options: VerifyBackupOptions = {},
): Promise<VerifiedBackup> {
  const { files: checkFiles = true, volumes = true, signal } = options;
  const dir = `${backupsDir(context)}/${record.id}`;
  const corrupt = (file: string, problem: string) =>
    new LegerError(
      "ERR_BACKUP_CORRUPT",
      `Cannot trust the backup ${record.id}: ${file} ${problem}`,
      {
        file: `${dir}/${file}`,
        details: ["Nothing was changed on this host."],
      },
    );
  const compare = (
    file: string,
    expected: { sha256: string; bytes: number },
    found: { sha256: string; bytes: number },
  ) => {
    if (found.bytes !== expected.bytes) {
      throw corrupt(
        file,
        `has ${found.bytes} bytes, where its record says ${expected.bytes}`,
      );
    }
    if (found.sha256 !== expected.sha256) {
      throw corrupt(
        file,
        `does not match its checksum: its record says sha256 ${expected.sha256}, the file has ${found.sha256}`,
      );
    }
  };
  const check = async (
    file: string,
    expected: { sha256: string; bytes: number },
    onBytes?: (bytes: number) => void,
  ) => {
    let found;
    try {
      found = await sha256File(`${dir}/${file}`, { onBytes, signal });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw corrupt(file, "is missing");
      }
      throw error;
    }
    compare(file, expected, found);
  };
  const files: DeploymentFile[] = [];
  let manifest: Manifest | null = null;
  if (checkFiles) {
    for (const file of record.files) {
      const path = `files/${file.path}`;
      const bytes = await readSmall(
        dir,
        path,
        () => corrupt(path, "is missing"),
      );
      compare(path, file, { bytes: bytes.length, sha256: sha256Of(bytes) });
      files.push({ path: file.path, bytes, sha256: file.sha256 });
    }
    if (record.manifest_sha256 !== null) {
      const bytes = await readSmall(
        dir,
        "manifest.json",
        () => corrupt("manifest.json", "is missing"),
      );
      compare("manifest.json", {
        sha256: record.manifest_sha256,
        bytes: bytes.length,
      }, { bytes: bytes.length, sha256: sha256Of(bytes) });
      manifest = (await readManifests(dir))[record.deployment] ?? null;
    }
  }
  if (volumes) {
    for (const volume of record.volumes) {
      let said = 0;
      await check(volume.file, volume, (bytes) => {
        if (volume.bytes < LARGE || bytes - said < LARGE) return;
        said = bytes;
        context.progress(
          `Checking ${volume.file}: ${formatBytes(bytes)} of ${
            formatBytes(volume.bytes)
          }…`,
        );
      });
    }
  }
  return { files, manifest };
}

function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function readSmall(
  dir: string,
  path: string,
  missing: () => Error,
): Promise<Uint8Array> {
  try {
    return await Deno.readFile(`${dir}/${path}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw missing();
    throw error;
  }
}
