import { LegerError } from "../errors/leger_error.ts";
import type { Scope } from "./scope.ts";
import { commandNotFound, run, type Runner } from "./run.ts";

/** Options for {@linkcode streamJournal}. */
export interface StreamJournalOptions {
  /** How many of the last lines to show. */
  lines: number;
  /** Only lines since then, in journalctl's forms (`1h ago`, `2026-11-27 10:00`). */
  since?: string;
  /** Keep printing new lines until interrupted. */
  follow: boolean;
  /**
   * Print each entry as one JSON object per line, with all its fields
   * (journalctl's `--output json`) instead of text.
   *
   * @default {false}
   */
  json?: boolean;
  /**
   * Stops journalctl (SIGTERM) when aborted: how `--follow` ends when leger
   * is signalled; the result is then 0.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * The journalctl to run (tests pass a script).
   *
   * @default {"journalctl"}
   */
  command?: string;
}

/**
 * Prints a unit's journal of a scope straight to this process's stdout and
 * stderr (streaming, so `--follow` runs until Ctrl-C): text, or with `json`
 * one JSON object per entry and line.
 *
 * Requires `--allow-run=journalctl`.
 *
 * @param scope `user` reads the user's journal (`journalctl --user`).
 * @param unit The unit, such as `web.service`.
 * @param options How many lines, since when, whether to follow, JSON, and
 * the signal that stops it.
 * @returns 0 when journalctl succeeded or was stopped by `signal`, else 1.
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` when journalctl is not
 * installed.
 *
 * @example Usage
 * ```ts ignore
 * import { streamJournal } from "./journal.ts";
 * await streamJournal("user", "web.service", { lines: 100, follow: false });
 * ```
 */
export async function streamJournal(
  scope: Scope,
  unit: string,
  options: StreamJournalOptions,
): Promise<number> {
  const {
    lines,
    since,
    follow,
    json = false,
    signal,
    command = "journalctl",
  } = options;
  const args = [
    ...journalArgs(scope, unit, lines),
    ...(since === undefined ? [] : ["--since", since]),
    ...(follow ? ["--follow"] : []),
    ...(json ? ["--output", "json"] : []),
  ];
  // Not through run(): the output is the user's to read as it comes, not ours to capture.
  const child = spawnJournalctl(command, args, "inherit");
  const relay = relayStderr(child);
  const stop = () => kill(child);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    return await finish(child, relay, { since, signal });
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** One journal entry of {@linkcode streamJournalEntries}. */
export interface JournalEntry {
  /**
   * The service, among those asked for, that the entry is about: the unit
   * that logged it (`_SYSTEMD_UNIT`, or `_SYSTEMD_USER_UNIT` in the user
   * scope: a container's output, which conmon logs with `SYSLOG_IDENTIFIER`
   * the container's name, and Podman's own lines), else the unit systemd
   * logged it about (`UNIT`, `USER_UNIT`: "Started web.service."), else a
   * coredump's or an object's unit; `null` when no field names one of them.
   */
  service: string | null;
  /**
   * `MESSAGE` as text, without its final newline: journald keeps a message
   * that is not UTF-8 as bytes, which journal JSON writes as an array of
   * numbers, decoded here with U+FFFD for the bytes that are not UTF-8; empty
   * when the entry has none.
   */
  message: string;
  /**
   * When journald received it (`__REALTIME_TIMESTAMP`), in microseconds
   * since 1970; `null` when the entry does not say.
   */
  realtimeMicros: number | null;
  /** The syslog priority (`PRIORITY`: 0 emergency … 7 debug), or `null`. */
  priority: number | null;
  /** The entry's JSON as journalctl printed it, unchanged (one line). */
  line: string;
}

/**
 * The fields that name an entry's unit, most direct first: the unit whose
 * process logged it, then the unit systemd logged it about.
 */
const UNIT_FIELDS = [
  "_SYSTEMD_UNIT",
  "_SYSTEMD_USER_UNIT",
  "UNIT",
  "USER_UNIT",
  "OBJECT_SYSTEMD_UNIT",
  "OBJECT_SYSTEMD_USER_UNIT",
  "COREDUMP_UNIT",
  "COREDUMP_USER_UNIT",
] as const;

/**
 * Reads one line of `journalctl --output json`: an entry, with the service
 * it is about among `services` (see {@linkcode JournalEntry.service}).
 *
 * In the system scope a container's lines carry `_SYSTEMD_UNIT=web.service`
 * and systemd's own lines `UNIT=web.service` (with `_SYSTEMD_UNIT=init.scope`);
 * in the user scope they carry `_SYSTEMD_USER_UNIT` and `USER_UNIT`
 * (`_SYSTEMD_UNIT` is then `user@1000.service`). The first field whose value
 * is one of `services` decides.
 *
 * @param line One line journalctl printed.
 * @param services The services asked for.
 * @returns The entry.
 * @throws {SyntaxError} When the line is not a JSON object.
 *
 * @example Usage
 * ```ts
 * import { parseJournalEntry } from "./journal.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const entry = parseJournalEntry(
 *   '{"_SYSTEMD_UNIT":"user@1000.service","_SYSTEMD_USER_UNIT":"web.service",' +
 *     '"MESSAGE":[98,255,10],"__REALTIME_TIMESTAMP":"1796064222014288","PRIORITY":"6"}',
 *   ["web.service", "db.service"],
 * );
 * strictEqual(entry.service, "web.service");
 * strictEqual(entry.message, "b\uFFFD");
 * strictEqual(entry.realtimeMicros, 1796064222014288);
 * strictEqual(entry.priority, 6);
 * ```
 */
export function parseJournalEntry(
  line: string,
  services: readonly string[],
): JournalEntry {
  const fields: unknown = JSON.parse(line);
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new SyntaxError(
      `Cannot read a journal entry: expected a JSON object, got ${
        line.slice(0, 80)
      }`,
    );
  }
  const record = fields as Record<string, unknown>;
  let service: string | null = null;
  for (const field of UNIT_FIELDS) {
    const value = fieldValues(record[field]).find((v) => services.includes(v));
    if (value !== undefined) {
      service = value;
      break;
    }
  }
  return {
    service,
    message: fieldText(record.MESSAGE).replace(/\n$/, ""),
    realtimeMicros: numberOf(record.__REALTIME_TIMESTAMP),
    priority: numberOf(record.PRIORITY),
    line,
  };
}

/** Options for {@linkcode streamJournalEntries}. */
export interface StreamJournalEntriesOptions {
  /** How many of the last entries of all the units together to read first. */
  lines: number;
  /** Only entries since then, in journalctl's forms (`1h ago`, `2026-11-27 10:00`). */
  since?: string;
  /** Keep reading new entries until `signal` aborts. */
  follow: boolean;
  /** Called with each entry, in journalctl's order (the order of time). */
  onEntry(entry: JournalEntry): void;
  /**
   * Stops journalctl (SIGTERM) when aborted; the result is then 0.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * The journalctl to run (tests pass a script).
   *
   * @default {"journalctl"}
   */
  command?: string;
}

/**
 * Reads the journal of several units of a scope with one `journalctl
 * --output json --all` (`--unit X…`, or `--user --user-unit X…`),
 * interleaved in the order of time, and hands each entry to `onEntry` as it
 * comes (with `follow`, until `signal` aborts). journalctl's own messages
 * (a bad `--since`) go straight to stderr.
 *
 * Requires `--allow-run=journalctl`.
 *
 * @param scope `user` reads the user's journal and user units.
 * @param units The units, such as `["web.service", "db.service"]`.
 * @param options How many entries, since when, whether to follow, the
 * callback and the signal that stops it.
 * @returns 0 when journalctl succeeded or was stopped by `signal`, else 1.
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` when journalctl is not
 * installed.
 * @throws {SyntaxError} When journalctl prints a line that is no JSON object
 * (journalctl is stopped first).
 *
 * @example Usage
 * ```ts ignore
 * import { streamJournalEntries } from "./journal.ts";
 * await streamJournalEntries("user", ["web.service", "db.service"], {
 *   lines: 100,
 *   follow: false,
 *   onEntry: (entry) => console.log(entry.service, entry.message),
 * });
 * ```
 */
export async function streamJournalEntries(
  scope: Scope,
  units: readonly string[],
  options: StreamJournalEntriesOptions,
): Promise<number> {
  const { lines, since, follow, onEntry, signal, command = "journalctl" } =
    options;
  const unitFlag = scope === "user" ? "--user-unit" : "--unit";
  const args = [
    ...(scope === "user" ? ["--user"] : []),
    ...units.flatMap((unit) => [unitFlag, unit]),
    "--lines",
    String(lines),
    ...(since === undefined ? [] : ["--since", since]),
    ...(follow ? ["--follow"] : []),
    "--output",
    "json",
    // Without it, journalctl writes null for a field over 4096 bytes.
    "--all",
    "--no-pager",
  ];
  const child = spawnJournalctl(command, args, "piped");
  const relay = relayStderr(child);
  const stop = () => kill(child);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    let rest = "";
    const text = child.stdout!.pipeThrough(new TextDecoderStream());
    for await (const chunk of text) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        if (line.trim() !== "") onEntry(parseJournalEntry(line, units));
      }
    }
    if (rest.trim() !== "") onEntry(parseJournalEntry(rest, units));
    return await finish(child, relay, { since, signal });
  } catch (error) {
    // A line that is no entry, or output that cannot be written: journalctl
    // must not outlive leger.
    kill(child);
    await Promise.allSettled([child.status, relay]);
    throw error;
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** Options for {@linkcode readsSystemJournal}. */
export interface ReadsSystemJournalOptions {
  /**
   * The system journal's files, the persistent one first.
   *
   * @default {`/var/log/journal/ID/system.journal`, `/run/log/journal/ID/system.journal` (ID from `/etc/machine-id`)}
   */
  files?: readonly string[];
  /**
   * Opens a file for reading, and closes it (tests pass a fake).
   *
   * @default {Deno.open, then close}
   */
  open?: (path: string) => Promise<void>;
}

/**
 * Whether this process may read the system journal, as journalctl decides
 * whether to show a user the system's entries: by whether it can open the
 * journal's files (root, and the groups their ACLs name: `systemd-journal`,
 * `adm`, `wheel`). Without it, journalctl shows a user none of a system
 * service's entries and still exits 0 (`-- No entries --`, or nothing at
 * all with `--output json`).
 *
 * Requires `--allow-read`.
 *
 * @param options The files, and how to open them.
 * @returns `false` when a system journal file exists and opening it is
 * refused; `true` otherwise (also when there is none: journalctl then says
 * what it finds).
 *
 * @example Usage
 * ```ts
 * import { readsSystemJournal } from "./journal.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const denied = () => Promise.reject(new Deno.errors.PermissionDenied("denied"));
 * strictEqual(await readsSystemJournal({ files: ["/j/system.journal"], open: denied }), false);
 * ```
 */
export async function readsSystemJournal(
  options: ReadsSystemJournalOptions = {},
): Promise<boolean> {
  const {
    open = async (path: string) => (await Deno.open(path)).close(),
  } = options;
  const files = options.files ?? await systemJournalFiles();
  for (const file of files) {
    try {
      await open(file);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.PermissionDenied) return false;
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return true;
}

async function systemJournalFiles(): Promise<string[]> {
  let id: string;
  try {
    id = (await Deno.readTextFile("/etc/machine-id")).trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return ["/var/log/journal", "/run/log/journal"].map((dir) =>
    `${dir}/${id}/system.journal`
  );
}

/**
 * The last lines a unit wrote to the journal of its scope, for error messages.
 *
 * Requires `--allow-run=journalctl`.
 *
 * @example Usage
 * ```ts ignore
 * import { journalTail } from "./journal.ts";
 * const lines = await journalTail("user", "web.service", 10);
 * ```
 */
export async function journalTail(
  scope: Scope,
  unit: string,
  lines: number,
  options: { runner?: Runner } = {},
): Promise<string[]> {
  const { runner = run } = options;
  const { stdout } = await runner(
    "journalctl",
    [...journalArgs(scope, unit, lines), "--output", "cat"],
    { allowedExitCodes: [1] },
  );
  return stdout.split("\n").filter((line) => line !== "");
}

function journalArgs(scope: Scope, unit: string, lines: number): string[] {
  return [
    ...(scope === "user" ? ["--user"] : []),
    "--unit",
    unit,
    "--lines",
    String(lines),
    "--no-pager",
  ];
}

/** Starts journalctl, stdout inherited or piped to leger, stderr piped. */
function spawnJournalctl(
  command: string,
  args: readonly string[],
  stdout: "inherit" | "piped",
): Deno.ChildProcess {
  try {
    return new Deno.Command(command, {
      args: [...args],
      stdin: "null",
      stdout,
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw commandNotFound(command, "systemd's journalctl");
    }
    throw error;
  }
}

const TIMESTAMP_REGEXP = /^Failed to parse timestamp: /;

/**
 * Passes journalctl's stderr on to leger's as it comes, line by line,
 * except its refusal of `--since`, which is kept for the error that says
 * it in leger's words: resolves to that line, or `null`.
 */
async function relayStderr(child: Deno.ChildProcess): Promise<string | null> {
  let refusal: string | null = null;
  let rest = "";
  const encoder = new TextEncoder();
  const pass = async (line: string) => {
    if (TIMESTAMP_REGEXP.test(line)) {
      refusal ??= line;
      return;
    }
    const bytes = encoder.encode(`${line}\n`);
    let written = 0;
    while (written < bytes.length) {
      written += await Deno.stderr.write(bytes.subarray(written));
    }
  };
  for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    for (const line of parts) await pass(line);
  }
  if (rest !== "") await pass(rest);
  return refusal;
}

/**
 * The end of a journalctl run: its code as leger's (0 when it was stopped),
 * or `ERR_USAGE` when it refused `--since`.
 */
async function finish(
  child: Deno.ChildProcess,
  relay: Promise<string | null>,
  options: { since?: string; signal?: AbortSignal },
): Promise<number> {
  const { since, signal } = options;
  const [{ code }, refusal] = await Promise.all([child.status, relay]);
  if (refusal !== null && code !== 0 && !signal?.aborted) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use --since "${since}": journalctl cannot read it as a time`,
      {
        details: [`journalctl: ${refusal}`],
        remedy:
          "Pass a time journalctl reads: `2026-11-27 10:00[:00]`, `2026-11-27`, `today`, `yesterday`, `now`, `-1h`, `1h ago`, `@1764500000`",
      },
    );
  }
  return code === 0 || signal?.aborted ? 0 : 1;
}

/** Stops journalctl; it may have ended already. */
function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGTERM");
  } catch (error) {
    // Deno throws a TypeError for a child that has already ended.
    if (!(error instanceof TypeError)) throw error;
  }
}

/** A field's values: journal JSON writes a repeated field as an array. */
function fieldValues(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || value.every((v) => typeof v === "number")) {
    return [];
  }
  return value.filter((v): v is string => typeof v === "string");
}

/** A field as text: a string, or bytes (an array of numbers) as UTF-8. */
function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) {
    return new TextDecoder().decode(new Uint8Array(value));
  }
  // A repeated field: its values, one per line.
  if (Array.isArray(value)) return value.map(fieldText).join("\n");
  return "";
}

function numberOf(value: unknown): number | null {
  if (typeof value !== "string" || !/^[0-9]+$/.test(value)) return null;
  return Number(value);
}
