/**
 * `leger deploy update [deployment] --dry-run [--json]`: fetches a deployment
 * again from the source recorded when it was installed or last staged,
 * stages it, and shows what applying it would change. Applying comes with
 * the update work (see the project's issues); until then the command refuses
 * to run without `--dry-run`.
 *
 * @module
 */
import { LegerError } from "../../../lib/errors/mod.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import { resolveSource } from "../../../lib/deploy/resolve_source.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { stageDeployment } from "../../../lib/deploy/stage_deployment.ts";
import { readDeploymentState } from "../../../lib/state/read_deployment_state.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { readDeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption, timeoutOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { whileFetching } from "../../while_fetching.ts";
import { diffDocument, renderDiff } from "../diff.ts";

/** The options of `leger deploy update`. */
export interface UpdateOptions {
  /** The deployment named, or `undefined` for the only one there is. */
  deployment?: string;
  /** Stage and show the diff without applying it (the only mode for now). */
  dryRun: boolean;
  /** `--timeout` in milliseconds: the limit of fetching a Git or leger.run source. */
  timeoutMs?: number;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger deploy update`. */
export function parse(line: CommandLine): UpdateOptions {
  return {
    deployment: line.args[0],
    dryRun: flag(line, "dryRun"),
    timeoutMs: timeoutOption(line),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger deploy update`. */
export async function run(
  options: UpdateOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const named = options.deployment;
  if (!options.dryRun) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot apply updates yet: this version of leger only stages them",
      {
        remedy: `Run \`leger deploy update ${named ?? ""}${
          named ? " " : ""
        }--dry-run\` to stage the update and see the diff`,
      },
    );
  }
  const scope = resolveScope(options.scope, context);
  const state = await readDeploymentState(named, {
    scope,
    pathEnv: context,
    need: "any",
  });
  const recorded = (state.active ?? state.staged)!.record.source;
  context.err(`Fetching "${state.name}" from ${recorded.location}…\n`);
  // A Git source records the URL as given, which already names its ref and path.
  const deployment = await whileFetching(
    deps,
    (signal) =>
      resolveSource(recorded.location, deployContextOf(deps, scope), {
        // A leger.run install made by release name follows that release.
        release: recorded.type === "leger.run" ? recorded.ref : undefined,
        // An update is of this deployment, whatever name its source gives it now.
        name: state.name,
        timeoutMs: options.timeoutMs,
        signal,
      }),
  );
  const { workDir } = legerPaths(scope, context);
  // Staging writes leger's working folder, which installs and removes tidy
  // under the lock: take it for the write (not for the fetch).
  await using _lock = await lockScope(deployContextOf(deps, scope), {
    wait: true,
  });
  await stageDeployment(deployment, {
    dir: `${workDir}/staged/${state.name}`,
    now: deps.now(),
  });
  const staged =
    (await readDeploymentFolder(`${workDir}/staged/${state.name}`))!;
  const document = diffDocument(state.name, state.active, staged);
  context.out(
    options.json
      ? JSON.stringify(document, null, 2) + "\n"
      : renderDiff(document),
  );
  if (!options.json) context.err("Staged; nothing was applied.\n");
  return 0;
}
