import { CommandError } from "../adapters/command_error.ts";
import type { HostOps } from "../adapters/host_ops.ts";
import {
  createVolume,
  exportVolume,
  importVolume,
  listVolumeInfos,
  removeVolume,
  type VolumeInfo,
} from "../adapters/podman_volumes.ts";
import { backupsDir } from "../backup/backups_dir.ts";
import { checkFreeSpace } from "../backup/check_free_space.ts";
import { formatBytes } from "../backup/format_bytes.ts";
import { readBackup } from "../backup/read_backup.ts";
import type { BackupRecord, RestoreResult } from "../backup/types.ts";
import { verifyBackup } from "../backup/verify_backup.ts";
import { volumeSize } from "../backup/volume_size.ts";
import { LegerError } from "../errors/mod.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import type { LoadedDeployment } from "../source/types.ts";
import {
  clearJournal,
  type IntentJournal,
  writeJournal,
} from "../state/intent_journal.ts";
import { applyDeployment, undoInstall } from "./apply_deployment.ts";
import { checkInstallable } from "./check_installable.ts";
import { type DeployContext, hostOf, pathsOf } from "./context.ts";
import { explainStartFailure } from "./explain_start_failure.ts";
import { imagesToPull } from "./images_to_pull.ts";
import { type PreparedInstall, prepareInstall } from "./prepare_install.ts";
import { pullImages } from "./pull_images.ts";
import { recordDeployment } from "./record_deployment.ts";
import { stageDeployment } from "./stage_deployment.ts";
import { syncMissingSecrets } from "./sync_missing_secrets.ts";
import { servicesToStart } from "./unit_roles.ts";
import { unitServices } from "./unit_services.ts";
import { isRecorded } from "./_change_bookkeeping.ts";
import { waitingForSecrets } from "./waiting_for_secrets.ts";
import { watchStayUp } from "./watch_stay_up.ts";
import type { UnitState } from "../adapters/systemctl.ts";

/** Options for {@linkcode restoreBackup}. */
export interface RestoreBackupOptions {
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP: the restore is undone (the
   * verification, before any change, just stops). Whoever aborts it says
   * that the restore is being undone; the restore then says nothing more of
   * it (a failure is said with its progress line).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Progress lines.
   *
   * @default {context.progress}
   */
  progress?: (line: string) => void;
  /**
   * Pull the images the units name first, when Podman lacks them.
   *
   * @default {true}
   */
  pull?: boolean;
  /**
   * How many times to check, once the services started, that they stay
   * active (as an install does).
   *
   * @default {4}
   */
  settleChecks?: number;
  /**
   * Waits between two checks.
   *
   * @default {250 ms}
   */
  pause?: () => Promise<void>;
}

/** What a restore did to a volume that existed, so that an undo can put it back. */
interface SavedVolume {
  /** How it was made (driver, options, labels), to make it again. */
  info: VolumeInfo;
  /** Its data as it was, exported before the restore emptied it. */
  file: string;
}

/**
 * Restores a deployment from a backup (`lib/backup`): a restore is an
 * install whose source is the backup's files, plus the volumes.
 *
 * 1. **Verifies** every file the backup lists — its files, manifest and
 *    volume archives — against its size and SHA-256, and plans the install
 *    meanwhile (`prepareInstall`, `checkInstallable`): on any mismatch it
 *    refuses, naming the file, with nothing changed.
 * 2. Pulls missing images and checks the room the safety copies need.
 * 3. Writes the intent journal and **installs the units without starting
 *    them** (`applyDeployment`: the deployment's running services are
 *    stopped first).
 * 4. For each volume of the backup: one that exists is exported first (a
 *    safety copy in `backups/.restore-<id>/`), removed and made again as it
 *    was (same driver, options, labels), so that nothing of its current
 *    content survives; one that does not exist is created by its `.volume`
 *    unit's service (`podman volume create` when no unit makes it). Then
 *    `podman volume import` fills it.
 * 5. **Starts** the services and watches them for a second, as an install
 *    does; records the deployment (its source is the backup's).
 *
 * Any failure or signal from step 3 on **undoes the restore**: the new
 * services stop, each volume that existed is made again from its safety
 * copy, and the journal's undo puts the previous units back, starts what ran
 * and removes the volumes the restore created. The safety copies are removed
 * once the restore or its undo is complete; an undo that could not finish
 * keeps them and says where. (A leger killed outright — SIGKILL, a crash —
 * leaves the journal, and the next leger puts the units back, but not the
 * volumes' data: the safety copies stay for `podman volume import`.)
 *
 * Call it under the deploy lock (`lockScope`).
 *
 * Requires `--allow-read`, `--allow-write` for leger's and Podman's folders,
 * `--allow-sys=statfs` and `--allow-run=podman,systemctl,journalctl`.
 *
 * @param context The scope, its folders, the runner and host facts.
 * @param id The backup's id.
 * @param options The signal that undoes it, progress, pulls, settling.
 * @returns What was restored and started.
 * @throws {LegerError} `ERR_BACKUP_NOT_FOUND`; `ERR_BACKUP_CORRUPT` naming
 * the file (nothing changed); what an install's plan refuses; after the
 * undo, `ERR_RESTORE_FAILED` (a volume could not be imported),
 * `ERR_SERVICE_START_FAILED`, `ERR_PODMAN_INSTALL_FAILED` or
 * `ERR_INTERRUPTED`, saying what state the host is in.
 *
 * @example Usage
 * ```ts ignore
 * import { lockScope, restoreBackup } from "@leger/leger/deploy";
 * await using _lock = await lockScope(context, { wait: false });
 * const result = await restoreBackup(context, "20261130T163000Z-web-ab12");
 * ```
 */
export async function restoreBackup(
  context: DeployContext,
  id: string,
  options: RestoreBackupOptions = {},
): Promise<RestoreResult> {
  const { signal, progress = (line: string) => context.progress(line) } =
    options;
  const record = await readBackup(context, id);
  const dir = `${backupsDir(context)}/${record.id}`;
  progress(`Checking the backup ${record.id}…`);
  const { files, manifest } = await verifyBackup(context, record, {
    volumes: false,
    signal,
  });
  const deployment: LoadedDeployment = {
    name: record.deployment,
    source: record.source,
    files,
    manifest: manifest ??
      discoverManifest(files.map((f) => f.path), { name: record.deployment }),
    normalisations: record.normalisations,
  };
  // The archives are checked while everything that changes nothing is done
  // (planning, the host's facts, room for the safety copies); a damaged
  // backup is said first, whatever else failed.
  const [verified, looked] = await Promise.allSettled([
    verifyBackup(context, record, { files: false, signal }),
    lookBeforeRestoring(context, record, deployment),
  ]);
  if (verified.status === "rejected") throw verified.reason;
  if (looked.status === "rejected") throw looked.reason;
  const { prepared, ops, infos } = looked.value;
  signal?.throwIfAborted();
  if (options.pull ?? true) {
    await pullImages(imagesToPull(prepared.units), context, { signal });
  }
  return await restoreChecked(context, {
    record,
    dir,
    deployment,
    prepared,
    ops,
    existing: infos,
    options,
    progress,
  });
}

/**
 * What a restore finds out before it changes anything: the install's plan
 * (refused as an install would be), the host's operations, the volumes of
 * the backup that exist now, and whether their safety copies have room.
 */
async function lookBeforeRestoring(
  context: DeployContext,
  record: BackupRecord,
  deployment: LoadedDeployment,
): Promise<
  { prepared: PreparedInstall; ops: HostOps; infos: Map<string, VolumeInfo> }
> {
  const prepared = await prepareInstall(deployment, context);
  await checkInstallable(prepared, context);
  const ops = await hostOf(context);
  const wanted = new Set(record.volumes.map((v) => v.name));
  const infos = new Map(
    (await listVolumeInfos(context.runner)).filter((info) =>
      wanted.has(info.name)
    ).map((info) => [info.name, info]),
  );
  let safetyBytes = 0;
  for (const info of infos.values()) {
    safetyBytes += await volumeSize(info.mountpoint);
  }
  const unitBytes = deployment.files.reduce((n, f) => n + f.bytes.length, 0);
  await checkFreeSpace(backupsDir(context), safetyBytes + 2 * unitBytes, {
    what: `restore "${record.deployment}"`,
  });
  return { prepared, ops, infos };
}

/** Steps 3 to 5, once the backup is checked and the install planned. */
async function restoreChecked(
  context: DeployContext,
  facts: {
    record: BackupRecord;
    dir: string;
    deployment: LoadedDeployment;
    prepared: PreparedInstall;
    ops: HostOps;
    existing: Map<string, VolumeInfo>;
    options: RestoreBackupOptions;
    progress: (line: string) => void;
  },
): Promise<RestoreResult> {
  const { record, dir, deployment, prepared, ops, existing, progress } = facts;
  const { signal } = facts.options;
  const paths = pathsOf(context);
  const units = prepared.units.map((u) => u.quadlet);
  const services = servicesToStart(units);
  const secrets = await syncMissingSecrets(prepared.missingSecrets, context);
  const waiting = waitingForSecrets(units, secrets.missing);
  const startNow = services.filter((s) => !waiting.includes(s));
  const volumes = units.filter((u) => u.kind === "volume" && u.resourceName)
    .map((u) => u.resourceName!);
  const networks = units.filter((u) => u.kind === "network" && u.resourceName)
    .map((u) => u.resourceName!);
  const changeId = crypto.randomUUID();
  const stagedDir = `${paths.workDir}/staged/.${deployment.name}.${
    changeId.slice(0, 8)
  }`;
  const safetyDir = `${backupsDir(context)}/.restore-${changeId.slice(0, 8)}`;
  const { previous } = prepared;
  const running = previous === null
    ? []
    : (await ops.states(previous.services)).filter((s) =>
      s.activeState === "active"
    ).map((s) => s.id);
  const intent: IntentJournal = {
    change_id: changeId,
    operation: "install",
    deployment: deployment.name,
    pid: Deno.pid,
    started_at: context.now().toISOString(),
    staged_dir: stagedDir,
    files: deployment.files.map((f) => f.path),
    unit_services: unitServices(units),
    services: startNow,
    // What does not exist yet is the restore's to remove on undo.
    volumes: [
      ...new Set([...volumes, ...record.volumes.map((v) => v.name)]),
    ].filter((v) => !prepared.host.volumes.includes(v)),
    networks: networks.filter((n) =>
      !(prepared.host.networks ?? []).includes(n)
    ),
    previous: previous === null ? null : {
      dir: `${paths.workDir}/active/${deployment.name}`,
      files: previous.files.map((f) => f.name),
      services: previous.services,
      unit_services: previous.unit_services ?? previous.services,
      running,
    },
    remove_volumes: false,
    podman_markers: await ops.readMarkers(),
  };
  const staged = await stageDeployment(deployment, {
    dir: stagedDir,
    now: context.now(),
  });
  await writeJournal(paths.stateDir, intent);
  const saved = new Map<string, SavedVolume>();
  const created: string[] = [];
  try {
    await applyDeployment(intent, ops, {
      start: false,
      signal,
      progress: (line) => progress(`${line}…`),
    });
    for (const volume of record.volumes) {
      if (signal?.aborted) throw interrupted(record);
      const info = existing.get(volume.name);
      if (info !== undefined) {
        await emptyVolume(context, {
          info,
          safetyDir,
          saved,
          signal,
          progress,
        });
      } else {
        await makeVolume(context, ops, { name: volume.name, units, progress });
        created.push(volume.name);
      }
      progress(
        `Importing the volume ${volume.name} (${formatBytes(volume.bytes)})…`,
      );
      await importVolume(volume.name, `${dir}/${volume.file}`, {
        runner: context.runner,
        signal,
      });
    }
    if (signal?.aborted) throw interrupted(record);
    await startAndWatch(ops, startNow, { ...facts.options, progress });
    await recordDeployment(deployment, {
      scope: context.scope,
      paths,
      record: staged,
      services,
      unitServices: intent.unit_services,
      volumes,
      networks,
      units: units.map((u) => u.file),
      installed: prepared.installed,
      now: context.now(),
      changeId,
      waitingForSecrets: waiting,
    });
  } catch (error) {
    if (await isRecorded(paths.stateDir, deployment.name, changeId)) {
      throw new LegerError(
        "ERR_STATE_UNWRITABLE",
        `Restored "${deployment.name}", but could not finish recording it: ${
          error instanceof Error ? error.message : String(error)
        }`,
        {
          cause: error,
          remedy:
            "Fix what the error names; the next leger command that changes deployments finishes the record",
        },
      );
    }
    // Whoever aborted it said so already (`leger backup restore`: "SIGINT:
    // undoing the restore, please wait…"): once is enough.
    if (!signal?.aborted) progress("Undoing the restore, please wait…");
    throw await undo(context, {
      error: signal?.aborted ? interrupted(record) : error,
      intent,
      ops,
      saved,
      safetyDir,
      record,
    });
  }
  await clearJournal(paths.stateDir);
  await removeFolder(stagedDir);
  await removeFolder(safetyDir);
  await Deno.remove(`${paths.workDir}/staged`).catch(() => {
    // Not empty: staged updates of other deployments stay.
  });
  return {
    id: record.id,
    deployment: deployment.name,
    files: deployment.files.map((f) => f.path),
    volumes: record.volumes.map((v) => v.name),
    created_volumes: created,
    started: startNow,
    waiting_for_secrets: waiting,
  };
}

/**
 * Saves a volume's data (the safety copy an undo imports again), then
 * removes it and makes it again as it was: `podman volume import` adds to
 * what a volume holds, and a restore must leave only the backup's data.
 */
async function emptyVolume(
  context: DeployContext,
  options: {
    info: VolumeInfo;
    safetyDir: string;
    saved: Map<string, SavedVolume>;
    signal?: AbortSignal;
    progress: (line: string) => void;
  },
): Promise<void> {
  const { info, safetyDir, saved, signal, progress } = options;
  await Deno.mkdir(safetyDir, { recursive: true, mode: 0o700 });
  const file = `${safetyDir}/${info.name}.tar`;
  progress(
    `Saving the current data of ${info.name}, to put it back if the restore fails…`,
  );
  await exportVolume(info.name, file, { runner: context.runner, signal });
  saved.set(info.name, { info, file });
  await removeVolume(info.name, context.runner);
  await createVolume(info, context.runner);
}

/** Creates a volume the backup has and the host lacks: by its unit's service, when it has one. */
async function makeVolume(
  context: DeployContext,
  ops: HostOps,
  options: {
    name: string;
    units: readonly QuadletUnit[];
    progress: (line: string) => void;
  },
): Promise<void> {
  const { name, units, progress } = options;
  const unit = units.find((u) =>
    u.kind === "volume" && u.resourceName === name
  );
  if (unit !== undefined) {
    progress(`Creating the volume ${name} (${unit.serviceName})…`);
    // restart: an active (exited) service whose volume was removed runs again.
    await ops.restart([unit.serviceName]);
    return;
  }
  progress(`Creating the volume ${name}…`);
  await createVolume(
    { name, driver: "local", options: {}, labels: {} },
    context.runner,
  );
}

/** Starts the services and fails when one does not stay active (as an install). */
async function startAndWatch(
  ops: HostOps,
  services: readonly string[],
  options: RestoreBackupOptions & { progress: (line: string) => void },
): Promise<void> {
  const {
    signal,
    settleChecks = 4,
    pause = () => new Promise((resolve) => setTimeout(resolve, 250)),
    progress,
  } = options;
  if (services.length === 0) return;
  progress(`Starting ${services.join(", ")}…`);
  const failIfDown = async (states: readonly UnitState[]) => {
    const down = states.find((s) => s.activeState !== "active");
    if (down !== undefined) throw await explainStartFailure(down.id, ops);
  };
  try {
    await ops.start(services, signal);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    await failIfDown(await ops.states(services));
    throw new LegerError(
      "ERR_SERVICE_START_FAILED",
      `Cannot start the services: systemctl exited with code ${error.code}`,
      { cause: error, details: error.stderrTail.split("\n") },
    );
  }
  progress("Checking that they stay up…");
  const states = await watchStayUp(ops, services, {
    checks: settleChecks,
    pause,
    signal,
  });
  if (signal?.aborted) return;
  await failIfDown(states);
}

/**
 * Undoes the restore: the new services stop, the volumes that existed are
 * made again from their safety copies (before anything that uses them
 * starts), then the journal's undo puts the previous units back, starts
 * what ran and removes the volumes the restore created.
 */
async function undo(
  context: DeployContext,
  facts: {
    error: unknown;
    intent: IntentJournal;
    ops: HostOps;
    saved: Map<string, SavedVolume>;
    safetyDir: string;
    record: BackupRecord;
  },
): Promise<unknown> {
  const { error, intent, ops, saved, safetyDir, record } = facts;
  const failures: { what: string; error: unknown }[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (cause) {
      failures.push({ what, error: cause });
    }
  };
  await attempt(
    "stop the restored services",
    () => ops.stop(intent.unit_services),
  );
  for (const [name, { info, file }] of saved) {
    await attempt(`put the data of ${name} back`, async () => {
      await context.runner("podman", ["volume", "rm", "--force", "--", name]);
      await createVolume(info, context.runner);
      await importVolume(name, file, { runner: context.runner });
    });
  }
  failures.push(...await undoInstall(intent, ops));
  if (failures.length === 0) {
    await clearJournal(pathsOf(context).stateDir);
    await removeFolder(intent.staged_dir!);
    await removeFolder(safetyDir);
  }
  const state = failures.length > 0
    ? [
      "leger could not undo everything:",
      ...failures.map((f) =>
        `  ${f.what}: ${
          f.error instanceof Error ? f.error.message : String(f.error)
        }`
      ),
      ...(saved.size === 0 ? [] : [
        `The volumes' data as it was before the restore is kept in ${safetyDir}: \`podman volume import NAME ${safetyDir}/NAME.tar\` puts it back.`,
      ]),
      "The next leger command that changes deployments puts the units back.",
    ]
    : intent.previous === null
    ? [
      `Undone: nothing of "${intent.deployment}" is installed${
        saved.size > 0
          ? `, and ${[...saved.keys()].join(", ")} hold${
            saved.size === 1 ? "s" : ""
          } their data as before`
          : ""
      }.`,
    ]
    : [
      `Undone: the version of "${intent.deployment}" that was installed is back, with its volumes' data${
        intent.previous.running.length > 0
          ? `, and ${intent.previous.running.join(", ")} running again`
          : ""
      }.`,
    ];
  const known = error instanceof LegerError
    ? error
    : error instanceof CommandError
    ? new LegerError(
      "ERR_RESTORE_FAILED",
      `Cannot restore "${record.deployment}" from ${record.id}: podman ${
        error.args.slice(0, 2).join(" ")
      } exited with code ${error.code}`,
      {
        cause: error,
        details: error.stderrTail.split("\n").filter((l) => l !== ""),
      },
    )
    : null;
  if (known === null) return error;
  return new LegerError(known.code, known.message, {
    cause: known.cause,
    file: known.file,
    line: known.line,
    details: [...known.details, ...state],
    remedy: known.remedy,
  });
}

function interrupted(record: BackupRecord): LegerError {
  return new LegerError(
    "ERR_INTERRUPTED",
    `Cannot finish the restore of "${record.deployment}" from ${record.id}: it was interrupted`,
    { remedy: `Run \`leger backup restore ${record.id}\` again to restore it` },
  );
}

async function removeFolder(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {
    // Already gone.
  });
}
