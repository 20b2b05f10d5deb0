import type { HostOps } from "../adapters/host_ops.ts";
import { fromSystemError, LegerError } from "../errors/mod.ts";
import { checkWritable } from "../state/check_writable.ts";
import {
  clearJournal,
  type IntentJournal,
  writeJournal,
} from "../state/intent_journal.ts";
import { readKeptVolumes } from "../state/kept_volumes.ts";
import { applyUpdate, undoUpdate } from "./apply_update.ts";
import {
  createdResources,
  isRecorded,
  removeStaged,
} from "./_change_bookkeeping.ts";
import { type DeployContext, hostOf, pathsOf } from "./context.ts";
import { imagesToPull } from "./images_to_pull.ts";
import type { PreparedUpdate } from "./prepare_update.ts";
import { pullImages } from "./pull_images.ts";
import { recordDeployment } from "./record_deployment.ts";
import { stageDeployment } from "./stage_deployment.ts";
import {
  type MissingSecretsSync,
  syncMissingSecrets,
} from "./sync_missing_secrets.ts";
import { servicesToStart } from "./unit_roles.ts";
import { unitServices } from "./unit_services.ts";
import { waitingForSecrets } from "./waiting_for_secrets.ts";
import { UpdateRolledBackError } from "./update_rolled_back_error.ts";

/** Options for {@linkcode updateDeployment}. */
export interface UpdateDeploymentOptions {
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP: the update is undone (whoever
   * aborts it says so; the update then says nothing more of it).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Pull the images of the changed and added units first.
   *
   * @default {true}
   */
  pull?: boolean;
  /**
   * Whether stderr is a terminal: pulls then say when each starts and ends.
   *
   * @default {false}
   */
  terminal?: boolean;
  /**
   * Waits between two checks that the restarted services stay up.
   *
   * @default {250 ms}
   */
  pause?: () => Promise<void>;
  /**
   * Takes the automatic backup before anything changes (after the images
   * are pulled, so that a failed pull takes no backup) and returns its id
   * (`createBackup` of `lib/backup`, type `auto`); when it throws, nothing
   * is changed. None with `--no-backup`.
   *
   * @default {undefined}
   */
  backup?: (signal?: AbortSignal) => Promise<string>;
}

/** What {@linkcode updateDeployment} did. */
export interface UpdateResult {
  /** The automatic backup taken before the update, or `null`. */
  backup: string | null;
  /** The services restarted (of changed units). */
  restarted: string[];
  /** The services started (of added units). */
  started: string[];
  /** The services stopped (of dropped units, and changed ones now waiting for a secret). */
  stopped: string[];
  /** The services left running, untouched. */
  unchanged: string[];
  /** The files written (added and changed). */
  written: string[];
  /** The files removed (the new version dropped them). */
  removed: string[];
  /** Services left stopped until their secrets exist in Podman. */
  waitingForSecrets: string[];
  /** What legerd did for the secrets Podman lacked. */
  secrets: MissingSecretsSync;
}

/**
 * Stages 6 to 9 of an update, after {@linkcode checkInstallable} and the
 * user's confirmation, under the deploy lock; like an install, except that
 * only what changed is touched ({@linkcode PreparedUpdate.update}):
 *
 * 1. pulls the images of the changed and added units (a failed pull
 *    changes nothing and takes no backup);
 * 2. takes the automatic backup (`options.backup`);
 * 3. checks that leger's folders are writable, and asks legerd for the
 *    secrets the changed and added units need and Podman lacks;
 * 4. stages the files in a temporary folder and writes the intent journal
 *    (`operation: "update"`);
 * 5. applies it ({@linkcode applyUpdate}): dropped units stopped and
 *    removed one by one, changed files written, added units installed,
 *    changed services restarted, added ones started, all watched;
 * 6. records it (`deployments.yaml`, `active/<name>/`), then clears the
 *    journal and the temporary folder.
 *
 * Any failure or signal after step 4 undoes the update from the journal
 * ({@linkcode undoUpdate}): the previous files are back and the services
 * the update touched run as before; the services it did not touch kept
 * running throughout. A crash leaves the journal, and the next leger that
 * takes the lock finishes the undo ({@linkcode finishInterruptedChange}).
 *
 * Requires `--allow-read`, `--allow-write` for leger's and Podman's folders
 * and `--allow-run=podman,systemctl,journalctl`.
 *
 * @param prepared What {@linkcode prepareUpdate} decided.
 * @param context The scope, its folders, the runner and host facts.
 * @param options Signal, pull, backup.
 * @returns What was restarted, started, stopped and left alone.
 * @throws {LegerError} `ERR_IMAGE_PULL_FAILED`, what the backup throws or
 * `ERR_STATE_UNWRITABLE` before any change;
 * {@linkcode UpdateRolledBackError} (`ERR_PODMAN_INSTALL_FAILED`,
 * `ERR_SERVICE_START_FAILED`, `ERR_INTERRUPTED`, …) after rolling the
 * update back, saying what state the host is in.
 *
 * @example Usage
 * ```ts ignore
 * import { updateDeployment } from "./update_deployment.ts";
 * const result = await updateDeployment(prepared, context, { signal });
 * ```
 */
export async function updateDeployment(
  prepared: PreparedUpdate,
  context: DeployContext,
  options: UpdateDeploymentOptions = {},
): Promise<UpdateResult> {
  const { signal } = options;
  const { deployment, previous, update, installed } = prepared;
  const units = prepared.units.map((u) => u.quadlet);
  const paths = pathsOf(context);
  const ops = await hostOf(context);
  const statusOf = new Map(update.units.map((u) => [u.unit, u.status]));
  const touched = prepared.units.filter((u) =>
    statusOf.get(u.path) === "added" || statusOf.get(u.path) === "changed"
  );
  if (options.pull ?? true) {
    await pullImages(imagesToPull(touched), context, {
      signal,
      terminal: options.terminal ?? false,
      action: "update",
    });
  }
  const backup = options.backup === undefined
    ? null
    : await options.backup(signal);
  const size = deployment.files.reduce((sum, f) => sum + f.bytes.length, 0);
  await checkWritable([paths.stateDir, paths.workDir], {
    bytes: 2 * size + (1 << 20),
  });
  // legerd creates what leger.run has before anything restarts.
  const needed = new Set(
    touched.flatMap((u) => u.quadlet.secrets.map((s) => s.name)),
  );
  const secrets = await syncMissingSecrets(
    prepared.missingSecrets.filter((s) => needed.has(s)),
    context,
  );
  // A changed or added container whose secret is not in Podman yet cannot
  // run: it is stopped (changed) or not started (added), and legerd starts
  // it when the secret arrives.
  const waiting = waitingForSecrets(
    units,
    secrets.missing,
    touched.map((u) => u.quadlet),
  );
  // Unchanged units left waiting by the previous version wait still.
  const stillWaiting = (previous.waiting_for_secrets ?? []).filter((s) =>
    update.unchanged.includes(s)
  );
  if (waiting.length > 0) {
    context.progress(
      `Not starting ${waiting.join(", ")} until the secrets ${
        waiting.length === 1 ? "it needs exist" : "they need exist"
      }`,
    );
  }
  const restarted = update.restart.filter((s) => !waiting.includes(s));
  const started = update.start.filter((s) => !waiting.includes(s));
  const stopped = [
    ...update.stop,
    ...update.restart.filter((s) => waiting.includes(s)),
  ];
  const changeId = crypto.randomUUID();
  const stagedDir = `${paths.workDir}/staged/.${deployment.name}.${
    changeId.slice(0, 8)
  }`;
  const running =
    (await ops.states(previous.unit_services ?? previous.services))
      .filter((s) => s.activeState === "active").map((s) => s.id);
  const added = touched.filter((u) => statusOf.get(u.path) === "added")
    .map((u) => u.quadlet);
  const created = createdResources(added);
  const intent: IntentJournal = {
    change_id: changeId,
    operation: "update",
    deployment: deployment.name,
    pid: Deno.pid,
    started_at: context.now().toISOString(),
    staged_dir: stagedDir,
    files: deployment.files.map((f) => f.path),
    unit_services: unitServices(units),
    services: [...restarted, ...started],
    // Only what does not exist yet is the update's to remove on undo.
    volumes: created.volumes.filter((v) => !prepared.host.volumes.includes(v)),
    networks: created.networks.filter((n) =>
      !(prepared.host.networks ?? []).includes(n)
    ),
    previous: {
      dir: `${paths.workDir}/active/${deployment.name}`,
      files: previous.files.map((f) => f.name),
      services: previous.services,
      unit_services: previous.unit_services ?? previous.services,
      running,
    },
    update: {
      written: update.write,
      removed: update.remove,
      restarted,
      started,
      stopped,
      added_services: unitServices(added),
    },
    remove_volumes: false,
    podman_markers: await ops.readMarkers(),
  };
  context.progress("Staging the files…");
  const record = await stageDeployment(deployment, {
    dir: stagedDir,
    now: context.now(),
  }).catch(async (error) => {
    await removeStaged(stagedDir);
    throw error;
  });
  await writeJournal(paths.stateDir, intent);
  const all = createdResources(units);
  const kept = (await readKeptVolumes(paths.stateDir))[deployment.name] ?? [];
  try {
    await applyUpdate(intent, ops, {
      signal,
      removeNetworks: update.removedNetworks,
      pause: options.pause,
      progress: (line) => context.progress(`${line}…`),
    });
    await recordDeployment(deployment, {
      scope: context.scope,
      paths,
      record,
      services: servicesToStart(units),
      unitServices: unitServices(units),
      volumes: all.volumes,
      networks: all.networks,
      units: units.map((u) => u.file),
      installed,
      now: context.now(),
      changeId,
      waitingForSecrets: [...stillWaiting, ...waiting],
      keptVolumes: [...new Set([...kept, ...update.keptVolumes])].filter((v) =>
        !all.volumes.includes(v)
      ),
    });
  } catch (error) {
    if (await isRecorded(paths.stateDir, deployment.name, changeId)) {
      throw new LegerError(
        "ERR_STATE_UNWRITABLE",
        `Updated "${deployment.name}", but could not finish recording it: ${
          error instanceof Error ? error.message : String(error)
        }`,
        {
          cause: error,
          remedy:
            "Fix what the error names; the next leger command that changes deployments finishes the record",
        },
      );
    }
    // A signal already said so (abortOnSignals): once is enough.
    if (!signal?.aborted) {
      context.progress("Rolling the update back, please wait…");
    }
    throw await undo(intent, ops, {
      error,
      context,
      volumes: all.volumes,
      backup,
    });
  }
  await clearJournal(paths.stateDir);
  await removeStaged(stagedDir);
  return {
    backup,
    restarted,
    started,
    stopped,
    unchanged: update.unchanged,
    written: update.write,
    removed: update.remove,
    waitingForSecrets: waiting,
    secrets,
  };
}

/**
 * Undoes the update and says what state the host is in; the journal and
 * the staged copy go only when the undo is complete.
 */
async function undo(
  intent: IntentJournal,
  ops: HostOps,
  options: {
    error: unknown;
    context: DeployContext;
    /** The deployment's volumes: the undo puts files back, not their data. */
    volumes: readonly string[];
    /** The automatic backup taken before the update, if any. */
    backup: string | null;
  },
): Promise<UpdateRolledBackError> {
  const { error, context, volumes, backup } = options;
  const failures = await undoUpdate(intent, ops);
  if (failures.length === 0) {
    await clearJournal(pathsOf(context).stateDir);
    await removeStaged(intent.staged_dir!);
  }
  // An error of the host (a full disk) keeps its words; anything else is a bug.
  const base = error instanceof LegerError
    ? error
    : fromSystemError(error, { action: "update" }) ?? new LegerError(
      "ERR_INTERNAL",
      `Cannot finish the update of "${intent.deployment}": ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  return new UpdateRolledBackError(base.code, base.message, {
    cause: error instanceof LegerError ? error.cause : error,
    file: base.file,
    line: base.line,
    details: [
      ...base.details,
      ...undoneLines(intent, failures),
      ...volumes.length === 0 ? [] : [
        `Volume data is not rolled back: what the new version wrote to ${
          volumes.join(", ")
        } stays${
          backup === null
            ? ""
            : `; \`leger backup restore ${backup}\` brings back the data as it was before the update`
        }.`,
      ],
    ],
    remedy: base.remedy,
    complete: failures.length === 0,
  });
}

/**
 * What an undone update left, for a person: the previous version back and
 * which of its services run again, or what could not be undone.
 *
 * @param intent The update's journal.
 * @param failures What {@linkcode undoUpdate} could not do.
 * @returns The lines.
 *
 * @example Usage
 * ```ts ignore
 * import { undoneLines } from "./update_deployment.ts";
 * context.err(undoneLines(intent, []).join("\n"));
 * ```
 */
export function undoneLines(
  intent: IntentJournal,
  failures: readonly { what: string; error: unknown }[],
): string[] {
  if (failures.length > 0) {
    return [
      "leger could not roll everything back:",
      ...failures.map((f) =>
        `  ${f.what}: ${
          f.error instanceof Error ? f.error.message : String(f.error)
        }`
      ),
      "The next leger command that changes deployments tries again.",
    ];
  }
  const running = new Set(intent.previous?.running ?? []);
  const again = [
    ...new Set([
      ...intent.update?.restarted ?? [],
      ...intent.update?.stopped ?? [],
    ]),
  ].filter((s) => running.has(s));
  return [
    `Rolled back: the previous version of "${intent.deployment}" is installed${
      again.length > 0 ? ` and ${again.join(", ")} running again` : ""
    }; the services the update did not touch kept running.`,
  ];
}
