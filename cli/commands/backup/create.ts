/**
 * `leger backup create [deployment] [--live] [--no-volumes] [--wait]
 * [--scope …] [--json]`: takes a manual backup of an installed deployment
 * (`createBackup` of `lib/backup`) under the deploy lock, and prints its id
 * and size. SIGINT, SIGTERM and SIGHUP stop it: nothing is kept and the
 * services stopped for it start again.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { createBackup } from "../../../lib/backup/create_backup.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { checkScopeIsMine, resolveScope } from "../../../lib/deploy/scope.ts";
import { chooseDeployment } from "../../../lib/state/choose_deployment.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { abortOnSignals } from "../../abort_on_signals.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";

/** The options of `leger backup create`. */
export interface BackupCreateOptions {
  /** The deployment; the only one installed when absent. */
  deployment?: string;
  /** Copy the volumes with the services running. */
  live: boolean;
  /** Export the volumes (`--no-volumes` clears it). */
  volumes: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print the backup's record as one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger backup create`. */
export function parse(line: CommandLine): BackupCreateOptions {
  return {
    deployment: line.args[0],
    live: flag(line, "live"),
    volumes: line.options.volumes !== false,
    wait: flag(line, "wait"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger backup create`. */
export async function run(
  options: BackupCreateOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  checkScopeIsMine(scope, context);
  const pipeline = deployContextOf(deps, scope);
  await using _lock = await lockScope(pipeline, { wait: options.wait });
  const installed = await readDeployments(legerPaths(scope, context).stateDir);
  const name = chooseDeployment(
    options.deployment,
    installed.map((d) => d.name),
    "installed",
    { scope },
  );
  using signals = abortOnSignals(deps, { doing: "stopping the backup" });
  const record = await createBackup(pipeline, name, {
    type: "manual",
    live: options.live,
    volumes: options.volumes,
    signal: signals.signal,
  });
  const size = formatBytes(record.size_bytes);
  context.out(
    options.json
      ? JSON.stringify(record, null, 2) + "\n"
      : context.stdoutIsTerminal
      ? `✓ Backed up ${name}: ${record.id} (${size})\n`
      : `${record.id}\t${size}\n`,
  );
  return 0;
}
