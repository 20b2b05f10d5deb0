/**
 * `leger deploy list [--scope …] [--json]`: installed deployments and the state
 * of their services (a template's instances each as a service). One batched
 * `systemctl show` per scope, however many services there are, is the
 * truth; one `podman quadlet list` only adds Podman's status, and when it
 * fails (Podman 5.8 exits 125 once a template unit is installed) systemd's
 * state stands in for it. The last run of the update timer for each
 * deployment (`last_auto_update`) comes from a file of leger's state, with
 * why it failed, if it did, on stderr.
 *
 * @module
 */
import { CommandError } from "../../../lib/adapters/command_error.ts";
import { quadletList } from "../../../lib/adapters/podman_quadlet.ts";
import type { Runner } from "../../../lib/adapters/run.ts";
import { showUnits } from "../../../lib/adapters/systemctl.ts";
import { loadUnits } from "../../../lib/quadlet/load_units.ts";
import type { PlanPort } from "../../../lib/deploy/plan_types.ts";
import { templateParts } from "../../../lib/quadlet/template_parts.ts";
import type { QuadletUnit } from "../../../lib/quadlet/types.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
import { readDeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import {
  type IntentJournal,
  readJournal,
} from "../../../lib/state/intent_journal.ts";
import {
  type LastAutoUpdate,
  readLastAutoUpdates,
} from "../../../lib/state/last_auto_updates.ts";
import { legerPaths, type Scope } from "../../../lib/state/paths.ts";
import type { CliContext } from "../../context.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";
import { versionOf } from "../../version_label.ts";

/** A service of an installed deployment, as `deploy list --json` shows it. */
export interface ListedService {
  unit: string;
  service: string;
  active_state: string;
  sub_state: string;
  /**
   * Podman's `quadlet list` status (`active/running`); where Podman does not
   * list the service (an instance of a template, or `podman quadlet list`
   * failed), systemd's `active_state/sub_state`; `not installed` when
   * systemd does not know the service.
   */
  status: string;
  ports: PlanPort[];
}

/** An installed deployment, as `deploy list --json` shows it. */
export interface ListedDeployment {
  /**
   * A change to it that a leger process left unfinished (killed, crashed):
   * the next command that changes deployments finishes it.
   */
  unfinished?: {
    operation: "install" | "remove" | "update";
    pid: number;
    started_at: string;
  };
  deployment: string;
  scope: Scope;
  source: SourceInfo;
  /** The leger.run version, the Git commit (12 digits), or `null` when there is none. */
  version: string | null;
  installed_at: string;
  services: ListedService[];
  /**
   * What the last run of the update timer (`leger-update.service`) did to
   * it, from `last-auto-updates.json`, or `null` when it never ran for it.
   */
  last_auto_update: LastAutoUpdate | null;
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
    scopes.map(async (scope) =>
      markUnfinished(
        await listScope(scope, context, deps.runner),
        await readJournal(legerPaths(scope, context).stateDir),
        scope,
      )
    ),
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
  for (const d of listed) {
    const last = d.last_auto_update;
    if (last?.error == null) continue;
    context.err(
      `Note: the last automatic update of "${d.deployment}" (${
        autoUpdateWhen(last, true)
      }) ${
        last.outcome === "rolled-back"
          ? "was rolled back, and the previous version runs"
          : "failed"
      }: ${last.error.message} [${last.error.code}]; \`${
        d.scope === "system" ? "journalctl" : "journalctl --user"
      } -u leger-update.service\` tells more.\n`,
    );
  }
  for (const d of listed.filter((d) => d.unfinished !== undefined)) {
    context.err(
      `Note: an ${
        d.unfinished!.operation
      } of "${d.deployment}" by leger process ${
        d.unfinished!.pid
      } was interrupted; the next leger command that changes deployments finishes it (\`leger staged discard\` does, changing nothing else).\n`,
    );
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
        d.version ?? "-",
        d.last_auto_update === null
          ? "-"
          : autoUpdateCell(d.last_auto_update, context.stdoutIsTerminal),
      ])
    ),
    {
      header: [
        "DEPLOYMENT",
        "SERVICE",
        "STATUS",
        "PORTS",
        "SOURCE",
        "VERSION",
        "AUTO-UPDATE",
      ],
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
  const lastAutoUpdates = await readLastAutoUpdates(paths.stateDir);
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
    scope === podmanScope ? podmanStatuses(runner) : new Map<string, string>(),
  ]);
  const stateOf = new Map(states.map((state) => [state.id, state]));
  return deployments.map((d, index) => ({
    deployment: d.name,
    scope,
    source: d.source,
    version: versionOf(d.source),
    installed_at: d.installed_at,
    last_auto_update: Object.hasOwn(lastAutoUpdates, d.name)
      ? lastAutoUpdates[d.name]
      : null,
    services: d.services.map((service) => {
      const unit = unitOf(typed[index], service);
      const state = stateOf.get(service);
      return {
        unit: unit?.file ?? service,
        service,
        active_state: state?.activeState ?? "unknown",
        sub_state: state?.subState ?? "unknown",
        status: podman.get(service) ??
          (state === undefined || state.loadState === "not-found"
            ? "not installed"
            : `${state.activeState}/${state.subState}`),
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

/**
 * Podman's status of each installed quadlet's service, only to decorate
 * systemd's state: Podman 5.8's `podman quadlet list` exits 125 once a
 * template unit is installed ("missing the instance name"), and then every
 * service shows systemd's state alone.
 */
async function podmanStatuses(runner: Runner): Promise<Map<string, string>> {
  try {
    const entries = await quadletList({ runner });
    return new Map(entries.map((entry) => [entry.unitName, entry.status]));
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    return new Map();
  }
}

/**
 * The unit a service comes from: the unit of that service, or for an
 * instance (`worker@one.service`) without a file of its own, its template
 * (`worker@.container`).
 */
function unitOf(
  units: readonly QuadletUnit[],
  service: string,
): QuadletUnit | undefined {
  const own = units.find((u) => u.serviceName === service);
  if (own !== undefined) return own;
  const template = templateParts(service)?.template;
  return units.find((u) => u.instance === null && u.serviceName === template);
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

/**
 * Shows the change a leger process left unfinished on its deployment, or as
 * a deployment of its own when an install of a new one was cut short.
 */
function markUnfinished(
  listed: ListedDeployment[],
  journal: IntentJournal | null,
  scope: Scope,
): ListedDeployment[] {
  if (journal === null) return listed;
  const unfinished = {
    operation: journal.operation,
    pid: journal.pid,
    started_at: journal.started_at,
  };
  const entry = listed.find((d) => d.deployment === journal.deployment);
  if (entry !== undefined) {
    entry.unfinished = unfinished;
    return listed;
  }
  return [...listed, {
    deployment: journal.deployment,
    scope,
    source: { type: "local", location: "-" },
    version: null,
    installed_at: journal.started_at,
    services: [],
    last_auto_update: null,
    unfinished,
  }];
}

/**
 * The last automatic update, in a cell: `updated 2026-11-30T04:12Z, 1 → 2`
 * on a terminal, the full RFC 3339 time for scripts.
 */
function autoUpdateCell(last: LastAutoUpdate, terminal: boolean): string {
  return `${last.outcome} ${autoUpdateWhen(last, terminal)}`;
}

/** When it finished (to the minute on a terminal), and the versions if any. */
function autoUpdateWhen(last: LastAutoUpdate, terminal: boolean): string {
  const time = terminal
    ? last.finished_at.replace(/:\d\d(\.\d+)?Z$/, "Z")
    : last.finished_at;
  const versions = last.from === null && last.to === null
    ? ""
    : `, ${last.from ?? "-"} → ${last.to ?? "-"}`;
  return `${time}${versions}`;
}
