/**
 * `leger deploy list [--scope …] [--json]`: installed deployments and the state
 * of their services. One `podman quadlet list` and one batched `systemctl
 * show` per scope, however many services there are.
 *
 * @module
 */
import { quadletList } from "../../../lib/adapters/podman_quadlet.ts";
import type { Runner } from "../../../lib/adapters/run.ts";
import { showUnits } from "../../../lib/adapters/systemctl.ts";
import { loadUnits } from "../../../lib/quadlet/load_units.ts";
import type { PlanPort } from "../../../lib/deploy/plan_types.ts";
import type { QuadletUnit } from "../../../lib/quadlet/types.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import { readDeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { CliContext } from "../../context.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";
import { versionLabel } from "../../version_label.ts";

/** A service of an installed deployment, as `deploy list --json` shows it. */
export interface ListedService {
  unit: string;
  service: string;
  active_state: string;
  sub_state: string;
  /** Podman's `quadlet list` status (`active/running`), or `not installed` when Podman no longer has the unit. */
  status: string;
  ports: PlanPort[];
}

/** An installed deployment, as `deploy list --json` shows it. */
export interface ListedDeployment {
  deployment: string;
  scope: Scope;
  source: SourceInfo;
  version: string;
  installed_at: string;
  services: ListedService[];
}

/** The options of `leger deploy list`. */
export interface ListOptions {
  /** Only this scope; by default every scope the user can see. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger deploy list`. */
export function parse(line: CommandLine): ListOptions {
  return { scope: scopeOption(line), json: flag(line, "json") };
}

/** Runs `leger deploy list`. */
export async function run(
  options: ListOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scopes: Scope[] = options.scope !== undefined
    ? [options.scope]
    : context.uid === 0
    ? ["system", "user"]
    : ["user"];
  const listed = (await Promise.all(
    scopes.map((scope) => listScope(scope, context, deps.runner)),
  )).flat();
  if (options.json) {
    context.out(JSON.stringify(listed, null, 2) + "\n");
    return 0;
  }
  if (listed.length === 0 && context.stdoutIsTerminal) {
    context.err(
      "No deployments installed. Install one with `leger deploy install --source <folder>`.\n",
    );
    return 0;
  }
  context.out(formatTable(
    listed.flatMap((d) =>
      d.services.map((s) => [
        d.deployment,
        s.service,
        `${s.active_state}/${s.sub_state}`,
        s.ports.map((p) =>
          `${p.host_ip ?? ""}${p.host_ip ? ":" : ""}${
            p.host_port ?? ""
          }->${p.container_port}/${p.protocol}`
        )
          .join(", ") || "-",
        d.source.location,
        d.version,
      ])
    ),
    {
      header: ["DEPLOYMENT", "SERVICE", "STATUS", "PORTS", "SOURCE", "VERSION"],
      terminal: context.stdoutIsTerminal,
    },
  ));
  return 0;
}

async function listScope(
  scope: Scope,
  context: CliContext,
  runner: Runner,
): Promise<ListedDeployment[]> {
  const paths = legerPaths(scope, context);
  const deployments = await readDeployments(paths.stateDir);
  if (deployments.length === 0) return [];
  const typed = await Promise.all(
    deployments.map((d) =>
      activeUnits(`${paths.workDir}/active/${d.name}`, paths.quadletDir)
    ),
  );
  const services = deployments.flatMap((d) => d.services);
  // Podman lists the invoking user's quadlets: root's are the system scope's.
  const podmanScope: Scope = context.uid === 0 ? "system" : "user";
  const [states, podman] = await Promise.all([
    showUnits(scope, services, { runner }),
    scope === podmanScope ? quadletList({ runner }) : Promise.resolve([]),
  ]);
  const stateOf = new Map(states.map((state) => [state.id, state]));
  const podmanStatus = new Map(
    podman.map((entry) => [entry.unitName, entry.status]),
  );
  return deployments.map((d, index) => ({
    deployment: d.name,
    scope,
    source: d.source,
    version: versionLabel(d.source),
    installed_at: d.installed_at,
    services: d.services.map((service) => {
      const unit = typed[index].find((u) => u.serviceName === service);
      const state = stateOf.get(service);
      return {
        unit: unit?.file ?? service,
        service,
        active_state: state?.activeState ?? "unknown",
        sub_state: state?.subState ?? "unknown",
        status: scope === podmanScope
          ? podmanStatus.get(service) ?? "not installed"
          : `${state?.activeState}/${state?.subState}`,
        ports: (unit?.ports ?? []).map((p) => ({
          host_ip: p.hostIp,
          host_port: p.hostPort,
          container_port: p.containerPort,
          protocol: p.protocol,
        })),
      };
    }),
  }));
}

/** The typed units of an active deployment folder (no process is started). */
async function activeUnits(
  dir: string,
  quadletDir: string,
): Promise<QuadletUnit[]> {
  const folder = await readDeploymentFolder(dir);
  if (folder === null) return [];
  const files = folder.record.files.map((f) => ({
    path: f.name,
    sha256: f.sha256,
    bytes: folder.files.get(f.name)!,
  }));
  return loadUnits(files, { unitDir: quadletDir }).units.map((u) => u.quadlet);
}
