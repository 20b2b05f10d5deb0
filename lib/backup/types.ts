/**
 * What a backup is: the record `backup.json` keeps beside the files and
 * volume archives of one deployment, and what a restore reports.
 *
 * @module
 */
import type { Runner } from "../adapters/run.ts";
import type { Scope } from "../adapters/scope.ts";
import type { Normalisation, SourceInfo } from "../source/types.ts";
import type { PathEnv } from "../state/paths.ts";

/**
 * What backups need from the world: the scope and its environment, the
 * process runner, the clock and a sink for progress lines. The deploy
 * pipeline's `DeployContext` is one, so the CLI and `leger deploy update`
 * pass theirs.
 */
export interface BackupContext extends PathEnv {
  /** The scope whose deployments are backed up. */
  scope: Scope;
  /** Runs podman and systemctl. */
  runner: Runner;
  /** The clock. */
  now(): Date;
  /** Progress lines for a person (stderr in the CLI). */
  progress(line: string): void;
}

/**
 * How a backup came to be: `manual` (`leger backup create`, `leger deploy
 * remove --backup-volumes`), kept until removed by hand; `auto` (taken by
 * `leger deploy update` before it changes anything), of which only the last
 * few of each deployment are kept.
 */
export type BackupType = "manual" | "auto";

/** A file of the deployment (unit, drop-in, referenced file) in a backup. */
export interface BackupFile {
  /** Its path in the deployment and in the quadlet folder (`web.container.d/10-limits.conf`). */
  path: string;
  /** Lower-case hex SHA-256 of its content. */
  sha256: string;
  /** Its size in bytes. */
  bytes: number;
}

/** A Podman volume of the deployment in a backup: `podman volume export`'s tar file. */
export interface BackupVolume {
  /** The Podman volume's name (`systemd-web-data`). */
  name: string;
  /** The tar file, relative to the backup's folder (`volumes/systemd-web-data.tar`). */
  file: string;
  /** Lower-case hex SHA-256 of the tar file. */
  sha256: string;
  /** The tar file's size in bytes. */
  bytes: number;
}

/** The record of one backup (`backups/<id>/backup.json`). */
export interface BackupRecord {
  /**
   * The backup's id and folder name: the UTC time it was taken, the
   * deployment and four random hex digits (`20261130T163000Z-web-ab12`).
   */
  id: string;
  /** The deployment backed up. */
  deployment: string;
  /** The scope it is installed in. */
  scope: Scope;
  /** When the backup was taken, RFC 3339. */
  created_at: string;
  /** `manual` or `auto` (see {@linkcode BackupType}). */
  type: BackupType;
  /** The files and volume archives together, in bytes. */
  size_bytes: number;
  /** Where the deployment's files had come from, with its version or commit. */
  source: SourceInfo;
  /** When the deployment backed up was installed, RFC 3339. */
  installed_at: string;
  /** Every file of the deployment, with its checksum and size. */
  files: BackupFile[];
  /** Every volume exported, with its archive's checksum and size. */
  volumes: BackupVolume[];
  /**
   * Whether the volumes were exported with the services running (`--live`):
   * the copy may then be inconsistent.
   */
  live: boolean;
  /**
   * The services stopped for the copy: those whose units use one of the
   * volumes, and those that go down with them. Started again afterwards,
   * unless the backup was taken before a removal (`leger deploy remove
   * --backup-volumes`).
   */
  stopped_services: string[];
  /** What leger had changed in the files as fetched (see `Normalisation`). */
  normalisations: Normalisation[];
  /**
   * The checksum of the deployment's manifest as leger kept it
   * (`manifest.json` in the backup's folder), or `null` when leger kept none.
   */
  manifest_sha256: string | null;
}

/** What a restore (`restoreBackup` of the deploy pipeline) did. */
export interface RestoreResult {
  /** The backup restored. */
  id: string;
  /** The deployment restored. */
  deployment: string;
  /** The files installed from the backup. */
  files: string[];
  /** The volumes whose data was replaced by the backup's. */
  volumes: string[];
  /** Of those, the volumes that did not exist and were created. */
  created_volumes: string[];
  /** The services started. */
  started: string[];
  /** Services left stopped until the Podman secrets they use exist. */
  waiting_for_secrets: string[];
}
