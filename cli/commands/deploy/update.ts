/**
 * `leger deploy update [deployment] [--all] [--source …] [--version …]
 * [--no-backup] [--no-pull] [--dry-run] [--force] [--yes] [--wait]
 * [--timeout …] [--scope …] [--json]`: fetches a deployment again from the
 * source recorded when it was installed (or a new `--source`, or with
 * `--version` another version of a leger.run source), plans it as an install
 * does, and applies only what changed — the changed units restarted, the
 * added ones started, the dropped ones stopped and removed, the rest left
 * running — after an automatic backup, rolling back on any failure. `--all`
 * updates every deployment of the scope, one after the other, each on its
 * own, and ends with a line that sums them up.
 * `LEGER_UPDATE_TRIGGER=timer` marks a run of the update timer.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { resolveSource } from "../../../lib/deploy/resolve_source.ts";
import { checkScopeIsMine, resolveScope } from "../../../lib/deploy/scope.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { readDeploymentState } from "../../../lib/state/read_deployment_state.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption, text, timeoutOption } from "../../options.ts";
import { printError } from "../../print_error.ts";
import type { CommandLine } from "../../spec.ts";
import { checkVersionApplies } from "../shared/check_version_applies.ts";
import { automaticBackups } from "../shared/automatic_backups.ts";
import { printUpdate } from "../shared/print_update.ts";
import { recordAutoUpdate } from "../shared/record_auto_update.ts";
import {
  type UpdateDocument,
  updateFlow,
  type UpdateFlowOptions,
} from "../shared/update_flow.ts";

/** The options of `leger deploy update`. */
export interface UpdateOptions {
  /** The deployment named, or `undefined` for the only one there is. */
  deployment?: string;
  /** Every deployment of the scope, one after the other. */
  all: boolean;
  /** A new source, in place of the recorded one. */
  source?: string;
  /**
   * A version of the user's leger.run space (`latest`, `vN`): only for a
   * deployment installed from leger.run, or with `source`.
   */
  version?: string;
  /** Stage and show the change without applying it. */
  dryRun: boolean;
  /** Take the automatic backup first (`--no-backup` clears it). */
  backup: boolean;
  /** Pull the images of the changed and added units first (`--no-pull` clears it). */
  pull: boolean;
  /** Do not ask. */
  yes: boolean;
  /** Apply despite conflicts with the host. */
  force: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--timeout` in milliseconds: the limit of fetching a Git or leger.run source. */
  timeoutMs?: number;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger deploy update`. */
export function parse(line: CommandLine): UpdateOptions {
  const options: UpdateOptions = {
    deployment: line.args[0],
    all: flag(line, "all"),
    source: text(line, "source"),
    version: text(line, "version"),
    dryRun: flag(line, "dryRun"),
    backup: line.options.backup !== false,
    pull: line.options.pull !== false,
    yes: flag(line, "yes"),
    force: flag(line, "force"),
    wait: flag(line, "wait"),
    timeoutMs: timeoutOption(line),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
  if (options.all) {
    const clash = options.deployment !== undefined
      ? "a deployment's name"
      : options.source !== undefined
      ? "--source"
      : options.version !== undefined
      ? "--version"
      : undefined;
    if (clash !== undefined) {
      throw new LegerError(
        "ERR_USAGE",
        `Cannot use --all with ${clash}: --all updates every deployment from its own recorded source`,
        {
          remedy:
            "Drop --all to update one deployment, or drop the name, --source and --version",
        },
      );
    }
  }
  return options;
}

/** Runs `leger deploy update`. */
export async function run(
  options: UpdateOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  if (!options.dryRun) checkScopeIsMine(scope, context);
  const flowOptions: UpdateFlowOptions = {
    scope,
    dryRun: options.dryRun,
    stage: true,
    // Read before any work: a bad backups.keep stops the update here.
    backup: await automaticBackups(options, { scope, context }),
    pull: options.pull,
    yes: options.yes,
    force: options.force,
    wait: options.wait,
    trigger: context.env("LEGER_UPDATE_TRIGGER") === "timer"
      ? "timer"
      : "manual",
    // Loaded only when a backup is taken (lib/backup is not small).
    autoBackup: async (context, name, signal) =>
      (await import("../shared/auto_backup.ts")).autoBackup(
        context,
        name,
        signal,
      ),
  };
  const fetcher = (name: string, recorded: SourceInfo) => {
    const pipeline = deployContextOf(deps, scope);
    const fresh = options.source !== undefined ||
      options.version !== undefined;
    return (signal: AbortSignal) => {
      context.err(
        `Fetching "${name}" from ${
          fresh
            ? options.source ?? `your leger.run space (${options.version})`
            : recorded.location
        }…\n`,
      );
      return resolveSource(
        fresh ? options.source : recorded.location,
        pipeline,
        {
          version: options.version,
          // A leger.run install made by release name follows that release.
          release: !fresh && recorded.type === "leger.run"
            ? recorded.ref
            : undefined,
          // An update is of this deployment, whatever its source names it now.
          name,
          timeoutMs: options.timeoutMs,
          signal,
          pickVersion: `leger deploy update ${name} --version vN`,
        },
      );
    };
  };
  const { stateDir } = legerPaths(scope, context);
  if (!options.all) {
    const state = await readDeploymentState(options.deployment, {
      scope,
      pathEnv: context,
      need: "any",
    });
    const recorded = (state.active ?? state.staged)!.record.source;
    checkVersionApplies(state.name, recorded, options);
    const { document, error } = await updateFlow(
      state.name,
      fetcher(state.name, recorded),
      flowOptions,
      deps,
    );
    const recordCode = await recordAutoUpdate(document, { stateDir, context });
    if (error !== null) throw error;
    return Math.max(
      printUpdate(document, { json: options.json, context }),
      recordCode,
    );
  }
  const installed = await readDeployments(stateDir);
  if (installed.length === 0 && !options.json) {
    context.err(`No deployments are installed in the ${scope} scope.\n`);
  }
  const documents: UpdateDocument[] = [];
  let code = 0;
  for (const entry of installed) {
    const { document, error } = await updateFlow(
      entry.name,
      fetcher(entry.name, entry.source),
      flowOptions,
      deps,
    );
    documents.push(document);
    // A run of the update timer: one line for the journal, and the record.
    code = Math.max(
      code,
      await recordAutoUpdate(document, { stateDir, context }),
    );
    if (error !== null) {
      code = printError(error, context) === 130 ? 130 : 1;
      // A signal means: stop; the others are not started.
      if (code === 130) break;
    } else if (!options.json) {
      code = Math.max(code, printUpdate(document, { json: false, context }));
    }
  }
  if (options.json) {
    context.out(JSON.stringify(documents, null, 2) + "\n");
  } else if (installed.length > 0) {
    context.err(`${summary(documents, installed.length)}\n`);
  }
  return code;
}

/**
 * The last line of `--all` for a person: how many deployments, how each
 * ended, and the error code of each that failed
 * (`3 deployments: 1 updated, 1 up to date, 1 rolled back (bb: ERR_SERVICE_START_FAILED)`).
 */
function summary(documents: readonly UpdateDocument[], total: number): string {
  const groups: [string, (d: UpdateDocument) => boolean, boolean][] = [
    ["updated", (d) => d.outcome === "updated", false],
    ["up to date", (d) => d.outcome === "unchanged", false],
    ["staged", (d) => d.outcome === "staged", false],
    ["declined", (d) => d.declined, false],
    ["rolled back", (d) => !d.declined && d.outcome === "rolled-back", true],
    ["failed", (d) => !d.declined && d.outcome === "failed", true],
  ];
  const parts = groups.flatMap(([label, test, named]) => {
    const of = documents.filter(test);
    if (of.length === 0) return [];
    const which = named
      ? ` (${
        of.map((d) => `${d.deployment}: ${d.error?.code ?? "?"}`).join(", ")
      })`
      : "";
    return [`${of.length} ${label}${which}`];
  });
  if (documents.length < total) {
    parts.push(`${total - documents.length} not tried`);
  }
  return `${total} ${total === 1 ? "deployment" : "deployments"}: ${
    parts.join(", ")
  }`;
}
