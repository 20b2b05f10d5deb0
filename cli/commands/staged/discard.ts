/**
 * `leger staged discard [deployment] [--wait] [--scope …]`: removes staged
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
import { type CommandDeps, deployContextOf } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";

/** The options of `leger staged discard`. */
export interface DiscardOptions {
  /** The deployment whose staged update goes; every one when absent. */
  deployment?: string;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
}

/** Reads the command line of `leger staged discard`. */
export function parse(line: CommandLine): DiscardOptions {
  return {
    deployment: line.args[0],
    wait: flag(line, "wait"),
    scope: scopeOption(line),
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
  const staged = (await listDeploymentRecords(`${workDir}/staged`)).map((r) =>
    r.deployment
  );
  const names = options.deployment === undefined
    ? staged
    : [chooseDeployment(options.deployment, staged, "staged")];
  for (const name of names) {
    await Deno.remove(`${workDir}/staged/${name}`, { recursive: true });
    context.out(`Discarded the staged update of ${name}\n`);
  }
  if (names.length === 0) context.err("No staged updates to discard.\n");
  return 0;
}
