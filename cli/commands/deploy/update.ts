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
import { stageDeployment } from "../../../lib/state/stage_deployment.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { readDeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import type { CliContext } from "../../context.ts";
import { diffDocument, renderDiff } from "../diff.ts";
import { fetchDeployment } from "../shared/fetch_deployment.ts";
import { readDeploymentState } from "../shared/read_deployment_state.ts";
import { resolveScope } from "../shared/scope.ts";

/** Runs `leger deploy update`. */
export async function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  if (options.dryRun !== true) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot apply updates yet: this version of leger only stages them",
      {
        remedy: `Run \`leger deploy update ${args[0] ?? ""}${
          args[0] ? " " : ""
        }--dry-run\` to stage the update and see the diff`,
      },
    );
  }
  const scope = resolveScope(options.scope, context);
  const state = await readDeploymentState(args[0], {
    scope,
    context,
    need: "any",
  });
  const recorded = (state.active ?? state.staged)!.record.source;
  context.err(`Fetching "${state.name}" from ${recorded.location}…\n`);
  // A Git source records the URL as given, which already names its ref and path.
  const deployment = await fetchDeployment(recorded.location, {
    // A leger.run install made by release name follows that release.
    release: recorded.type === "leger.run" ? recorded.ref : undefined,
    context,
  });
  // An update is of this deployment, whatever name its source gives it now.
  deployment.name = state.name;
  const { workDir } = legerPaths(scope, context);
  await stageDeployment(deployment, { workDir, now: new Date() });
  const staged =
    (await readDeploymentFolder(`${workDir}/staged/${state.name}`))!;
  const document = diffDocument(state.name, state.active, staged);
  context.out(
    options.json === true
      ? JSON.stringify(document, null, 2) + "\n"
      : renderDiff(document),
  );
  if (options.json !== true) context.err("Staged; nothing was applied.\n");
  return 0;
}
