import { createHash } from "node:crypto";
import { CommandError } from "../adapters/command_error.ts";
import { type HostOps, hostOps } from "../adapters/host_ops.ts";
import { exportVolume, listVolumeInfos } from "../adapters/podman_volumes.ts";
import { fromSystemError } from "../errors/from_system_error.ts";
import { LegerError } from "../errors/mod.ts";
import { chooseDeployment } from "../state/choose_deployment.ts";
import { unwritable } from "../state/check_writable.ts";
import { readDeploymentFolder } from "../state/deployment_folder.ts";
import { readDeployments } from "../state/deployments_file.ts";
import { readManifests } from "../state/manifests_file.ts";
import { legerPaths } from "../state/paths.ts";
import { writeFileAtomic } from "../state/write_file_atomic.ts";
import { newBackupId } from "./_backup_id.ts";
import { checkFreeSpace } from "./check_free_space.ts";
import { BACKUP_FORMAT, RECORD_FILE } from "./_parse_backup_record.ts";
import { sha256WhileWritten } from "./_sha256_file.ts";
import { volumeSize } from "./volume_size.ts";
import { type VolumeUser, volumeUsers } from "./_volume_users.ts";
import { loadUnits } from "../quadlet/load_units.ts";
import { backupsDir } from "./backups_dir.ts";
import { formatBytes } from "./format_bytes.ts";
import { pruneBackups } from "./prune_backups.ts";
import { readBackupConfig } from "./read_backup_config.ts";
import type {
  BackupContext,
  BackupFile,
  BackupRecord,
  BackupType,
  BackupVolume,
} from "./types.ts";

/** Options for {@linkcode createBackup}. */
export interface CreateBackupOptions {
  /**
   * `manual` (kept until removed by hand) or `auto` (taken before an
   * update; only the last `keep` of the deployment are kept).
   */
  type: BackupType;
  /**
   * Export the volumes with the services running, for no downtime at the
   * price of a copy that may be inconsistent (a database mid-write).
   *
   * @default {false}
   */
  live?: boolean;
  /**
   * Start the services stopped for the copy again once it is taken. `false`
   * when the deployment is removed next (`leger deploy remove
   * --backup-volumes`), which stops them anyway: they then stay stopped. A
   * backup that fails or is interrupted starts them again all the same, and
   * changes nothing.
   *
   * @default {true}
   */
  startAgain?: boolean;
  /**
   * Export the deployment's volumes; without them a backup holds its files
   * only.
   *
   * @default {true}
   */
  volumes?: boolean;
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP: the export stops, nothing of the
   * backup is kept, and the services stopped for it start again.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Progress lines (stopped and started services, each volume's export).
   *
   * @default {context.progress}
   */
  progress?: (line: string) => void;
  /**
   * For an `auto` backup, how many automatic backups of the deployment to
   * keep, this one included (always at least this one: `backups.keep: 0`
   * tells `leger deploy update` to take none, which it checks first).
   *
   * @default {`backups.keep` of leger's config file, else 5}
   */
  keep?: number;
}

/** Volume archives larger than this say how far the export is, every so often. */
const PROGRESS_STEP = 256 << 20;

/**
 * Backs up an installed deployment: its files as leger installed them
 * (units, drop-ins, the files they name: the recorded `active/<name>/`
 * copy), its manifest, and every volume of its `.volume` units exported with
 * `podman volume export`, into `backups/<id>/` with a record
 * (`backup.json`) of each file's size and SHA-256.
 *
 * Unless `live`, the running services that use one of the volumes are
 * stopped for the export, so that the copy is consistent — those whose
 * units mount one (a container's or a pod's `Volume=`/`Mount=`, a kube's
 * claim), and those that go down with them (`Requires=`, `BindsTo=`, a
 * pod's containers…), each named with why in a progress line; the others
 * keep running. They are started again afterwards (unless `startAgain` is
 * `false` and the backup succeeded). Podman writes each
 * archive straight to the disk; leger reads it as it grows to take its
 * checksum, in chunks, so memory does not grow with the volume. Everything is
 * written into a hidden folder (`backups/.create-<id>/`) renamed into place
 * at the end: a backup that fails or is interrupted leaves nothing. The disk
 * is checked for room first. An `auto` backup then removes the
 * deployment's older automatic backups beyond `keep`.
 *
 * Call it under the deploy lock (`lockScope`), as the CLI and `leger deploy
 * update` do: it stops and starts services.
 *
 * Requires `--allow-read`, `--allow-write` for leger's folders,
 * `--allow-sys=statfs` and `--allow-run=podman,systemctl`.
 *
 * @param context The scope, its environment, the runner, the clock and the
 * progress sink (a `DeployContext` is one).
 * @param deployment The installed deployment to back up.
 * @param options Its type, `live`, `volumes`, the signal and progress.
 * @returns The backup's record, as written.
 * @throws {LegerError} `ERR_DEPLOYMENT_NOT_FOUND`; `ERR_STATE_INVALID` when
 * leger kept no copy of its files; `ERR_STATE_UNWRITABLE` when the disk has
 * no room (before anything is stopped) or fills up; `ERR_BACKUP_FAILED`
 * when Podman cannot export a volume; `ERR_INTERRUPTED` when `signal`
 * aborts it; `ERR_CONFIG_INVALID` for a bad `backups.keep`;
 * `ERR_SERVICE_START_FAILED` when a service stopped for the copy does not
 * start again (the backup is kept).
 *
 * @example Usage
 * ```ts ignore
 * import { createBackup } from "@leger/leger/backup";
 * const backup = await createBackup(context, "web", { type: "manual" });
 * console.log(backup.id, backup.size_bytes);
 * ```
 */
export async function createBackup(
  context: BackupContext,
  deployment: string,
  options: CreateBackupOptions,
): Promise<BackupRecord> {
  const {
    type,
    live = false,
    startAgain = true,
    volumes: withVolumes = true,
    signal,
    progress = (line: string) => context.progress(line),
  } = options;
  const paths = legerPaths(context.scope, context);
  const installed = await readDeployments(paths.stateDir);
  const name = chooseDeployment(
    deployment,
    installed.map((d) => d.name),
    "installed",
    { scope: context.scope },
  );
  const entry = installed.find((d) => d.name === name)!;
  // Read first: a bad config stops the backup before anything is stopped.
  const keep = type === "auto"
    ? options.keep ?? (await readBackupConfig(context)).keep
    : 0;
  const active = await readDeploymentFolder(`${paths.workDir}/active/${name}`);
  if (active === null) {
    throw new LegerError(
      "ERR_STATE_INVALID",
      `Cannot back up "${name}": leger kept no copy of its files (${paths.workDir}/active/${name})`,
      {
        remedy:
          `Install it again with \`leger deploy install ${name} --source …\` (its volumes are kept), then back it up`,
      },
    );
  }
  const manifest = (await readManifests(paths.stateDir))[name] ?? null;
  const root = backupsDir(context);
  await removeLeftovers(root);
  const present = new Map(
    (await listVolumeInfos(context.runner)).map((info) => [info.name, info]),
  );
  const volumes = withVolumes
    ? entry.volumes.filter((v) => present.has(v))
    : [];
  for (const missing of entry.volumes.filter((v) => !present.has(v))) {
    if (withVolumes) {
      progress(`The volume ${missing} does not exist (yet): nothing to copy`);
    }
  }
  const infos = volumes.map((v) => present.get(v)!);
  let estimate = [...active.files.values()].reduce((n, b) => n + b.length, 0);
  for (const info of infos) estimate += await volumeSize(info.mountpoint);
  await checkFreeSpace(root, estimate, { what: `back up "${name}"` });
  await Deno.chmod(root, 0o700);

  const id = newBackupId(name, context.now());
  const temp = `${root}/.create-${id}`;
  // Only systemctl's operations are used: how units are installed does not matter.
  const ops = hostOps({
    scope: context.scope,
    quadletDir: paths.quadletDir,
    quadletCommand: true,
    replace: true,
    runner: context.runner,
  });
  const stopped: string[] = [];
  let record: BackupRecord | undefined;
  let failure: unknown = null;
  try {
    signal?.throwIfAborted();
    await Deno.mkdir(`${temp}/files`, { recursive: true, mode: 0o700 });
    const files = await writeFiles(temp, active);
    const manifestSha256 = manifest === null ? null : await writeSmall(
      temp,
      "manifest.json",
      JSON.stringify({ deployments: { [name]: manifest } }, null, 2) + "\n",
    );
    if (volumes.length > 0 && !live) {
      const users = await volumeUsers(
        loadUnits(
          [...active.files].map(([path, bytes]) => ({ path, bytes })),
          { unitDir: paths.quadletDir },
        ),
        {
          volumes,
          running: await runningServices(ops, entry),
          files: active.files,
        },
      );
      if (users.length > 0) {
        progress(
          `Stopping ${
            listed(users.map(describeUser))
          } for a consistent copy (--live copies the volumes running)…`,
        );
        stopped.push(...users.map((u) => u.service));
        await ops.stop(stopped);
      }
    } else if (volumes.length > 0) {
      progress(
        "Copying the volumes with the services running (--live): the copy may be inconsistent",
      );
    }
    const exported: BackupVolume[] = [];
    if (volumes.length > 0) {
      await Deno.mkdir(`${temp}/volumes`, { mode: 0o700 });
    }
    for (const volume of volumes) {
      signal?.throwIfAborted();
      exported.push(
        await exportOne(context, volume, temp, { signal, progress }),
      );
    }
    // A signal during the last export: nothing is kept either.
    signal?.throwIfAborted();
    record = {
      id,
      deployment: name,
      scope: context.scope,
      created_at: context.now().toISOString(),
      type,
      size_bytes: [...files, ...exported].reduce((n, f) => n + f.bytes, 0),
      source: entry.source,
      installed_at: entry.installed_at,
      files,
      volumes: exported,
      live: live && volumes.length > 0,
      stopped_services: [...stopped],
      normalisations: active.record.normalisations,
      manifest_sha256: manifestSha256,
    };
    await writeFileAtomic(
      `${temp}/${RECORD_FILE}`,
      new TextEncoder().encode(
        JSON.stringify({ format: BACKUP_FORMAT, ...record }, null, 2) + "\n",
      ),
      { mode: 0o600 },
    );
    await Deno.rename(temp, `${root}/${id}`);
  } catch (error) {
    failure = error;
    await Deno.remove(temp, { recursive: true }).catch(() => {
      // Never created.
    });
  }
  // Before a removal, what was stopped stays stopped, unless the backup failed.
  const restartFailure = startAgain || failure !== null
    ? await start(ops, stopped, progress)
    : null;
  if (failure !== null) {
    throw explain(failure, {
      name,
      root,
      aborted: signal?.aborted ?? false,
      stopped,
      restartFailure,
    });
  }
  if (restartFailure !== null) {
    throw new LegerError(
      "ERR_SERVICE_START_FAILED",
      `Backed up "${name}" as ${id}, but cannot start ${
        stopped.join(", ")
      } again: ${messageOf(restartFailure)}`,
      {
        cause: restartFailure,
        remedy: `Start them with \`leger service start ${
          stopped[0].replace(/\.service$/, "")
        }\` and read why they fail with \`leger service logs\``,
      },
    );
  }
  // `keep: 0` means updates take none; one taken all the same stays, alone.
  if (type === "auto") {
    await pruneBackups({ ...context, progress }, name, Math.max(keep, 1));
  }
  return record!;
}

/** Copies the recorded files into `files/`, checking them against their record. */
async function writeFiles(
  temp: string,
  active: NonNullable<Awaited<ReturnType<typeof readDeploymentFolder>>>,
): Promise<BackupFile[]> {
  const recorded = new Map(active.record.files.map((f) => [f.name, f.sha256]));
  const files: BackupFile[] = [];
  for (
    const [path, bytes] of [...active.files].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    )
  ) {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (recorded.get(path) !== sha256) {
      throw new LegerError(
        "ERR_STATE_INVALID",
        `Cannot back up "${active.record.deployment}": leger's copy of ${path} does not match the checksum it recorded`,
        {
          remedy:
            "Install the deployment again (`leger deploy install`), which records its files anew, then back it up",
        },
      );
    }
    const target = `${temp}/files/${path}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), {
      recursive: true,
    });
    await Deno.writeFile(target, bytes, { mode: 0o600 });
    files.push({ path, sha256, bytes: bytes.length });
  }
  return files;
}

async function writeSmall(
  temp: string,
  path: string,
  text: string,
): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  await Deno.writeFile(`${temp}/${path}`, bytes, { mode: 0o600 });
  return createHash("sha256").update(bytes).digest("hex");
}

/** The services of the deployment that run now (instances of its templates included). */
async function runningServices(
  ops: HostOps,
  entry: { services: string[]; files: { name: string }[] },
): Promise<string[]> {
  const patterns = entry.files.flatMap(({ name }) => {
    const match = /^([^/]+@)\.(container|pod|kube)$/.exec(name);
    return match === null ? [] : [`${match[1]}*.service`];
  });
  const candidates = [
    ...new Set([...entry.services, ...await ops.loadedInstances(patterns)]),
  ];
  return (await ops.states(candidates)).filter((s) =>
    s.activeState === "active"
  ).map((s) => s.id);
}

/** A service stopped for the copy, with why: `web.service (uses systemd-web-data)`. */
function describeUser(user: VolumeUser): string {
  if (user.requires !== null) {
    return `${user.service} (requires ${user.requires})`;
  }
  if (user.uses.length === 0) return user.service;
  return `${user.service} (uses ${user.uses.join(", ")})`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Exports one volume into `volumes/<name>.tar`, its checksum taken as Podman writes it. */
async function exportOne(
  context: BackupContext,
  volume: string,
  temp: string,
  options: { signal?: AbortSignal; progress: (line: string) => void },
): Promise<BackupVolume> {
  const { signal, progress } = options;
  const file = `volumes/${volume}.tar`;
  const path = `${temp}/${file}`;
  progress(`Exporting the volume ${volume}…`);
  let said = 0;
  const writing = exportVolume(volume, path, {
    runner: context.runner,
    signal,
  });
  const digest = await sha256WhileWritten(path, writing, {
    onBytes: (bytes) => {
      if (bytes - said < PROGRESS_STEP) return;
      said = bytes;
      progress(`Exporting the volume ${volume}: ${formatBytes(bytes)} so far…`);
    },
  });
  await Deno.chmod(path, 0o600);
  progress(`Exported the volume ${volume} (${formatBytes(digest.bytes)})`);
  return { name: volume, file, sha256: digest.sha256, bytes: digest.bytes };
}

/** Starts what was stopped; the error when that fails, else `null`. */
async function start(
  ops: HostOps,
  stopped: readonly string[],
  progress: (line: string) => void,
): Promise<unknown> {
  if (stopped.length === 0) return null;
  progress(`Starting ${stopped.join(", ")} again…`);
  try {
    // leger stopped them: systemd's start rate limit (5 starts in 10 s by
    // default) is for crash loops, not for backups taken one after another.
    await ops.resetFailed(stopped);
    await ops.start(stopped);
    return null;
  } catch (error) {
    return error;
  }
}

/** The error a failed backup reports, saying what state the services are in. */
function explain(
  failure: unknown,
  facts: {
    name: string;
    root: string;
    aborted: boolean;
    stopped: readonly string[];
    restartFailure: unknown;
  },
): unknown {
  const { name, root, aborted, stopped, restartFailure } = facts;
  const state = [
    "Nothing of the backup was kept.",
    ...(stopped.length === 0 ? [] : restartFailure === null
      ? [
        `${stopped.join(", ")} ${
          stopped.length === 1 ? "is" : "are"
        } running again.`,
      ]
      : [
        `${stopped.join(", ")} did not start again: ${
          messageOf(restartFailure)
        }`,
      ]),
  ];
  if (aborted) {
    return new LegerError(
      "ERR_INTERRUPTED",
      `Cannot finish the backup of "${name}": it was interrupted`,
      { details: state, remedy: "Run the command again to back it up" },
    );
  }
  if (failure instanceof CommandError) {
    const stderr = failure.stderrTail;
    if (/no space left on device|disk quota exceeded/i.test(stderr)) {
      const full = unwritable(root, new Error(stderr));
      return new LegerError(full.code, full.message, {
        cause: failure,
        details: state,
        remedy: full.remedy,
      });
    }
    return new LegerError(
      "ERR_BACKUP_FAILED",
      `Cannot back up "${name}": podman ${
        failure.args.slice(0, 2).join(" ")
      } exited with code ${failure.code}`,
      {
        cause: failure,
        details: [...stderr.split("\n").filter((l) => l !== ""), ...state],
      },
    );
  }
  const system = fromSystemError(failure, { path: root, write: true });
  const known = system ?? (failure instanceof LegerError ? failure : null);
  if (known === null) return failure;
  return new LegerError(known.code, known.message, {
    cause: known.cause,
    file: known.file,
    line: known.line,
    details: [...known.details, ...state],
    remedy: known.remedy,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes what backups cut short by a crash left (`.create-*`, `.prune-*`). */
async function removeLeftovers(root: string): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(root));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw fromSystemError(error, { action: "list", path: root }) ?? error;
  }
  for (const entry of entries) {
    if (/^\.(create|prune)-/.test(entry.name)) {
      await Deno.remove(`${root}/${entry.name}`, { recursive: true });
    }
  }
}
