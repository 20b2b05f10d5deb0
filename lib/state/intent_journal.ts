import { LegerError } from "../errors/mod.ts";
import { readStateFile } from "./_read_state_file.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

/** The installed version an install replaces, as the journal keeps it. */
export interface JournalPrevious {
  /** Its recorded copy (`active/<name>/`), from which an undo reinstalls it. */
  dir: string;
  /** Its files, relative to `dir` and to the quadlet folder. */
  files: string[];
  /** The services leger started for it (stopped while the new version goes in). */
  services: string[];
  /** The services of all its units. */
  unit_services: string[];
  /** Its services that were active before the change: an undo starts them again. */
  running: string[];
}

/**
 * What an update changes beyond what {@linkcode IntentJournal} lists: only
 * the units that changed are touched, so an undo puts back exactly those.
 */
export interface JournalUpdate {
  /** The files it writes (added and changed), relative to the quadlet folder. */
  written: string[];
  /** The files it removes (the new version no longer has them). */
  removed: string[];
  /** The services it restarts (of changed units). */
  restarted: string[];
  /** The services it starts (of added units). */
  started: string[];
  /** The services it stops (of dropped units). */
  stopped: string[];
  /** Every service of the units it adds: an undo stops them. */
  added_services: string[];
}

/**
 * What a change to the host is about to do, written (atomically, under the
 * deploy lock) before its first change and cleared once the change is
 * recorded or fully undone. A leger that finds one finishes the change's
 * undo (or, for a remove, the remove) before anything else.
 */
export interface IntentJournal {
  /** A random id of this change; an install's record carries it once recorded. */
  change_id: string;
  /** What the change does. */
  operation: "install" | "remove" | "update";
  /** The deployment changed. */
  deployment: string;
  /** The leger process making the change. */
  pid: number;
  /** When the change started, RFC 3339. */
  started_at: string;
  /** An install's staged copy of the new version (a temporary folder), else `null`. */
  staged_dir: string | null;
  /** The files the change installs (install) or removes (remove). */
  files: string[];
  /** The services of all the units those files hold. */
  unit_services: string[];
  /** The services the change starts (install). */
  services: string[];
  /**
   * Podman volumes the change may create (install: those of its units that
   * did not exist before) or removes (remove with `remove_volumes`).
   */
  volumes: string[];
  /** Podman networks the change may create (install) or removes (remove). */
  networks: string[];
  /** The installed version an install or update replaces, or `null`. */
  previous: JournalPrevious | null;
  /** What an update changes (operation `update` only). */
  update?: JournalUpdate;
  /** A remove that also removes the deployment's volumes. */
  remove_volumes: boolean;
  /**
   * Podman's application markers (`.<unit>.app`) as they were before an
   * install, by name, with their content: an undo puts them back.
   */
  podman_markers?: Record<string, string>;
}

const FILE = "journal.json";

/**
 * Reads the intent journal from leger's state folder.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @returns The journal, or `null` when no change is under way.
 * @throws {LegerError} `ERR_STATE_INVALID` naming the file and the field when
 * it cannot be read as a journal.
 *
 * @example Usage
 * ```ts
 * import { readJournal } from "./intent_journal.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(await readJournal("/nonexistent"), null);
 * ```
 */
export async function readJournal(
  stateDir: string,
): Promise<IntentJournal | null> {
  const path = `${stateDir}/${FILE}`;
  const text = await readStateFile(path);
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(path, "it is not JSON", error);
  }
  return checkJournal(parsed, path);
}

/**
 * Writes the intent journal atomically (0600) before a change's first step.
 *
 * Requires `--allow-write` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @param journal What the change is about to do.
 *
 * @example Usage
 * ```ts ignore
 * import { writeJournal } from "./intent_journal.ts";
 * await writeJournal(stateDir, journal);
 * ```
 */
export async function writeJournal(
  stateDir: string,
  journal: IntentJournal,
): Promise<void> {
  await writeFileAtomic(
    `${stateDir}/${FILE}`,
    new TextEncoder().encode(JSON.stringify(journal, null, 2) + "\n"),
    { mode: 0o600 },
  );
}

/**
 * Clears the intent journal once its change is recorded or fully undone.
 *
 * Requires `--allow-write` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 *
 * @example Usage
 * ```ts
 * import { clearJournal } from "./intent_journal.ts";
 * await clearJournal("/nonexistent"); // nothing to clear is fine
 * ```
 */
export async function clearJournal(stateDir: string): Promise<void> {
  try {
    await Deno.remove(`${stateDir}/${FILE}`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function checkJournal(value: unknown, path: string): IntentJournal {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(path, "it is not an object");
  }
  const record = value as Record<string, unknown>;
  const text = (key: string) => {
    if (typeof record[key] !== "string" || record[key] === "") {
      throw invalid(path, `"${key}" is not a non-empty string`);
    }
    return record[key] as string;
  };
  const list = (from: Record<string, unknown>, key: string) => {
    const items = from[key];
    if (!Array.isArray(items) || !items.every((i) => typeof i === "string")) {
      throw invalid(path, `"${key}" is not a list of strings`);
    }
    return items as string[];
  };
  const operation = text("operation");
  if (
    operation !== "install" && operation !== "remove" &&
    operation !== "update"
  ) {
    throw invalid(path, `"operation" is "${operation}"`);
  }
  const previous = record.previous;
  let checkedPrevious: JournalPrevious | null = null;
  if (previous !== null) {
    if (typeof previous !== "object" || Array.isArray(previous)) {
      throw invalid(path, '"previous" is neither null nor an object');
    }
    const p = previous as Record<string, unknown>;
    if (typeof p.dir !== "string") {
      throw invalid(path, '"previous.dir" is not a string');
    }
    checkedPrevious = {
      dir: p.dir,
      files: list(p, "files"),
      services: list(p, "services"),
      unit_services: list(p, "unit_services"),
      running: list(p, "running"),
    };
  }
  if (record.staged_dir !== null && typeof record.staged_dir !== "string") {
    throw invalid(path, '"staged_dir" is neither null nor a string');
  }
  if (typeof record.pid !== "number") {
    throw invalid(path, '"pid" is not a number');
  }
  return {
    change_id: text("change_id"),
    operation,
    deployment: text("deployment"),
    pid: record.pid,
    started_at: text("started_at"),
    staged_dir: record.staged_dir as string | null,
    files: list(record, "files"),
    unit_services: list(record, "unit_services"),
    services: list(record, "services"),
    volumes: list(record, "volumes"),
    networks: list(record, "networks"),
    previous: checkedPrevious,
    remove_volumes: record.remove_volumes === true,
    ...(markersOf(record.podman_markers, path)),
    ...(updateOf(record.update, operation, path, list)),
  };
}

function updateOf(
  value: unknown,
  operation: string,
  path: string,
  list: (from: Record<string, unknown>, key: string) => string[],
): { update?: JournalUpdate } {
  if (value === undefined && operation !== "update") return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(path, '"update" is not an object');
  }
  const u = value as Record<string, unknown>;
  return {
    update: {
      written: list(u, "written"),
      removed: list(u, "removed"),
      restarted: list(u, "restarted"),
      started: list(u, "started"),
      stopped: list(u, "stopped"),
      added_services: list(u, "added_services"),
    },
  };
}

function markersOf(
  value: unknown,
  path: string,
): { podman_markers?: Record<string, string> } {
  if (value === undefined) return {};
  if (
    typeof value !== "object" || value === null || Array.isArray(value) ||
    !Object.values(value).every((text) => typeof text === "string")
  ) {
    throw invalid(path, '"podman_markers" is not an object of strings');
  }
  return { podman_markers: value as Record<string, string> };
}

function invalid(path: string, why: string, cause?: unknown): LegerError {
  return new LegerError(
    "ERR_STATE_INVALID",
    `Cannot read ${path}: ${why}`,
    {
      cause,
      file: path,
      remedy:
        "The journal of an interrupted change is damaged: check `leger deploy list` and the quadlet folder, remove what is left with `leger deploy remove --force NAME`, then delete the file",
    },
  );
}
