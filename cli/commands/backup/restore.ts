/**
 * `leger backup restore <id> [--yes] [--wait] [--scope …] [--json]`:
 * confirmation and presentation around `restoreBackup` of `lib/deploy`,
 * which checks every checksum first, then replaces the deployment's units
 * and its volumes' data, starts it and records it; any failure or signal
 * undoes it.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import { readBackup } from "../../../lib/backup/read_backup.ts";
import type { RestoreResult } from "../../../lib/backup/types.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { restoreBackup } from "../../../lib/deploy/restore_backup.ts";
import { checkScopeIsMine, resolveScope } from "../../../lib/deploy/scope.ts";
import { abortOnSignals } from "../../abort_on_signals.ts";
import { confirm } from "../../confirm.ts";
import { count } from "../../count.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";

/** The options of `leger backup restore`. */
export interface BackupRestoreOptions {
  /** The backup's id. */
  id: string;
  /** Do not ask. */
  yes: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** What `leger backup restore --json` prints. */
export interface RestoreDocument extends RestoreResult {
  /** The scope restored into. */
  scope: Scope;
}

/** Reads the command line of `leger backup restore`. */
export function parse(line: CommandLine): BackupRestoreOptions {
  return {
    id: line.args[0],
    yes: flag(line, "yes"),
    wait: flag(line, "wait"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger backup restore`. */
export async function run(
  options: BackupRestoreOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  checkScopeIsMine(scope, context);
  const pipeline = deployContextOf(deps, scope);
  await using _lock = await lockScope(pipeline, { wait: options.wait });
  const record = await readBackup(pipeline, options.id);
  if (!options.yes) {
    const volumes = record.volumes.length === 0
      ? ""
      : `; the data of ${
        record.volumes.map((v) => v.name).join(", ")
      } is replaced by the backup's (${
        formatBytes(
          record.volumes.reduce((n, v) => n + v.bytes, 0),
        )
      })`;
    const question =
      `Restore "${record.deployment}" as it was at ${record.created_at} (${
        count(record.files.length, "file")
      }${volumes})?`;
    if (!await confirm(question, { context, yesFlag: "--yes" })) {
      context.err("Nothing was restored.\n");
      return 1;
    }
  }
  // Says, once, what a signal does; restoreBackup then says nothing more of it.
  using signals = abortOnSignals(deps, { doing: "undoing the restore" });
  const result = await restoreBackup(pipeline, record.id, {
    signal: signals.signal,
    pause: deps.settlePause,
  });
  if (options.json) {
    const document: RestoreDocument = { ...result, scope };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  if (result.waiting_for_secrets.length > 0) {
    context.err(
      `Not started until the Podman secrets they use exist: ${
        result.waiting_for_secrets.join(", ")
      } (\`leger secrets list\` says which)\n`,
    );
  }
  context.out(
    `${
      context.stdoutIsTerminal ? "✓ " : ""
    }Restored ${result.deployment} from ${result.id}\n`,
  );
  return 0;
}
