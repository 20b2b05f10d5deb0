/**
 * `leger backup list [deployment] [--scope …] [--json]`: the backups of a
 * scope, oldest first, with their id, deployment, time, size and type. When
 * there are none it says so on stderr, if stdout or stderr is a terminal
 * (`[]` with `--json`); a deployment leger does not know simply has none.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import { listBackups } from "../../../lib/backup/list_backups.ts";
import type { BackupRecord } from "../../../lib/backup/types.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";
import { versionLabel, versionOf } from "../../version_label.ts";

/** The options of `leger backup list`. */
export interface BackupListOptions {
  /** Only this deployment's backups. */
  deployment?: string;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** A backup as `leger backup list --json` shows it. */
export interface ListedBackup {
  id: string;
  deployment: string;
  scope: Scope;
  /** RFC 3339. */
  created_at: string;
  type: BackupRecord["type"];
  size_bytes: number;
  /** The volumes it holds. */
  volumes: string[];
  /** Copied with the services running. */
  live: boolean;
  /** The deployment's version when backed up, or `null`. */
  version: string | null;
  source: SourceInfo;
}

/** Reads the command line of `leger backup list`. */
export function parse(line: CommandLine): BackupListOptions {
  return {
    deployment: line.args[0],
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger backup list`. */
export async function run(
  options: BackupListOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const backups = await listBackups({
    scope,
    home: context.home,
    env: context.env,
    progress: (line) => context.err(`${line}\n`),
  }, options.deployment);
  if (options.json) {
    const listed: ListedBackup[] = backups.map((b) => ({
      id: b.id,
      deployment: b.deployment,
      scope: b.scope,
      created_at: b.created_at,
      type: b.type,
      size_bytes: b.size_bytes,
      volumes: b.volumes.map((v) => v.name),
      live: b.live,
      version: versionOf(b.source),
      source: b.source,
    }));
    context.out(JSON.stringify(listed, null, 2) + "\n");
    return 0;
  }
  // Said to a person: stdout or stderr on a terminal (`leger backup list |
  // wc -l` too); a script with neither gets an empty stdout.
  if (
    backups.length === 0 &&
    (context.stdoutIsTerminal || context.stderrIsTerminal)
  ) {
    const of = options.deployment === undefined
      ? ""
      : ` of "${options.deployment}"`;
    context.err(
      `No backups${of} in the ${scope} scope. Take one with \`leger backup create NAME\`.\n`,
    );
    return 0;
  }
  context.out(formatTable(
    backups.map((b) => [
      b.id,
      b.deployment,
      b.created_at,
      formatBytes(b.size_bytes),
      b.type,
      versionLabel(b.source),
    ]),
    {
      header: ["ID", "DEPLOYMENT", "CREATED", "SIZE", "TYPE", "VERSION"],
      terminal: context.stdoutIsTerminal,
    },
  ));
  return 0;
}
