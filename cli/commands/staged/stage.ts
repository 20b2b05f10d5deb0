/**
 * `leger staged stage <deployment> [--source …] [--version …] [--timeout …]
 * [--wait] [--scope …] [--json]`: fetches a deployment again (from the
 * source recorded when it was installed, or a new `--source`/`--version`)
 * and stages it as `staged/<name>/`, changing nothing installed. `leger
 * diff` shows it; `leger staged apply` checks and applies it.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { resolveSource } from "../../../lib/deploy/resolve_source.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { stageDeployment } from "../../../lib/deploy/stage_deployment.ts";
import {
  listDeploymentRecords,
  readDeploymentFolder,
} from "../../../lib/state/deployment_folder.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { readDeploymentState } from "../../../lib/state/read_deployment_state.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption, text, timeoutOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { whileFetching } from "../../while_fetching.ts";
import { diffDocument, renderDiff } from "../diff.ts";
import { checkVersionApplies } from "../shared/check_version_applies.ts";

/** The options of `leger staged stage`. */
export interface StageOptions {
  /** The deployment (installed, or named anew with `--source`). */
  deployment: string;
  /** A new source, in place of the recorded one. */
  source?: string;
  /**
   * A version of the user's leger.run space (`latest`, `vN`): for a new
   * deployment, or one whose source is leger.run (else with `source`).
   */
  version?: string;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--timeout` in milliseconds: the limit of fetching a Git or leger.run source. */
  timeoutMs?: number;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document: the diff of what was staged. */
  json: boolean;
}

/** Reads the command line of `leger staged stage`. */
export function parse(line: CommandLine): StageOptions {
  return {
    deployment: line.args[0],
    source: text(line, "source"),
    version: text(line, "version"),
    wait: flag(line, "wait"),
    timeoutMs: timeoutOption(line),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger staged stage`. */
export async function run(
  options: StageOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const pipeline = deployContextOf(deps, scope);
  const fresh = options.source !== undefined || options.version !== undefined;
  // Without a new source, the deployment is one leger knows (installed or
  // staged), fetched again from where it came from.
  const state = fresh ? null : await readDeploymentState(options.deployment, {
    scope,
    pathEnv: context,
    need: "any",
  });
  const name = state?.name ?? options.deployment;
  if (state === null && options.source === undefined) {
    // --version alone: of the leger.run space, which must be where a
    // deployment leger knows came from.
    const { workDir } = legerPaths(scope, context);
    const known = [
      ...await listDeploymentRecords(`${workDir}/active`),
      ...await listDeploymentRecords(`${workDir}/staged`),
    ].find((r) => r.deployment === name);
    if (known !== undefined) {
      checkVersionApplies(name, known.source, { ...options, action: "stage" });
    }
  }
  const recorded = state === null
    ? undefined
    : (state.active ?? state.staged)!.record.source;
  context.err(
    `Fetching "${name}" from ${
      recorded?.location ?? options.source ??
        `your leger.run space (${options.version})`
    }…\n`,
  );
  const deployment = await whileFetching(
    deps,
    (signal) =>
      resolveSource(recorded?.location ?? options.source, pipeline, {
        version: options.version,
        release: recorded?.type === "leger.run" ? recorded.ref : undefined,
        name,
        timeoutMs: options.timeoutMs,
        signal,
        pickVersion: `leger staged stage ${name} --version vN`,
      }),
  );
  const { workDir } = legerPaths(scope, context);
  // Staging writes leger's working folder, which installs and removes tidy
  // under the lock: take it for the write (not for the fetch).
  await using _lock = await lockScope(pipeline, { wait: options.wait });
  const dir = `${workDir}/staged/${name}`;
  await stageDeployment(deployment, { dir, now: deps.now() });
  const document = diffDocument(
    name,
    await readDeploymentFolder(`${workDir}/active/${name}`),
    (await readDeploymentFolder(dir))!,
  );
  context.out(
    options.json
      ? JSON.stringify(document, null, 2) + "\n"
      : renderDiff(document),
  );
  if (!options.json) {
    context.err(
      `Staged; nothing was applied. \`leger staged apply ${name}\` checks and applies it.\n`,
    );
  }
  return 0;
}
