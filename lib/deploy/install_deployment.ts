import { hostOps } from "../adapters/host_ops.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { applyDeployment } from "./apply_deployment.ts";
import { type DeployContext, pathsOf } from "./context.ts";
import type { PreparedInstall } from "./prepare_install.ts";
import { recordDeployment } from "./record_deployment.ts";
import { stageDeployment } from "./stage_deployment.ts";
import { servicesToStart } from "./unit_roles.ts";

/** Options for {@linkcode installDeployment}. */
export interface InstallDeploymentOptions {
  /**
   * Start the services after installing the units.
   *
   * @default {true}
   */
  start?: boolean;
  /**
   * Aborted on Ctrl-C (or any reason to stop): the change is undone.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** What {@linkcode installDeployment} did. */
export interface InstallResult {
  /** The services started. */
  started: string[];
  /** Services left stopped until their secrets exist in Podman. */
  waitingForSecrets: string[];
}

/**
 * Stages 6 to 8 of an install, after {@linkcode checkInstallable} and the
 * user's confirmation: stages the files, applies them (install the units the
 * native Podman way, start the services, undo everything when any step
 * fails), and records the deployment.
 *
 * Requires `--allow-read`, `--allow-write` for leger's and Podman's folders
 * and `--allow-run=podman,systemctl,journalctl`.
 *
 * @param prepared What {@linkcode prepareInstall} decided.
 * @param context The scope, its folders, the runner and host facts.
 * @param options Whether to start, and the signal that undoes.
 * @returns The services started and those waiting for secrets.
 * @throws {LegerError} `ERR_PODMAN_INSTALL_FAILED`,
 * `ERR_SERVICE_START_FAILED` or `ERR_INTERRUPTED`, after undoing the change;
 * what `detectSupport` throws when the host cannot run quadlets.
 *
 * @example Usage
 * ```ts ignore
 * import { installDeployment } from "./install_deployment.ts";
 * await installDeployment(prepared, context, { start: true, signal });
 * ```
 */
export async function installDeployment(
  prepared: PreparedInstall,
  context: DeployContext,
  options: InstallDeploymentOptions = {},
): Promise<InstallResult> {
  const { start = true, signal } = options;
  const { deployment, installed, previous, missingSecrets } = prepared;
  const units = prepared.units.map((u) => u.quadlet);
  const paths = pathsOf(context);
  const support = await context.detectSupport();
  const ops = hostOps({
    scope: context.scope,
    quadletDir: paths.quadletDir,
    runner: context.runner,
    ...support,
  });
  const record = await stageDeployment(deployment, {
    workDir: paths.workDir,
    now: context.now(),
  });
  const services = servicesToStart(units);
  const resources = resourcesOf(units);
  // A container whose secret is not in Podman yet cannot start: install it,
  // and leave its start to legerd when the secret arrives.
  const waiting = units.filter((u) =>
    u.secrets.some((s) => missingSecrets.includes(s.name))
  ).map((u) => u.serviceName);
  const startNow = services.filter((service) => !waiting.includes(service));
  if (start && waiting.length > 0) {
    context.progress(
      `Not starting ${waiting.join(", ")} until their secrets exist`,
    );
  }
  const running = previous === null
    ? []
    : (await ops.states(previous.services)).filter((s) =>
      s.activeState === "active"
    ).map((s) => s.id);
  await applyDeployment(
    {
      dir: `${paths.workDir}/staged/${deployment.name}`,
      files: record.files.map((f) => f.name),
      services: startNow,
      ...resources,
    },
    previous === null ? null : {
      dir: `${paths.workDir}/active/${deployment.name}`,
      files: previous.files.map((f) => f.name),
      services: previous.services,
      unitServices: previous.unit_services ?? previous.services,
      volumes: previous.volumes,
      networks: previous.networks ?? [],
      running,
    },
    ops,
    {
      start,
      existing: {
        volumes: new Set(prepared.host.volumes),
        networks: new Set(prepared.host.networks ?? []),
      },
      signal,
      progress: (line) => context.progress(`${line}…`),
    },
  );
  await recordDeployment(deployment, {
    scope: context.scope,
    paths,
    record,
    services,
    ...resources,
    units: units.map((u) => u.file),
    installed,
    now: context.now(),
  });
  return { started: start ? startNow : [], waitingForSecrets: waiting };
}

/** The services of all units, and the volumes and networks they create. */
function resourcesOf(units: readonly QuadletUnit[]) {
  const named = (kind: string) =>
    units.filter((u) => u.kind === kind && u.resourceName !== null).map((u) =>
      u.resourceName!
    );
  return {
    unitServices: units.filter((u) => !u.template).map((u) => u.serviceName),
    volumes: named("volume"),
    networks: named("network"),
  };
}
