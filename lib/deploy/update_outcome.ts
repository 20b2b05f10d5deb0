/**
 * The result of updating one deployment, as `leger deploy update --json`
 * prints it and as the update timer's runs record it: keys are snake_case;
 * renaming one breaks users' scripts.
 *
 * @module
 */
import type { Scope } from "../adapters/scope.ts";
import type { ErrorCode } from "../errors/codes.ts";
import type { SourceInfo } from "../source/types.ts";

/**
 * How an update of one deployment ended:
 *
 * - `updated`: the new version is installed and its changed services run;
 * - `unchanged`: the source gave the files already installed; nothing was
 *   touched;
 * - `staged`: `--dry-run` (or `leger staged stage`): valid, staged, not
 *   applied;
 * - `rolled-back`: it failed, or was interrupted, after it began to change
 *   the host, and was undone: the previous version runs;
 * - `failed`: it stopped before changing anything (fetch, validation,
 *   conflict, backup, image pull, confirmation, lock), or its rollback could
 *   not finish (`error.rollback_complete` is then `false`).
 */
export type UpdateOutcomeState =
  | "updated"
  | "unchanged"
  | "staged"
  | "rolled-back"
  | "failed";

/** A version of a deployment in an {@linkcode UpdateOutcome}. */
export interface UpdateVersion {
  /** Its version (leger.run version, Git commit, manifest version), or `null` when its source gives none. */
  version: string | null;
  /** Where its files came from. */
  source: SourceInfo;
}

/** What updating one deployment did (or would do, with `--dry-run`). */
export interface UpdateOutcome {
  /** The deployment. */
  deployment: string;
  /** The scope it is installed in. */
  scope: Scope;
  /** How it ended. */
  outcome: UpdateOutcomeState;
  /** `timer` when the update timer ran it (`LEGER_UPDATE_TRIGGER=timer`), else `manual`. */
  trigger: "manual" | "timer";
  /** When it finished, RFC 3339. */
  finished_at: string;
  /** The installed version it started from, or `null` when it could not be read. */
  from: UpdateVersion | null;
  /** The version fetched, or `null` when it could not be fetched. */
  to: UpdateVersion | null;
  /** The services restarted (changed units); with `--dry-run` or after a rollback, those it would have restarted. */
  restarted: string[];
  /** The services started (added units). */
  started: string[];
  /** The services stopped (dropped units). */
  stopped: string[];
  /** The services left running, untouched. */
  unchanged: string[];
  /** The units added. */
  added: string[];
  /** The units changed. */
  changed: string[];
  /** The units removed. */
  removed: string[];
  /** The automatic backup taken before the change, or `null` (none, `--no-backup`, or none needed). */
  backup: string | null;
  /**
   * Why it failed or was rolled back; absent otherwise (a document with an
   * `error` key is a failure, as in every `--json` output of leger).
   */
  error?: {
    code: ErrorCode;
    message: string;
    remedy: string;
    details: string[];
    /** For `rolled-back` and a failed rollback: whether the rollback finished. */
    rollback_complete?: boolean;
  };
}
