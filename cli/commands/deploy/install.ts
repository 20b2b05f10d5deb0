/**
 * `leger deploy install [name] --source <folder> --dry-run [--json]`: reads,
 * validates and conflict-checks a deployment and prints the plan. Installing
 * for real comes with the install work (see the project's issues); until then
 * the command refuses to run without `--dry-run` rather than pretend.
 *
 * @module
 */
import { LegerError } from "../../../lib/errors/mod.ts";
import type { CliContext } from "../../context.ts";
import { renderPlan } from "../../render_plan.ts";
import { printPlan } from "../shared/print_plan.ts";
import { planSource } from "../shared/plan_source.ts";
import { resolveScope } from "../shared/scope.ts";

/** Runs `leger deploy install`. */
export async function run(
  _args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  if (typeof options.source !== "string") {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot install: no --source given",
      {
        remedy:
          "Name the deployment's folder: `leger deploy install --source ./my-app --dry-run` (leger.run and Git sources are not available yet)",
      },
    );
  }
  if (options.dryRun !== true) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot install for real yet: this version of leger only plans installs",
      {
        remedy:
          `Run \`leger deploy install --source ${options.source} --dry-run\` to see the plan`,
      },
    );
  }
  const { plan } = await planSource(options.source, {
    scope: resolveScope(options.scope, context),
    json: options.json === true,
    context,
  });
  const code = printPlan(plan, {
    json: options.json === true,
    context,
    render: (p) => renderPlan(p, { terminal: context.stdoutIsTerminal }),
  });
  if (options.json !== true) {
    context.err("Dry run: nothing was changed on this host.\n");
  }
  return code;
}
