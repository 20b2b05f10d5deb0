import type { DeploymentPlan } from "../../../lib/deploy/plan_types.ts";
import type { CliContext } from "../../context.ts";

/**
 * Prints a plan as one JSON document (`--json`) or as `render` draws it, and
 * returns the exit code: 0 when the plan is valid and conflict-free, else 1.
 *
 * @example Usage
 * ```ts ignore
 * import { printPlan } from "./print_plan.ts";
 * return printPlan(plan, { json: true, context, render: () => "" });
 * ```
 */
export function printPlan(
  plan: DeploymentPlan,
  options: {
    json: boolean;
    context: CliContext;
    render: (plan: DeploymentPlan) => string;
  },
): number {
  const { json, context, render } = options;
  context.out(json ? JSON.stringify(plan, null, 2) + "\n" : render(plan));
  return plan.valid && plan.conflicts.length === 0 ? 0 : 1;
}
