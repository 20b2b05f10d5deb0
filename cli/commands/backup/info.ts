/**
 * `leger backup info <id> [--scope …] [--json]`: one backup's files and
 * volumes with their sizes and checksums, and the source and version of the
 * deployment it holds.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { backupsDir } from "../../../lib/backup/backups_dir.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import { readBackup } from "../../../lib/backup/read_backup.ts";
import type { BackupRecord } from "../../../lib/backup/types.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";
import { versionLabel, versionOf } from "../../version_label.ts";

/** The options of `leger backup info`. */
export interface BackupInfoOptions {
  /** The backup's id. */
  id: string;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** What `leger backup info --json` prints: the record, its version and folder. */
export interface BackupInfoDocument extends BackupRecord {
  /** The deployment's version when backed up, or `null`. */
  version: string | null;
  /** The backup's folder. */
  path: string;
}

/** Reads the command line of `leger backup info`. */
export function parse(line: CommandLine): BackupInfoOptions {
  return {
    id: line.args[0],
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger backup info`. */
export async function run(
  options: BackupInfoOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const where = { scope, home: context.home, env: context.env };
  const record = await readBackup(where, options.id);
  const path = `${backupsDir(where)}/${record.id}`;
  if (options.json) {
    const document: BackupInfoDocument = {
      ...record,
      version: versionOf(record.source),
      path,
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  const terminal = context.stdoutIsTerminal;
  const source = record.source;
  const copy = record.volumes.length === 0
    ? "files only (no volumes)"
    : record.live
    ? "taken with the services running (--live)"
    : record.stopped_services.length > 0
    ? `consistent (${record.stopped_services.join(", ")} stopped meanwhile)`
    : "consistent (no service was running)";
  const facts: [string, string][] = [
    ["Backup", record.id],
    ["Deployment", `${record.deployment} (${record.scope} scope)`],
    ["Created", record.created_at],
    ["Type", record.type],
    ["Size", formatBytes(record.size_bytes)],
    [
      "Source",
      `${source.type} ${source.location}${
        source.ref === undefined ? "" : ` (${source.ref})`
      }`,
    ],
    ["Version", versionLabel(source)],
    ...(source.commit === undefined
      ? []
      : [["Commit", source.commit] as [string, string]]),
    ["Installed", record.installed_at],
    ["Volumes", copy],
    ["Folder", path],
  ];
  const files = record.files.map((f) => [
    "file",
    f.path,
    formatBytes(f.bytes),
    `sha256:${f.sha256}`,
  ]);
  const volumes = record.volumes.map((v) => [
    "volume",
    `${v.name} (${v.file})`,
    formatBytes(v.bytes),
    `sha256:${v.sha256}`,
  ]);
  const head = facts.map(([key, value]) =>
    terminal ? `${key.padEnd(12)}${value}\n` : `${key}\t${value}\n`
  ).join("");
  context.out(
    head + (terminal ? "\n" : "") +
      formatTable([...files, ...volumes], {
        header: ["KIND", "PATH", "SIZE", "CHECKSUM"],
        terminal,
      }),
  );
  return 0;
}
