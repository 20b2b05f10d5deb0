/**
 * `leger deploy remove <deployment> [--keep-volumes | --remove-volumes]
 * [--backup-volumes] [--yes] [--wait] [--scope …] [--json]`: confirmation
 * and presentation around `removeDeployment` of `lib/deploy`. Files leger
 * did not install are never touched; volumes stay unless `--remove-volumes`.
 * `--backup-volumes` first takes a backup (`createBackup` of `lib/backup`,
 * manual) and prints its id; the services stopped for it stay stopped for
 * the removal. When it fails, they run again and nothing is removed.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { createBackup } from "../../../lib/backup/create_backup.ts";
import { formatBytes } from "../../../lib/backup/format_bytes.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { rebuildRecord } from "../../../lib/deploy/rebuild_record.ts";
import { removeDeployment } from "../../../lib/deploy/remove_deployment.ts";
import { checkScopeIsMine, resolveScope } from "../../../lib/deploy/scope.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import { chooseDeployment } from "../../../lib/state/choose_deployment.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { abortOnSignals } from "../../abort_on_signals.ts";
import { confirm } from "../../confirm.ts";
import { count } from "../../count.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { versionOf } from "../../version_label.ts";

/** The options of `leger deploy remove`. */
export interface RemoveOptions {
  /** The deployment's name. */
  deployment: string;
  /** Remove its volumes too. */
  removeVolumes: boolean;
  /** Back it up (volumes included) before removing it. */
  backupVolumes: boolean;
  /** Remove what leger kept of a deployment whose record is missing or damaged. */
  force: boolean;
  /** Do not ask. */
  yes: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document: what was removed and what was kept. */
  json: boolean;
}

/** What `leger deploy remove --json` prints once the deployment is gone. */
export interface RemoveDocument {
  /** The deployment's name. */
  deployment: string;
  /** The scope it was removed from. */
  scope: Scope;
  /** The version removed, or `null` when its source gave none. */
  version: string | null;
  /** Where its files had come from. */
  source: SourceInfo;
  /** The quadlet units removed. */
  removed_units: string[];
  /** Every file removed from the quadlet folder (units, drop-ins, config files). */
  removed_files: string[];
  /** The services stopped (instances of its templates went too). */
  stopped_services: string[];
  /** The Podman networks removed. */
  removed_networks: string[];
  /** The Podman volumes removed (`--remove-volumes`). */
  removed_volumes: string[];
  /** The Podman volumes kept, with their data (the default). */
  kept_volumes: string[];
  /** The backup taken first (`--backup-volumes`), or `null`. */
  backup: { id: string; size_bytes: number } | null;
}

/**
 * Reads the command line of `leger deploy remove`.
 *
 * @throws {LegerError} `ERR_USAGE` for both `--keep-volumes` and `--remove-volumes`.
 */
export function parse(line: CommandLine): RemoveOptions {
  if (flag(line, "keepVolumes") && flag(line, "removeVolumes")) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot both keep and remove the volumes",
      {
        remedy: "Pass one of --keep-volumes (the default) and --remove-volumes",
      },
    );
  }
  return {
    deployment: line.args[0],
    removeVolumes: flag(line, "removeVolumes"),
    backupVolumes: flag(line, "backupVolumes"),
    force: flag(line, "force"),
    yes: flag(line, "yes"),
    wait: flag(line, "wait"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger deploy remove`. */
export async function run(
  options: RemoveOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  checkScopeIsMine(scope, context);
  const pipeline = deployContextOf(deps, scope);
  await using _lock = await lockScope(pipeline, { wait: options.wait });
  const installed = await readDeployments(
    legerPaths(scope, context).stateDir,
  );
  let deployment = installed.find((d) => d.name === options.deployment) ??
    (options.force ? await rebuildRecord(options.deployment, pipeline) : null);
  if (deployment === null && !options.force) {
    // Not recorded, but leger kept a copy of it: --force removes it.
    const kept = await rebuildRecord(options.deployment, pipeline);
    if (kept !== null) {
      throw new LegerError(
        "ERR_DEPLOYMENT_NOT_FOUND",
        `Cannot find "${options.deployment}" in leger's record of installed deployments, though leger still has a copy of it`,
        {
          remedy:
            `Run \`leger deploy remove ${options.deployment} --force\` to remove what that copy names`,
        },
      );
    }
  }
  if (deployment === null) {
    // Throws ERR_DEPLOYMENT_NOT_FOUND naming the deployments there are,
    // unless the name is one of them after all.
    const name = chooseDeployment(
      options.deployment,
      installed.map((d) => d.name),
      "installed",
      { scope },
    );
    deployment = installed.find((d) => d.name === name)!;
  }
  const { name } = deployment;
  if (!options.yes) {
    const what = options.removeVolumes ? " and its volumes" : "";
    const question = `Remove "${name}"${what} (${
      count(deployment.units.length, "unit")
    })?`;
    if (!await confirm(question, { context, yesFlag: "--yes" })) {
      context.err("Nothing was removed.\n");
      return 1;
    }
  }
  // Nothing is removed until the backup is kept: a signal stops the backup.
  const backup = options.backupVolumes
    ? await backUp(name, pipeline, deps)
    : null;
  // A removal half done is worth finishing, not undoing: a signal only says so.
  using _signals = abortOnSignals(deps, { doing: "finishing the removal" });
  const { keptVolumes } = await removeDeployment(deployment, pipeline, {
    removeVolumes: options.removeVolumes,
  });
  if (options.json) {
    const document: RemoveDocument = {
      deployment: name,
      scope,
      version: versionOf(deployment.source),
      source: deployment.source,
      removed_units: deployment.units,
      removed_files: deployment.files.map((f) => f.name),
      stopped_services: deployment.unit_services ?? deployment.services,
      removed_networks: deployment.networks ?? [],
      removed_volumes: deployment.volumes.filter((v) =>
        !keptVolumes.includes(v)
      ),
      kept_volumes: keptVolumes,
      backup: backup === null
        ? null
        : { id: backup.id, size_bytes: backup.size_bytes },
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  const notes = [
    ...(backup === null ? [] : [`backed up as ${backup.id}`]),
    ...(keptVolumes.length > 0
      ? [
        `kept the ${keptVolumes.length === 1 ? "volume" : "volumes"} ${
          keptVolumes.join(", ")
        }; \`podman volume rm\` removes ${
          keptVolumes.length === 1 ? "it" : "them"
        }`,
      ]
      : []),
  ];
  const kept = notes.length > 0 ? ` (${notes.join("; ")})` : "";
  context.out(
    `${context.stdoutIsTerminal ? "✓ " : ""}Removed ${name}${kept}\n`,
  );
  return 0;
}

/** Takes the backup of `--backup-volumes`, which a signal stops (nothing is then removed). */
async function backUp(
  name: string,
  pipeline: ReturnType<typeof deployContextOf>,
  deps: CommandDeps,
) {
  using signals = abortOnSignals(deps, { doing: "stopping the backup" });
  const backup = await createBackup(pipeline, name, {
    type: "manual",
    // The removal stops them next; a backup that fails starts them again.
    startAgain: false,
    signal: signals.signal,
  });
  deps.context.err(
    `Backed up ${name} as ${backup.id} (${
      formatBytes(backup.size_bytes)
    }): \`leger backup restore ${backup.id}\` brings it back\n`,
  );
  return backup;
}
