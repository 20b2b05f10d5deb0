/**
 * `leger validate <folder> [--json]`: checks a deployment folder without
 * changing anything and exits 0 only when it is valid and conflict-free.
 *
 * @module
 */
import type { DeploymentPlan } from "../../lib/plan/types.ts";
import type { CliContext } from "../context.ts";
import { renderProblems } from "../render_plan.ts";
import { printPlan } from "./shared/print_plan.ts";
import { planSource } from "./shared/plan_source.ts";
import { resolveScope } from "./shared/scope.ts";

/** Runs `leger validate`. */
export async function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  const { plan } = await planSource(args[0], {
    scope: resolveScope(options.scope, context),
    json: options.json === true,
    context,
  });
  return printPlan(plan, {
    json: options.json === true,
    context,
    render: renderValidation,
  });
}

function renderValidation(plan: DeploymentPlan): string {
  const units = plan.services.length;
  const verdict = plan.valid && plan.conflicts.length === 0
    ? `✓ "${plan.deployment}" is valid: ${units} units, no conflicts with this host`
    : `✗ "${plan.deployment}" is not ready to install: ${plan.errors.length} errors, ${plan.conflicts.length} conflicts`;
  return [
    ...renderProblems("Conflicts", plan.conflicts),
    ...renderProblems("Errors", plan.errors),
    ...(plan.warnings.length ? renderProblems("Warnings", plan.warnings) : []),
    verdict,
    "",
  ].join("\n");
}
