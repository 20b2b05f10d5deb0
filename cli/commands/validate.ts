/**
 * `leger validate <folder> [--json]`: checks a deployment folder without
 * changing anything and exits 0 only when it is valid and conflict-free.
 *
 * @module
 */
import type { Scope } from "../../lib/adapters/scope.ts";
import { planSource } from "../../lib/deploy/plan_source.ts";
import type { DeploymentPlan } from "../../lib/deploy/plan_types.ts";
import { resolveScope } from "../../lib/deploy/scope.ts";
import { count } from "../count.ts";
import type { CommandDeps } from "../deps.ts";
import { deployContextOf } from "../deploy_context_of.ts";
import { flag, scopeOption, timeoutOption } from "../options.ts";
import type { CommandLine } from "../spec.ts";
import { renderMissingSecrets, renderProblems } from "../render_plan.ts";
import { whileFetching } from "../while_fetching.ts";
import { printPlan } from "./shared/print_plan.ts";

/** The options of `leger validate`. */
export interface ValidateOptions {
  /** The deployment folder (or any source `--source` takes). */
  folder: string;
  /** `--timeout` in milliseconds: the limit of fetching a Git or leger.run source. */
  timeoutMs?: number;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger validate`. */
export function parse(line: CommandLine): ValidateOptions {
  return {
    folder: line.args[0],
    timeoutMs: timeoutOption(line),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger validate`. */
export async function run(
  options: ValidateOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const { plan } = await whileFetching(
    deps,
    (signal) =>
      planSource(options.folder, deployContextOf(deps, scope), {
        planUnreadable: options.json,
        timeoutMs: options.timeoutMs,
        signal,
      }),
  );
  return printPlan(plan, {
    json: options.json,
    context,
    render: renderValidation,
  });
}

function renderValidation(plan: DeploymentPlan): string {
  const units = plan.services.length;
  const verdict = plan.valid && plan.conflicts.length === 0
    ? `✓ "${plan.deployment}" is valid: ${
      count(units, "unit")
    }, no conflicts with this host`
    : `✗ "${plan.deployment}" is not ready to install: ${
      count(plan.errors.length, "error")
    }, ${count(plan.conflicts.length, "conflict")}`;
  return [
    ...renderMissingSecrets(plan.secrets_missing, { warnings: plan.warnings }),
    ...renderProblems("Conflicts", plan.conflicts),
    ...renderProblems("Errors", plan.errors),
    ...(plan.warnings.length ? renderProblems("Warnings", plan.warnings) : []),
    verdict,
    "",
  ].join("\n");
}
