/**
 * `leger config show [deployment] [--json]`: a deployment's name, version,
 * source, services, required secrets and volumes — the installed version, or
 * the staged one when it is not installed.
 *
 * @module
 */
import { discoverManifest } from "../../../lib/manifest/discover_manifest.ts";
import { buildPlan } from "../../../lib/deploy/build_plan.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { readDeploymentState } from "../../../lib/state/read_deployment_state.ts";
import { loadUnits } from "../../../lib/quadlet/load_units.ts";
import type { DeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import type { CommandDeps } from "../../deps.ts";
import { type DeploymentOptions, deploymentOptions } from "../../options.ts";
import { formatTable } from "../../table.ts";
import { versionOf } from "../../version_label.ts";

/** Reads the command line of `leger config show`. */
export const parse = deploymentOptions;

/** Runs `leger config show`. */
export async function run(
  options: DeploymentOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const state = await readDeploymentState(options.deployment, {
    scope,
    pathEnv: context,
    need: "any",
  });
  const folder = (state.active ?? state.staged)!;
  const document = describe(folder, {
    state: state.active === null ? "staged" : "active",
    quadletDir: legerPaths(scope, context).quadletDir,
  });
  if (options.json) {
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  context.out(
    [
      `Deployment: ${document.deployment} (${document.state})`,
      `Version:    ${document.version ?? "-"}`,
      `Source:     ${document.source.type} ${document.source.location}${
        document.source.ref ? ` (${document.source.ref})` : ""
      }`,
      `Fetched:    ${document.fetched_at}`,
      "",
      "Services:",
      formatTable(
        document.services.map((s) => [s.unit, s.service, s.image ?? "-"]),
        {
          header: ["UNIT", "SERVICE", "IMAGE"],
          terminal: context.stdoutIsTerminal,
          indent: 2,
        },
      ),
      `Secrets required: ${document.secrets_required.join(", ") || "none"}`,
      `Volumes: ${document.volumes.join(", ") || "none"}`,
      "",
    ].join("\n"),
  );
  return 0;
}

function describe(
  folder: DeploymentFolder,
  options: { state: "active" | "staged"; quadletDir: string },
) {
  const { record } = folder;
  const files = record.files.map((file) => ({
    path: file.name,
    sha256: file.sha256,
    bytes: folder.files.get(file.name)!,
  }));
  const { units } = loadUnits(files, { unitDir: options.quadletDir });
  const plan = buildPlan({
    name: record.deployment,
    source: record.source,
    files,
    manifest: discoverManifest(files.map((f) => f.path)),
  }, { scope: "user", units: units.map((u) => u.quadlet), findings: [] });
  return {
    deployment: record.deployment,
    state: options.state,
    version: versionOf(record.source),
    source: record.source,
    fetched_at: record.fetched_at,
    services: plan.services,
    secrets_required: plan.secrets_required,
    volumes: plan.volumes,
    networks: plan.networks,
  };
}
