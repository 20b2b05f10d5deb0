/**
 * `leger staged discard [deployment] [--wait] [--scope …] [--json]`: removes staged
 * updates (`staged/<name>/`) — one deployment's, or all of them. What is
 * installed is not touched.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { chooseDeployment } from "../../../lib/state/choose_deployment.ts";
import { listDeploymentRecords } from "../../../lib/state/deployment_folder.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { versionOf } from "../../version_label.ts";

/** The options of `leger staged discard`. */
export interface DiscardOptions {
  /** The deployment whose staged update goes; every one when absent. */
  deployment?: string;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document: what was discarded. */
  json: boolean;
}

/** What `leger staged discard --json` prints. */
export interface DiscardDocument {
  /** The scope. */
  scope: Scope;
  /** The staged updates removed (none when there were none). */
  discarded: {
    deployment: string;
    /** The staged version, or `null` when its source gave none. */
    version: string | null;
    source: SourceInfo;
    fetched_at: string;
  }[];
}

/** Reads the command line of `leger staged discard`. */
export function parse(line: CommandLine): DiscardOptions {
  return {
    deployment: line.args[0],
    wait: flag(line, "wait"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger staged discard`. */
export async function run(
  options: DiscardOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  await using _lock = await lockScope(deployContextOf(deps, scope), {
    wait: options.wait,
  });
  const { workDir } = legerPaths(scope, context);
  const records = await listDeploymentRecords(`${workDir}/staged`);
  const staged = records.map((r) => r.deployment);
  const names = options.deployment === undefined
    ? staged
    : [chooseDeployment(options.deployment, staged, "staged", { scope })];
  for (const name of names) {
    await Deno.remove(`${workDir}/staged/${name}`, { recursive: true });
    if (!options.json) {
      context.out(`Discarded the staged update of ${name}\n`);
    }
  }
  if (names.length === 0) context.err("No staged updates to discard.\n");
  if (options.json) {
    const document: DiscardDocument = {
      scope,
      discarded: records.filter((r) => names.includes(r.deployment)).map((
        r,
      ) => ({
        deployment: r.deployment,
        version: versionOf(r.source),
        source: r.source,
        fetched_at: r.fetched_at,
      })),
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
  }
  return 0;
}
