import { readStateFile } from "./_read_state_file.ts";
import { StateFields } from "./_state_fields.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

/** The file, in leger's state folder of each scope. */
export const LAST_AUTO_UPDATES_FILE = "last-auto-updates.json";

const OUTCOMES: readonly LastAutoUpdate["outcome"][] = [
  "updated",
  "unchanged",
  "rolled-back",
  "failed",
];

/**
 * The result of the last automatic update of one deployment: the last run
 * of `leger-update.service` (`leger deploy update --all` with
 * `LEGER_UPDATE_TRIGGER=timer`) that reached it. `leger deploy list` shows
 * it (`last_auto_update` in `--json`).
 */
export interface LastAutoUpdate {
  /**
   * How it ended: `updated`, `unchanged` (the source gave what is
   * installed), `rolled-back` (it failed after it began to change the host,
   * and the previous version runs again) or `failed` (it stopped before
   * changing anything, or its rollback could not finish).
   */
  outcome: "updated" | "unchanged" | "rolled-back" | "failed";
  /** When it finished, RFC 3339. */
  finished_at: string;
  /** The version it started from, or `null` when there is none (a local folder without one) or it could not be read. */
  from: string | null;
  /** The version fetched, or `null` when there is none or it could not be fetched. */
  to: string | null;
  /** The services it restarted (for `rolled-back`: those it had set out to restart). */
  restarted: string[];
  /** The services it started. */
  started: string[];
  /** The services it stopped. */
  stopped: string[];
  /** The automatic backup taken before the change, or `null`. */
  backup: string | null;
  /** Why it failed or was rolled back (the error's code and first line), or `null`. */
  error: { code: string; message: string } | null;
}

/**
 * Reads the last automatic update of each deployment of a scope from
 * `last-auto-updates.json` in its state folder (a mapping of deployment
 * name to {@linkcode LastAutoUpdate}), every field checked. Only runs of the
 * update timer write it: a manual `leger deploy update` leaves it as it is.
 *
 * Requires `--allow-read` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @returns The records by deployment name; empty when there is no file.
 * @throws {LegerError} `ERR_STATE_INVALID` naming the file, the deployment
 * and the field when it is not JSON or a field is missing or of the wrong
 * type; the codes of `fromSystemError()` when it cannot be read.
 *
 * @example Usage
 * ```ts ignore
 * import { readLastAutoUpdates } from "./last_auto_updates.ts";
 * const last = await readLastAutoUpdates("/home/a/.local/share/leger");
 * const outcome = last.web?.outcome; // "updated", "rolled-back"…
 * ```
 */
export async function readLastAutoUpdates(
  stateDir: string,
): Promise<Record<string, LastAutoUpdate>> {
  const path = `${stateDir}/${LAST_AUTO_UPDATES_FILE}`;
  const text = await readStateFile(path);
  if (text === null) return {};
  const fields = new StateFields(
    path,
    "Correct the entry by hand, or delete the file: it only records what the update timer last did (the next run of leger-update.service writes it again)",
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw fields.invalid("", `is not JSON: ${error.message}`, error);
  }
  const root = fields.record(parsed, "");
  const records: Record<string, LastAutoUpdate> = {};
  for (const name of Object.keys(root)) {
    records[name] = readRecord(fields, root[name], JSON.stringify(name));
  }
  return records;
}

/** Options for {@linkcode recordLastAutoUpdate}. */
export interface RecordLastAutoUpdateOptions {
  /**
   * The deployments installed now: the records of any other (removed since)
   * are dropped. By default every record is kept.
   */
  installed?: readonly string[];
}

/**
 * Records the result of an automatic update of one deployment in
 * `last-auto-updates.json`, replacing its previous one, atomically (a
 * reader sees the old file or the new one). The update timer's service
 * runs one at a time per scope, so no lock is taken.
 *
 * Requires `--allow-read` and `--allow-write` for the state folder.
 *
 * @param stateDir leger's state folder of the scope.
 * @param deployment The deployment.
 * @param record What its update did.
 * @param options The deployments installed now, to drop the records of the others.
 * @throws {LegerError} `ERR_STATE_INVALID` when the file there is damaged
 * (as {@linkcode readLastAutoUpdates}); `ERR_STATE_UNWRITABLE` and the other
 * codes of `writeFileAtomic()` when it cannot be written.
 *
 * @example Usage
 * ```ts ignore
 * import { recordLastAutoUpdate } from "./last_auto_updates.ts";
 * await recordLastAutoUpdate("/home/a/.local/share/leger", "web", {
 *   outcome: "updated", finished_at: new Date().toISOString(), from: "1", to: "2",
 *   restarted: ["web.service"], started: [], stopped: [], backup: null, error: null,
 * });
 * ```
 */
export async function recordLastAutoUpdate(
  stateDir: string,
  deployment: string,
  record: LastAutoUpdate,
  options: RecordLastAutoUpdateOptions = {},
): Promise<void> {
  const { installed } = options;
  const records = await readLastAutoUpdates(stateDir);
  records[deployment] = record;
  if (installed !== undefined) {
    for (const name of Object.keys(records)) {
      if (name !== deployment && !installed.includes(name)) {
        delete records[name];
      }
    }
  }
  await writeFileAtomic(
    `${stateDir}/${LAST_AUTO_UPDATES_FILE}`,
    new TextEncoder().encode(JSON.stringify(records, null, 2) + "\n"),
  );
}

function readRecord(
  fields: StateFields,
  value: unknown,
  at: string,
): LastAutoUpdate {
  const entry = fields.record(value, at);
  return {
    outcome: fields.oneOf(entry, "outcome", at, OUTCOMES),
    finished_at: fields.date(entry, "finished_at", at),
    from: nullableString(fields, entry, "from", at),
    to: nullableString(fields, entry, "to", at),
    restarted: fields.strings(entry, "restarted", at),
    started: fields.strings(entry, "started", at),
    stopped: fields.strings(entry, "stopped", at),
    backup: nullableString(fields, entry, "backup", at),
    error: entry.error === null ? null : readError(fields, entry, at),
  };
}

function readError(
  fields: StateFields,
  entry: Record<string, unknown>,
  at: string,
): { code: string; message: string } {
  if (entry.error === undefined) {
    throw fields.invalid(`${at}.error`, "is missing");
  }
  const error = fields.record(entry.error, `${at}.error`);
  return {
    code: fields.string(error, "code", `${at}.error`),
    message: fields.text(error, "message", `${at}.error`),
  };
}

/** A field that is a non-empty string or `null` (present either way). */
function nullableString(
  fields: StateFields,
  entry: Record<string, unknown>,
  key: string,
  at: string,
): string | null {
  if (entry[key] === null) return null;
  if (typeof entry[key] === "string" && entry[key] !== "") {
    return entry[key] as string;
  }
  throw fields.invalid(
    `${at}.${key}`,
    entry[key] === undefined
      ? "is missing"
      : `must be a non-empty string or null, not ${
        JSON.stringify(entry[key]) ?? String(entry[key])
      }`,
  );
}
