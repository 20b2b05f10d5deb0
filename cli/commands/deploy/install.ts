/**
 * `leger deploy install [name] [--source …] [--no-start] [--dry-run] [--force]
 * [--yes] [--wait] [--scope …] [--json]`: fetch, verify, stage, validate and
 * conflict-check a deployment, install its units the native Podman way and
 * start them; roll everything back when any step fails.
 *
 * @module
 */
import { secretNames } from "../../../lib/adapters/podman_quadlet.ts";
import {
  detectQuadletSupport,
  type QuadletSupport,
} from "../../../lib/adapters/quadlet_support.ts";
import { applyDeployment } from "../../../lib/deploy/apply_deployment.ts";
import { hostOps } from "../../../lib/deploy/host_ops.ts";
import { servicesToStart } from "../../../lib/deploy/unit_roles.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import type { DeploymentPlan } from "../../../lib/plan/types.ts";
import type { QuadletUnit } from "../../../lib/quadlet/types.ts";
import type { LoadedDeployment } from "../../../lib/source/types.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../../../lib/state/deployments_file.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import { stageDeployment } from "../../../lib/state/stage_deployment.ts";
import { confirm } from "../../confirm.ts";
import type { CliContext } from "../../context.ts";
import { renderPlan } from "../../render_plan.ts";
import { printPlan } from "../shared/print_plan.ts";
import { planAgainstHost, planSource } from "../shared/plan_source.ts";
import { fetchDeployment } from "../shared/fetch_deployment.ts";
import { holdDeployLock } from "../shared/deploy_lock.ts";
import { checkScopeIsMine } from "../shared/scope.ts";
import { resolveScope } from "../shared/scope.ts";
import { saveInstalled } from "../shared/save_installed.ts";

/** Runs `leger deploy install`. */
export async function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  const scope = resolveScope(options.scope, context);
  const source = typeof options.source === "string"
    ? options.source
    : undefined;
  const version = typeof options.version === "string"
    ? options.version
    : undefined;
  // NAME names a release of the user's leger.run space, or with --source the
  // deployment itself.
  const release = source === undefined ? args[0] : undefined;
  const name = source === undefined ? undefined : args[0];
  if (options.dryRun === true) {
    const { plan } = await planSource(source, {
      scope,
      version,
      release,
      name,
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
  checkScopeIsMine(scope, context);
  await using _lock = await holdDeployLock(scope, {
    context,
    wait: options.wait === true,
  });
  const deployment = await fetchDeployment(source, {
    version,
    release,
    context,
  });
  if (name !== undefined) deployment.name = name;
  // Asked while planning runs; its answer (or refusal) matters after the prompt.
  const support = detectQuadletSupport({
    forceFallback: context.env("LEGER_FORCE_QUADLET_FALLBACK") === "1",
  });
  support.catch(() => {});
  // Read once, under the lock: nothing else changes it until we are done.
  const installed = await readDeployments(legerPaths(scope, context).stateDir);
  const previous = installed.find((d) => d.name === deployment.name) ?? null;
  const { plan, host, units } = await planAgainstHost(deployment, {
    scope,
    context,
    installed,
  });
  refuseInvalid(plan, { force: options.force === true, context });
  await refuseForeignFiles(deployment, { previous, scope, context });
  context.err(renderPlan(plan, { terminal: context.stdoutIsTerminal }));
  if (options.yes !== true) {
    const yes = await confirm(
      `Install "${deployment.name}" (${plan.services.length} units) in the ${scope} scope?`,
      {
        context,
        yesFlag: "--yes",
      },
    );
    if (!yes) {
      context.err("Nothing was installed.\n");
      return 1;
    }
  }
  const missingSecrets = await warnMissingSecrets(plan, context);
  await install(deployment, {
    scope,
    start: options.start !== false,
    missingSecrets,
    support: await support,
    units: units.map((u) => u.quadlet),
    installed,
    previous,
    existing: {
      volumes: new Set(host.volumes),
      networks: new Set(host.networks ?? []),
    },
    context,
  });
  context.out(
    `${context.stdoutIsTerminal ? "✓ " : ""}Installed ${deployment.name}\n`,
  );
  return 0;
}

/** Stages, applies (with rollback) and records the deployment. */
async function install(
  deployment: LoadedDeployment,
  options: {
    scope: Scope;
    start: boolean;
    missingSecrets: ReadonlySet<string>;
    support: QuadletSupport;
    /** The deployment's typed units, as planning loaded them. */
    units: readonly QuadletUnit[];
    /** `deployments.yaml`, and this deployment's entry in it. */
    installed: readonly InstalledDeployment[];
    previous: InstalledDeployment | null;
    /** The volumes and networks that exist before the install. */
    existing: { volumes: Set<string>; networks: Set<string> };
    context: CliContext;
  },
): Promise<void> {
  const { scope, start, missingSecrets, support, existing, context } = options;
  const { units, installed, previous } = options;
  const paths = legerPaths(scope, context);
  const ops = hostOps({ scope, quadletDir: paths.quadletDir, ...support });
  const record = await stageDeployment(deployment, {
    workDir: paths.workDir,
    now: new Date(),
  });
  const services = servicesToStart(units);
  const resources = resourcesOf(units);
  // A container whose secret is not in Podman yet cannot start: install it,
  // and leave its start to legerd when the secret arrives.
  const waiting = units.filter((u) =>
    u.secrets.some((s) => missingSecrets.has(s.name))
  ).map((u) => u.serviceName);
  const startNow = services.filter((service) => !waiting.includes(service));
  if (start && waiting.length > 0) {
    context.err(
      `Not starting ${waiting.join(", ")} until their secrets exist.\n`,
    );
  }
  const running = previous === null
    ? []
    : (await ops.states(previous.services)).filter((s) =>
      s.activeState === "active"
    ).map((s) => s.id);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
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
        existing,
        signal: controller.signal,
        progress: (line) => context.err(`${line}…\n`),
      },
    );
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  await saveInstalled(deployment, {
    scope,
    paths,
    record,
    services,
    ...resources,
    units: units.map((u) => u.file),
    installed,
  });
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

/** Errors stop an install; conflicts too, unless --force (which says so). */
function refuseInvalid(
  plan: DeploymentPlan,
  options: { force: boolean; context: CliContext },
): void {
  const { force, context } = options;
  const problems = [...plan.errors, ...(force ? [] : plan.conflicts)];
  if (force && plan.conflicts.length > 0) {
    context.err(
      `Warning: --force skips ${plan.conflicts.length} conflicts with this host:\n`,
    );
    for (const c of plan.conflicts) {
      context.err(`  ${c.file}: ${c.message} [${c.code}]\n`);
    }
  }
  if (problems.length === 0) return;
  const [first] = problems;
  throw new LegerError(
    first.code,
    `Cannot install "${plan.deployment}": ${first.message}`,
    {
      file: first.file,
      line: first.line,
      details: problems.slice(1).map((p) =>
        `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message} [${p.code}]`
      ),
      remedy: first.remedy ??
        (plan.errors.length === 0
          ? "Free the port or name, or pass --force to install anyway"
          : "Fix the units (`leger validate` lists every problem), then install again"),
    },
  );
}

/**
 * Podman puts every file in one folder: a config file of the same name from
 * another deployment (or the user's own) would be overwritten.
 */
async function refuseForeignFiles(
  deployment: LoadedDeployment,
  options: {
    previous: InstalledDeployment | null;
    scope: Scope;
    context: CliContext;
  },
): Promise<void> {
  const { previous, scope, context } = options;
  const paths = legerPaths(scope, context);
  const owned = new Set(previous?.files.map((f) => f.name) ?? []);
  for (const file of deployment.files) {
    if (owned.has(file.path)) continue;
    try {
      await Deno.lstat(`${paths.quadletDir}/${file.path}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    throw new LegerError(
      "ERR_NAME_CONFLICT",
      `Cannot install "${deployment.name}": ${paths.quadletDir}/${file.path} already exists and is not part of it`,
      {
        remedy:
          "Rename the file in the deployment, or remove the other one if it is no longer used",
      },
    );
  }
}

/**
 * Units whose secrets are not in Podman yet install anyway; say which and how
 * they arrive.
 *
 * @returns The secrets that are missing.
 */
async function warnMissingSecrets(
  plan: DeploymentPlan,
  context: CliContext,
): Promise<Set<string>> {
  if (plan.secrets_required.length === 0) return new Set();
  const existing = new Set(await secretNames());
  const missing = plan.secrets_required.filter((name) => !existing.has(name));
  if (missing.length === 0) return new Set();
  context.err(
    `Warning: ${missing.length} secrets are not in Podman yet: ${
      missing.join(", ")
    }\n` +
      "  legerd creates them from leger.run once it runs (or run `leger secrets sync`); until then the units that use them cannot start.\n",
  );
  return new Set(missing);
}
