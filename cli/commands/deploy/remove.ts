/**
 * `leger deploy remove <deployment> [--keep-volumes | --remove-volumes]
 * [--yes]`: stop a deployment's services, remove its units (`podman quadlet
 * rm`, or the files for Podman < 5.6) and its record. Files leger did not
 * install are never touched; volumes stay unless `--remove-volumes`.
 *
 * @module
 */
import { detectQuadletSupport } from "../../../lib/adapters/quadlet_support.ts";
import { hostOps } from "../../../lib/deploy/host_ops.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import {
  readDeployments,
  writeDeployments,
} from "../../../lib/state/deployments_file.ts";
import { setKeptVolumes } from "../../../lib/state/kept_volumes.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import { writeFileAtomic } from "../../../lib/state/write_file_atomic.ts";
import { confirm } from "../../confirm.ts";
import type { CliContext } from "../../context.ts";
import { chooseDeployment } from "../shared/choose_deployment.ts";
import { holdDeployLock } from "../shared/deploy_lock.ts";
import { checkScopeIsMine, resolveScope } from "../shared/scope.ts";

/** Runs `leger deploy remove`. */
export async function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  if (options.keepVolumes === true && options.removeVolumes === true) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot both keep and remove the volumes",
      {
        remedy: "Pass one of --keep-volumes (the default) and --remove-volumes",
      },
    );
  }
  const scope = resolveScope(options.scope, context);
  checkScopeIsMine(scope, context);
  await using _lock = await holdDeployLock(scope, {
    context,
    wait: options.wait === true,
  });
  const paths = legerPaths(scope, context);
  const installed = await readDeployments(paths.stateDir);
  const name = chooseDeployment(
    args[0],
    installed.map((d) => d.name),
    "installed",
  );
  const deployment = installed.find((d) => d.name === name)!;
  const removeVolumes = options.removeVolumes === true;
  if (options.yes !== true) {
    const what = removeVolumes ? " and its volumes" : "";
    if (
      !await confirm(
        `Remove "${name}"${what} (${deployment.units.length} units)?`,
        { context, yesFlag: "--yes" },
      )
    ) {
      context.err("Nothing was removed.\n");
      return 1;
    }
  }
  const support = await detectQuadletSupport({
    forceFallback: context.env("LEGER_FORCE_QUADLET_FALLBACK") === "1",
  });
  const ops = hostOps({ scope, quadletDir: paths.quadletDir, ...support });
  const unitServices = deployment.unit_services ?? deployment.services;
  context.err(`Stopping ${unitServices.join(", ") || "nothing"}…\n`);
  await ops.stop(unitServices);
  context.err("Removing the units…\n");
  await ops.removeFiles(deployment.files.map((f) => f.name));
  await ops.resetFailed(unitServices);
  // Networks hold no data: they go with the deployment, or a new install of
  // it would find them taken.
  await ops.removeNetworks(deployment.networks ?? []);
  if (removeVolumes && deployment.volumes.length > 0) {
    context.err(`Removing the volumes ${deployment.volumes.join(", ")}…\n`);
    await ops.removeVolumes(deployment.volumes);
  }
  await writeDeployments(
    paths.stateDir,
    installed.filter((d) => d.name !== name),
  );
  await setKeptVolumes(
    paths.stateDir,
    name,
    removeVolumes ? [] : deployment.volumes,
  );
  await forgetManifest(paths.stateDir, name);
  await Deno.remove(`${paths.workDir}/active/${name}`, { recursive: true })
    .catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  const kept = !removeVolumes && deployment.volumes.length > 0
    ? ` (kept the volumes ${
      deployment.volumes.join(", ")
    }; \`podman volume rm\` removes them)`
    : "";
  context.out(
    `${context.stdoutIsTerminal ? "✓ " : ""}Removed ${name}${kept}\n`,
  );
  return 0;
}

async function forgetManifest(stateDir: string, name: string): Promise<void> {
  const path = `${stateDir}/manifest.json`;
  let document: { deployments?: Record<string, unknown> };
  try {
    document = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  delete document.deployments?.[name];
  await writeFileAtomic(
    path,
    new TextEncoder().encode(JSON.stringify(document, null, 2) + "\n"),
  );
}
