/**
 * One update of one deployment, as `leger deploy update` and `leger staged
 * apply` run it: plan the new version as an install does, compare it with
 * the installed one, show what changes and the diff, stage it, confirm,
 * back up, apply only what changed, record — or roll back.
 *
 * @module
 */
import { entryExists } from "../../../lib/state/path_exists.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import type { DeployContext } from "../../../lib/deploy/context.ts";
import { pathsOf } from "../../../lib/deploy/context.ts";
import { checkInstallable } from "../../../lib/deploy/check_installable.ts";
import { installDeployment } from "../../../lib/deploy/install_deployment.ts";
import { lockScope } from "../../../lib/deploy/lock_scope.ts";
import {
  type NotAppliedChange,
  planUpdate,
  type UnitChange,
  type UpdatePlan,
} from "../../../lib/deploy/plan_update.ts";
import {
  type PreparedInstall,
  prepareInstall,
} from "../../../lib/deploy/prepare_install.ts";
import { prepareUpdate } from "../../../lib/deploy/prepare_update.ts";
import { stageDeployment } from "../../../lib/deploy/stage_deployment.ts";
import { updateDeployment } from "../../../lib/deploy/update_deployment.ts";
import type { UpdateOutcome } from "../../../lib/deploy/update_outcome.ts";
import { UpdateRolledBackError } from "../../../lib/deploy/update_rolled_back_error.ts";
import type { FileDiff } from "../../../lib/diff/diff_deployments.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import { diffDeployments } from "../../../lib/diff/diff_deployments.ts";
import type {
  LoadedDeployment,
  Normalisation,
} from "../../../lib/source/types.ts";
import { readDeploymentFolder } from "../../../lib/state/deployment_folder.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { abortOnSignals } from "../../abort_on_signals.ts";
import { confirm } from "../../confirm.ts";
import { count } from "../../count.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { toLegerError } from "../../print_error.ts";
import { versionLabel, versionOf } from "../../version_label.ts";
import { whileFetching } from "../../while_fetching.ts";

/**
 * Takes the automatic backup of an installed deployment before an update
 * changes it, and returns its id.
 */
export type AutoBackup = (
  context: DeployContext,
  deployment: string,
  signal?: AbortSignal,
) => Promise<string>;

/** Options for {@linkcode updateFlow}. */
export interface UpdateFlowOptions {
  /** The scope the deployment is installed in. */
  scope: Scope;
  /** Stage and show what would change; change nothing installed. */
  dryRun: boolean;
  /**
   * Write the fetched version to `staged/<name>/` first (`deploy update`);
   * a staged apply's version is there already.
   */
  stage: boolean;
  /** Take the automatic backup first (`--no-backup` clears it). */
  backup: boolean;
  /** Pull the images of the changed and added units first (`--no-pull` clears it). */
  pull: boolean;
  /** Do not ask. */
  yes: boolean;
  /** Apply despite conflicts with the host (never despite errors). */
  force: boolean;
  /** Wait for another leger process instead of failing. */
  wait: boolean;
  /** Who asked: a person, or the update timer. */
  trigger: UpdateOutcome["trigger"];
  /** Takes the automatic backup (`createBackup` of lib/backup, type `auto`). */
  autoBackup: AutoBackup;
}

/** What `leger deploy update --json` prints for one deployment. */
export interface UpdateDocument extends UpdateOutcome {
  /** Whether it was `--dry-run` (or `leger staged stage`). */
  dry_run: boolean;
  /** Whether the person asked said no: nothing was changed. */
  declined: boolean;
  /** Every unit of both versions: what the update does to it, and why. */
  units: UnitChange[];
  /** The Podman volumes of dropped `.volume` units: kept, with their data. */
  kept_volumes: string[];
  /** The Podman networks of dropped `.network` units: removed. */
  removed_networks: string[];
  /**
   * The changed `.volume` and `.network` units whose volume or network
   * Podman keeps with its old settings: their files were written, nothing
   * restarted for them (`unit`, `kind`, `resource`, `users`, `reason`).
   */
  not_applied: NotAppliedChange[];
  /** Services left stopped until the Podman secrets they use exist. */
  waiting_for_secrets: string[];
  /** The files that differ, with their unified diffs (as `leger diff --json`). */
  files: FileDiff[];
  /** How many files differ, in each way (as `leger diff --json`). */
  summary: {
    modified: number;
    added: number;
    removed: number;
    unchanged: number;
  };
  /** The installed version, as `leger diff --json` names it (`from`). */
  active: { version: string | null; source: LoadedDeployment["source"] } | null;
  /** The new version, as `leger diff --json` names it (`to`). */
  staged: {
    version: string | null;
    source: LoadedDeployment["source"];
    fetched_at: string;
  } | null;
  /** What leger changed in the new version's files to cope with defects of its source. */
  normalisations: Normalisation[];
}

/** What {@linkcode updateFlow} ends with. */
export interface UpdateFlowResult {
  /** The document of the update. */
  document: UpdateDocument;
  /** What stopped it, or `null`. */
  error: unknown;
}

/**
 * Updates one deployment to a version `fetch` reads (a source fetched again,
 * or the staged copy): under the deploy lock, plans it as an install
 * (validation, Podman's generator, conflicts with the host), compares it
 * with the installed version unit by unit, shows on stderr what changes and
 * the diff, and then: nothing (`unchanged`), or stages it (`--dry-run`), or
 * asks, pulls, takes the automatic backup and applies only what changed
 * (`updated`), rolling back on any failure or signal (`rolled-back`). A
 * deployment that is staged but not installed is installed. A dry run
 * refuses what the update would refuse (errors, and conflicts with the host
 * unless `force`), and then stages nothing.
 *
 * What stays staged: `deploy update` (`stage`) writes `staged/<name>/` only
 * for a dry run, or when the person asked says no (`leger staged apply`
 * applies it later); an update that fails or is rolled back leaves nothing
 * staged of its own, so that `leger staged apply` cannot apply the broken
 * version again. `leger staged apply` applies the copy the user staged: when
 * it fails, that copy stays, and the error says so and how to drop it.
 *
 * Every failure is returned, not thrown, so that `--all` goes on with the
 * next deployment.
 *
 * @param name The deployment.
 * @param fetch Reads the new version (stopped by the signal it is given).
 * @param options Scope, dry run, staging, backup, confirmation, lock, trigger.
 * @param deps The command's dependencies.
 * @returns The document and the error, if any.
 *
 * @example Usage
 * ```ts ignore
 * import { updateFlow } from "./update_flow.ts";
 * const { document, error } = await updateFlow("web", (signal) => resolveSource(…), options, deps);
 * ```
 */
export async function updateFlow(
  name: string,
  fetch: (signal: AbortSignal) => Promise<LoadedDeployment>,
  options: UpdateFlowOptions,
  deps: CommandDeps,
): Promise<UpdateFlowResult> {
  const { context } = deps;
  const pipeline = deployContextOf(deps, options.scope);
  const document = emptyDocument(name, options);
  const stagedDir = `${pathsOf(pipeline).workDir}/staged/${name}`;
  // Once confirmed, a failure of `staged apply` leaves the user's copy staged.
  let applying = false;
  const finish = async (failure: unknown): Promise<UpdateFlowResult> => {
    document.finished_at = deps.now().toISOString();
    let error = failure;
    if (
      error !== null && applying && !options.stage &&
      await entryExists(stagedDir)
    ) {
      error = withDetail(
        error,
        `The version that failed is still staged: \`leger staged discard ${name}\` drops it (\`leger diff ${name}\` shows it).`,
      );
    }
    if (error !== null) {
      const complete = error instanceof UpdateRolledBackError
        ? error.complete
        : undefined;
      document.outcome = complete === true ? "rolled-back" : "failed";
      const leger = toLegerError(error);
      document.error = {
        code: leger.code,
        message: leger.message,
        remedy: leger.remedy,
        details: leger.details,
        ...(complete === undefined ? {} : { rollback_complete: complete }),
      };
    }
    return { document, error };
  };
  try {
    const deployment = await whileFetching(deps, fetch);
    document.to = {
      version: versionOf(deployment.source),
      source: deployment.source,
    };
    const { workDir, stateDir } = pathsOf(pipeline);
    await using _lock = await lockScope(pipeline, { wait: options.wait });
    // Asked while planning runs; its answer matters once the change starts.
    pipeline.detectSupport().catch(() => {});
    const entry = (await readDeployments(stateDir)).find((d) =>
      d.name === name
    );
    const installed = entry !== undefined;
    const active = await readDeploymentFolder(`${workDir}/active/${name}`);
    if (active !== null) {
      document.from = {
        version: versionOf(active.record.source),
        source: active.record.source,
      };
    }
    if (entry !== undefined && sameFiles(entry.files, deployment.files)) {
      // The files installed, byte for byte: nothing to plan or apply.
      document.outcome = "unchanged";
      document.unchanged = entry.unit_services ?? entry.services;
      if (!options.stage && !options.dryRun) {
        await Deno.remove(`${workDir}/staged/${name}`, { recursive: true })
          .catch((error) => {
            if (!(error instanceof Deno.errors.NotFound)) throw error;
          });
      }
      return finish(null);
    }
    const { prepared, update } = installed
      ? await prepareAndPlan(deployment, pipeline)
      : await prepareFirstInstall(deployment, pipeline);
    describe(document, { deployment, update, active, now: deps.now() });
    // Nothing to apply: what the host would refuse does not matter.
    if (!update.changed) {
      document.outcome = "unchanged";
      // A staged copy of what is installed has nothing left to apply.
      if (!options.stage && !options.dryRun) {
        await Deno.remove(`${workDir}/staged/${name}`, { recursive: true })
          .catch((error) => {
            if (!(error instanceof Deno.errors.NotFound)) throw error;
          });
      }
      return finish(null);
    }
    // A dry run refuses what the update would refuse, as `deploy install
    // --dry-run` and `validate` do, and stages only what it would apply.
    const forced = await checkInstallable(prepared, pipeline, {
      force: options.force,
      action: "update",
    });
    if (forced.length > 0) {
      context.err(
        `Warning: --force skips ${
          count(forced.length, "conflict")
        } with this host:\n` +
          forced.map((c) => `  ${c.file}: ${c.message} [${c.code}]\n`).join(""),
      );
    }
    // The diff goes to stdout with --dry-run, which prints nothing else.
    if (!options.dryRun) {
      context.err(document.files.map((file) => `${file.patch}\n`).join(""));
    }
    context.err(report(document, update, options.scope));
    const stage = () =>
      stageDeployment(deployment, { dir: stagedDir, now: deps.now() });
    if (options.dryRun) {
      await stage();
      document.outcome = "staged";
      return finish(null);
    }
    if (!options.yes) {
      const question = `Update "${name}" in the ${options.scope} scope (${
        counts(update)
      })?`;
      if (!await confirm(question, { context, yesFlag: "--yes" })) {
        document.declined = true;
        // Kept for later: `leger staged apply` applies it.
        if (options.stage) await stage();
        return finish(null);
      }
    }
    applying = true;
    using signals = abortOnSignals(deps, { doing: "rolling the update back" });
    if (!installed) {
      const result = await installDeployment(prepared, pipeline, {
        pull: options.pull,
        terminal: context.stderrIsTerminal,
        pause: deps.settlePause,
        signal: signals.signal,
      });
      document.started = result.started;
      document.waiting_for_secrets = result.waitingForSecrets;
    } else {
      const result = await updateDeployment(
        { ...prepared, previous: prepared.previous!, update },
        pipeline,
        {
          pull: options.pull,
          terminal: context.stderrIsTerminal,
          pause: deps.settlePause,
          signal: signals.signal,
          // Kept as soon as it is taken: a rolled-back update names it too.
          backup: options.backup
            ? async (signal) =>
              document.backup = await options.autoBackup(
                pipeline,
                name,
                signal,
              )
            : undefined,
        },
      );
      document.backup = result.backup;
      document.restarted = result.restarted;
      document.started = result.started;
      document.stopped = result.stopped;
      document.waiting_for_secrets = result.waitingForSecrets;
    }
    document.outcome = "updated";
    return finish(null);
  } catch (error) {
    return finish(error);
  }
}

/** Whether a version has exactly the files recorded, checksums included. */
function sameFiles(
  recorded: readonly { name: string; sha256: string }[],
  files: readonly { path: string; sha256: string }[],
): boolean {
  const byName = new Map(recorded.map((f) => [f.name, f.sha256]));
  return recorded.length === files.length &&
    files.every((f) => byName.get(f.path) === f.sha256);
}

/** Plans an update of an installed deployment. */
async function prepareAndPlan(
  deployment: LoadedDeployment,
  pipeline: DeployContext,
): Promise<{ prepared: PreparedInstall; update: UpdatePlan }> {
  const prepared = await prepareUpdate(deployment, pipeline);
  return { prepared, update: prepared.update };
}

/** A staged deployment that was never installed: every unit is added. */
async function prepareFirstInstall(
  deployment: LoadedDeployment,
  pipeline: DeployContext,
): Promise<{ prepared: PreparedInstall; update: UpdatePlan }> {
  const prepared = await prepareInstall(deployment, pipeline);
  const update = planUpdate({ files: [], units: [] }, {
    files: prepared.plan.files,
    units: prepared.units,
  });
  return { prepared, update };
}

function emptyDocument(
  name: string,
  options: UpdateFlowOptions,
): UpdateDocument {
  return {
    deployment: name,
    scope: options.scope,
    outcome: "failed",
    trigger: options.trigger,
    finished_at: "",
    from: null,
    to: null,
    restarted: [],
    started: [],
    stopped: [],
    unchanged: [],
    added: [],
    changed: [],
    removed: [],
    backup: null,
    dry_run: options.dryRun,
    declined: false,
    units: [],
    kept_volumes: [],
    removed_networks: [],
    not_applied: [],
    waiting_for_secrets: [],
    files: [],
    summary: { modified: 0, added: 0, removed: 0, unchanged: 0 },
    active: null,
    staged: null,
    normalisations: [],
  };
}

/** Fills the document with what the update plans (before it is applied). */
function describe(
  document: UpdateDocument,
  options: {
    deployment: LoadedDeployment;
    update: UpdatePlan;
    active: Awaited<ReturnType<typeof readDeploymentFolder>>;
    now: Date;
  },
): void {
  const { deployment, update, active, now } = options;
  const units = (status: UnitChange["status"]) =>
    update.units.filter((u) => u.status === status).map((u) => u.unit);
  Object.assign(document, {
    units: update.units,
    restarted: update.restart,
    started: update.start,
    stopped: update.stop,
    unchanged: update.unchanged,
    added: units("added"),
    changed: units("changed"),
    removed: units("dropped"),
    kept_volumes: update.keptVolumes,
    removed_networks: update.removedNetworks,
    not_applied: update.notApplied,
    active: document.from,
    staged: {
      ...document.to!,
      fetched_at: now.toISOString(),
    },
    normalisations: deployment.normalisations ?? [],
    ...diffDeployments(
      active?.files ?? new Map(),
      new Map(deployment.files.map((f) => [f.path, f.bytes])),
    ),
  });
}

/** What the update changes, for a person (stderr), with the diff. */
function report(
  document: UpdateDocument,
  update: UpdatePlan,
  scope: Scope,
): string {
  const label = (v: UpdateDocument["from"]) =>
    v === null ? "nothing installed" : versionLabel(v.source);
  // A local folder without a manifest version has none to show.
  const versions = document.from?.version == null &&
      document.to?.version == null
    ? ""
    : ` ${label(document.from)} → ${label(document.to)},`;
  const lines = [
    `${document.deployment} (${scope} scope):${versions} from ${
      document.to!.source.type
    } ${document.to!.source.location}`,
  ];
  const notApplied = new Set(update.notApplied.map((n) => n.unit));
  const of = (status: UnitChange["status"]) =>
    update.units.filter((u) => u.status === status);
  for (const unit of of("changed").filter((u) => !notApplied.has(u.unit))) {
    lines.push(
      `  changed    ${unit.unit}: ${unit.reasons.join("; ")}${
        unit.services.length > 0
          ? ` (restarts ${unit.services.join(", ")})`
          : ""
      }`,
    );
  }
  for (const unit of of("added")) {
    const starts = unit.services.filter((s) => update.start.includes(s));
    lines.push(
      `  added      ${unit.unit}${
        starts.length > 0 ? ` (starts ${starts.join(", ")})` : ""
      }`,
    );
  }
  for (const unit of of("dropped")) {
    lines.push(
      `  dropped    ${unit.unit}${
        unit.services.length > 0 ? ` (stops ${unit.services.join(", ")})` : ""
      }`,
    );
  }
  const unchanged = of("unchanged").map((u) => u.unit);
  if (unchanged.length > 0) {
    lines.push(`  unchanged  ${unchanged.join(", ")} (left running)`);
  }
  if (update.keptVolumes.length > 0) {
    lines.push(
      `  kept       the volumes ${
        update.keptVolumes.join(", ")
      } of the dropped units, with their data (\`podman volume rm\` removes them)`,
    );
  }
  // Said once, in full: the file is written, the change does not apply.
  for (const change of update.notApplied) {
    lines.push(notAppliedLine(change, document.deployment));
  }
  return [...lines, ""].join("\n");
}

/**
 * A changed `.volume` or `.network` unit whose change Podman does not apply,
 * and how to apply it.
 */
function notAppliedLine(change: NotAppliedChange, deployment: string): string {
  const { unit, kind, resource, users } = change;
  const rm = `\`podman ${kind} rm ${resource}\``;
  const loss = kind === "volume"
    ? ` (which deletes its data: \`leger backup create ${deployment}\` saves it first)`
    : "";
  const how = users.length === 0
    ? `run ${rm}${loss}; Podman creates it anew when its service next starts`
    : `stop the services that use it (${
      users.join(", ")
    }) and ${rm}${loss}, then start them`;
  return `${unit} changed, but Podman keeps the existing ${kind} ${resource} with its old settings: to apply it, ${how}`;
}

/** `restarts 1 service, starts 1, stops 1` */
function counts(update: UpdatePlan): string {
  const parts = [
    update.restart.length > 0
      ? `restarts ${count(update.restart.length, "service")}`
      : "",
    update.start.length > 0 ? `starts ${update.start.length}` : "",
    update.stop.length > 0 ? `stops ${update.stop.length}` : "",
  ].filter((p) => p !== "");
  return parts.join(", ") || "changes files only";
}

/** The same error with one more line of details (a leger error; others as they are). */
function withDetail(error: unknown, line: string): unknown {
  if (!(error instanceof LegerError)) return error;
  const options = {
    cause: error.cause,
    file: error.file,
    line: error.line,
    details: [...error.details, line],
    remedy: error.remedy,
  };
  return error instanceof UpdateRolledBackError
    ? new UpdateRolledBackError(error.code, error.message, {
      ...options,
      complete: error.complete,
    })
    : new LegerError(error.code, error.message, options);
}
