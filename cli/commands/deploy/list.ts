/**
 * `leger deploy list [--scope …] [--json]`: installed deployments and the
 * state and health of their services (a template's instances each as a
 * service). One `readServiceStatus` per scope reads them all: one
 * `systemctl list-units` (the truth of the state; `systemctl show` only of
 * a unit systemd has not loaded), one `podman ps` when a service
 * has Podman's own health check (`HealthCmd=`), and every HTTP health check
 * at once, however many services there are. The last run of the update timer for each deployment
 * (`last_auto_update`) comes from a file of leger's state, with why it
 * failed, if it did, on stderr, as is why a service is unhealthy.
 *
 * @module
 */
import type { Runner } from "../../../lib/adapters/run.ts";
import type { ErrorJson } from "../auth/shared/gather_auth_status.ts";
import {
  readServiceStatus,
  type ServiceHealth,
} from "../../../lib/health/read_service_status.ts";
import type { PlanPort } from "../../../lib/deploy/plan_types.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";
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
import { readInstalledServices } from "../shared/installed_services.ts";
import { podmanShows } from "../shared/podman_shows.ts";

/** A service of an installed deployment, as `deploy list --json` shows it. */
export interface ListedService {
  unit: string;
  service: string;
  active_state: string;
  sub_state: string;
  /**
   * systemd's `active_state/sub_state` (`active/running`), as `podman
   * quadlet list` shows it; `not installed` when systemd does not know the
   * service.
   */
  status: string;
  ports: PlanPort[];
  /** Its health (see `leger status`): an HTTP check, Podman's, or none. */
  health: ServiceHealth;
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
   * Why leger's copy of it (`active/<name>/`) cannot be read, or `null`:
   * its services are then listed without their unit's ports and check
   * (`leger doctor` says how to fix it).
   */
  problem: ErrorJson | null;
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
        await listScope(scope, context, deps),
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
  for (const d of listed) {
    for (const s of d.services) {
      if (s.health.state !== "unhealthy" && s.health.state !== "refused") {
        continue;
      }
      context.err(
        `Note: ${s.service} of "${d.deployment}" is ${s.health.state}: ${s.health.detail}${
          s.health.remedy === null ? "" : `; ${s.health.remedy}`
        }.\n`,
      );
    }
  }
  for (const d of listed) {
    if (d.problem === null) continue;
    context.err(
      `Note: leger's copy of "${d.deployment}" cannot be read: ${d.problem.message}; \`leger doctor\` says how to fix it.\n`,
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
      // A deployment without services (only volumes and networks) is one
      // row all the same, `-` in the service columns.
      (d.services.length === 0 ? [null] : d.services).map((s) => [
        d.deployment,
        s === null ? "-" : s.service,
        s === null ? "-" : `${s.active_state}/${s.sub_state}`,
        s === null || s.health.state === "none" ? "-" : s.health.state,
        (s?.ports ?? []).map((p) =>
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
        "HEALTH",
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
  deps: { runner: Runner; fetch: typeof fetch },
): Promise<ListedDeployment[]> {
  const paths = legerPaths(scope, context);
  const installed = await readInstalledServices(paths);
  if (installed.length === 0) return [];
  const lastAutoUpdates = await readLastAutoUpdates(paths.stateDir);
  const services = installed.flatMap((d) => d.services.map((s) => s.toRead));
  // systemd's state is the truth; Podman is asked only for the health checks
  // it runs (HealthCmd=), and only when it shows the scope's containers.
  const statuses = await readServiceStatus(scope, services, {
    runner: deps.runner,
    fetch: deps.fetch,
    podman: podmanShows(scope, context) &&
      services.some((s) => s.check?.type === "podman"),
    since: false,
  });
  let next = 0;
  return installed.map(({ deployment: d, services, problem }) => ({
    deployment: d.name,
    scope,
    source: d.source,
    version: versionOf(d.source),
    installed_at: d.installed_at,
    last_auto_update: Object.hasOwn(lastAutoUpdates, d.name)
      ? lastAutoUpdates[d.name]
      : null,
    problem: problem?.toJSON() ?? null,
    services: services.map(({ unit, ports, toRead }) => {
      const state = statuses[next++];
      return {
        unit: unit?.file ?? toRead.service,
        service: toRead.service,
        active_state: state.active_state,
        sub_state: state.sub_state,
        status: state.load_state === "not-found"
          ? "not installed"
          : `${state.active_state}/${state.sub_state}`,
        ports: ports.map((p) => ({
          host_ip: p.hostIp,
          host_port: p.hostPort,
          container_port: p.containerPort,
          protocol: p.protocol,
        })),
        health: state.health,
      };
    }),
  }));
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
    problem: null,
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
