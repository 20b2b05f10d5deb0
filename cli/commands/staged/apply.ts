/**
 * `leger staged apply [deployment] [--no-backup] [--no-pull] [--force]
 * [--yes] [--wait] [--scope …] [--json]`: applies a staged update exactly as
 * `leger deploy update` applies a fetched one — checked as an install is,
 * backed up, only what changed restarted, rolled back on any failure — from
 * the staged copy, without fetching anything. A staged deployment that is
 * not installed is installed. When it fails, the staged copy stays (the
 * error says how to drop it).
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { readStagedDeployment } from "../../../lib/deploy/read_staged_deployment.ts";
import { checkScopeIsMine, resolveScope } from "../../../lib/deploy/scope.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { readDeploymentState } from "../../../lib/state/read_deployment_state.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { automaticBackups } from "../shared/automatic_backups.ts";
import { printUpdate } from "../shared/print_update.ts";
import { updateFlow } from "../shared/update_flow.ts";

/** The options of `leger staged apply`. */
export interface ApplyOptions {
  /** The deployment whose staged update to apply, or `undefined` for the only one staged. */
  deployment?: string;
  /** Take the automatic backup first (`--no-backup` clears it). */
  backup: boolean;
  /** Pull the images of the changed and added units first (`--no-pull` clears it). */
  pull: boolean;
  /** Apply despite conflicts with the host. */
  force: boolean;
  /** Do not ask. */
  yes: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger staged apply`. */
export function parse(line: CommandLine): ApplyOptions {
  return {
    deployment: line.args[0],
    backup: line.options.backup !== false,
    pull: line.options.pull !== false,
    force: flag(line, "force"),
    yes: flag(line, "yes"),
    wait: flag(line, "wait"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger staged apply`. */
export async function run(
  options: ApplyOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  checkScopeIsMine(scope, context);
  const { name } = await readDeploymentState(options.deployment, {
    scope,
    pathEnv: context,
    need: "staged",
  });
  const dir = `${legerPaths(scope, context).workDir}/staged/${name}`;
  const { document, error } = await updateFlow(
    name,
    async () => {
      const staged = await readStagedDeployment(dir);
      if (staged === null) {
        // Discarded by another leger since it was listed.
        throw new LegerError(
          "ERR_DEPLOYMENT_NOT_FOUND",
          `Cannot apply the staged update of "${name}": it was discarded`,
          { remedy: `Stage it again with \`leger staged stage ${name}\`` },
        );
      }
      return staged;
    },
    {
      scope,
      dryRun: false,
      stage: false,
      backup: await automaticBackups(options, { scope, context }),
      pull: options.pull,
      force: options.force,
      yes: options.yes,
      wait: options.wait,
      trigger: "manual",
      // Loaded only when a backup is taken (lib/backup is not small).
      autoBackup: async (context, name, signal) =>
        (await import("../shared/auto_backup.ts")).autoBackup(
          context,
          name,
          signal,
        ),
    },
    deps,
  );
  if (error !== null) throw error;
  return printUpdate(document, { json: options.json, context });
}
