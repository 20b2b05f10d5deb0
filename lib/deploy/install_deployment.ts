import type { HostOps } from "../adapters/host_ops.ts";
import { LegerError } from "../errors/mod.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { checkWritable } from "../state/check_writable.ts";
import {
  clearJournal,
  type IntentJournal,
  writeJournal,
} from "../state/intent_journal.ts";
import { applyDeployment, undoInstall } from "./apply_deployment.ts";
import { imagesToPull } from "./images_to_pull.ts";
import { pullImages } from "./pull_images.ts";
import { type DeployContext, hostOf, pathsOf } from "./context.ts";
import type { PreparedInstall } from "./prepare_install.ts";
import { recordDeployment } from "./record_deployment.ts";
import { stageDeployment } from "./stage_deployment.ts";
import {
  type MissingSecretsSync,
  syncMissingSecrets,
} from "./sync_missing_secrets.ts";
import { servicesToStart } from "./unit_roles.ts";
import { unitServices } from "./unit_services.ts";
import {
  createdResources,
  isRecorded,
  removeStaged,
} from "./_change_bookkeeping.ts";
import { waitingForSecrets } from "./waiting_for_secrets.ts";

/** Options for {@linkcode installDeployment}. */
export interface InstallDeploymentOptions {
  /**
   * Start the services after installing the units.
   *
   * @default {true}
   */
  start?: boolean;
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP: the change is undone.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Pull the images the units name first (`--no-pull` clears it).
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
   * Waits between two checks that the started services stay up (see
   * `pause` of {@linkcode applyDeployment}).
   *
   * @default {250 ms}
   */
  pause?: () => Promise<void>;
}

/** What {@linkcode installDeployment} did. */
export interface InstallResult {
  /** The services started. */
  started: string[];
  /**
   * Services left stopped until their secrets exist in Podman; recorded in
   * `deployments.yaml` (`waiting_for_secrets`) for legerd to start.
   */
  waitingForSecrets: string[];
  /** What legerd did for the secrets Podman lacked, and what still lacks. */
  secrets: MissingSecretsSync;
}

/**
 * Stages 6 to 9 of an install, after {@linkcode checkInstallable} and the
 * user's confirmation, under the deploy lock:
 *
 * 1. pulls the images the units name ({@linkcode pullImages}), so that a
 *    wrong or unreachable image stops the install with the host untouched;
 * 2. checks that leger's folders are writable and have room, and, when
 *    Podman lacks secrets the units use, asks legerd to create them from
 *    leger.run ({@linkcode syncMissingSecrets}); the units whose secrets
 *    are still missing are installed but not started, and recorded as
 *    waiting for them, for legerd to start;
 * 3. stages the files in a temporary folder;
 * 4. writes the intent journal (what the install may create or change);
 * 5. applies it (units installed the native Podman way, services started
 *    and watched);
 * 6. records it (`deployments.yaml`, `active/<name>/`), then clears the
 *    journal and the temporary folder.
 *
 * Any failure or signal after step 4 undoes the install from the journal
 * ({@linkcode undoInstall}): the host is as before, with the previous
 * version's running services running again. A crash leaves the journal, and
 * the next leger that takes the lock finishes the undo
 * ({@linkcode finishInterruptedChange}).
 *
 * Requires `--allow-read`, `--allow-write` for leger's and Podman's folders
 * and `--allow-run=podman,systemctl,journalctl`.
 *
 * @param prepared What {@linkcode prepareInstall} decided.
 * @param context The scope, its folders, the runner and host facts.
 * @param options Whether to start, and the signal that undoes.
 * @returns The services started and those waiting for secrets.
 * @throws {LegerError} `ERR_IMAGE_PULL_FAILED` or `ERR_STATE_UNWRITABLE`
 * before any change;
 * `ERR_PODMAN_INSTALL_FAILED`, `ERR_SERVICE_START_FAILED` or
 * `ERR_INTERRUPTED` after undoing the change, saying what state the host is
 * in; what `detectSupport` throws when the host cannot run quadlets.
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
  const ops = await hostOf(context);
  if (options.pull ?? true) {
    await pullImages(imagesToPull(prepared.units), context, {
      signal,
      terminal: options.terminal ?? false,
    });
  }
  const size = deployment.files.reduce((sum, f) => sum + f.bytes.length, 0);
  await checkWritable([paths.stateDir, paths.workDir], {
    bytes: 2 * size + (1 << 20),
  });
  const services = servicesToStart(units);
  const resources = resourcesOf(units);
  // legerd creates what leger.run has before anything starts.
  const secrets = await syncMissingSecrets(
    start ? missingSecrets : [],
    context,
  );
  const stillMissing = start ? secrets.missing : missingSecrets;
  // A container whose secret is not in Podman yet cannot start: install it,
  // and leave its start to legerd when the secret arrives.
  const waiting = waitingForSecrets(units, stillMissing);
  const startNow = services.filter((service) => !waiting.includes(service));
  if (start && waiting.length > 0) {
    context.progress(
      `Not starting ${waiting.join(", ")} until the secrets ${
        waiting.length === 1 ? "it needs exist" : "they need exist"
      }`,
    );
  }
  const changeId = crypto.randomUUID();
  const stagedDir = `${paths.workDir}/staged/.${deployment.name}.${
    changeId.slice(0, 8)
  }`;
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
    unit_services: resources.unitServices,
    services: startNow,
    // Only what does not exist yet is the install's to remove on undo.
    volumes: resources.volumes.filter((v) =>
      !prepared.host.volumes.includes(v)
    ),
    networks: resources.networks.filter((n) =>
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
  context.progress("Staging the files…");
  const record = await stageDeployment(deployment, {
    dir: stagedDir,
    now: context.now(),
  }).catch(async (error) => {
    await removeStaged(stagedDir);
    throw error;
  });
  await writeJournal(paths.stateDir, intent);
  try {
    await applyDeployment(intent, ops, {
      start,
      signal,
      pause: options.pause,
      progress: (line) => context.progress(`${line}…`),
    });
    await recordDeployment(deployment, {
      scope: context.scope,
      paths,
      record,
      services,
      ...resources,
      units: units.map((u) => u.file),
      installed,
      now: context.now(),
      changeId,
      waitingForSecrets: start ? waiting : [],
    });
  } catch (error) {
    if (await isRecorded(paths.stateDir, deployment.name, changeId)) {
      // deployments.yaml names this change: it is installed. What was left
      // of the bookkeeping is finished by the next leger (the journal stays).
      throw new LegerError(
        "ERR_STATE_UNWRITABLE",
        `Installed "${deployment.name}", but could not finish recording it: ${
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
    if (!signal?.aborted) context.progress("Undoing the changes, please wait…");
    throw await undo(intent, ops, { error, context });
  }
  await clearJournal(paths.stateDir);
  await removeStaged(stagedDir);
  return {
    started: start ? startNow : [],
    waitingForSecrets: waiting,
    secrets,
  };
}

/**
 * Undoes the install and says what state the host is in; the journal and the
 * staged copy go only when the undo is complete (else the next leger finishes
 * it).
 */
async function undo(
  intent: IntentJournal,
  ops: HostOps,
  options: { error: unknown; context: DeployContext },
): Promise<unknown> {
  const { error, context } = options;
  const failures = await undoInstall(intent, ops);
  if (failures.length === 0) {
    await clearJournal(pathsOf(context).stateDir);
    await removeStaged(intent.staged_dir!);
  }
  if (!(error instanceof LegerError)) return error;
  const state = failures.length > 0
    ? [
      "leger could not undo everything:",
      ...failures.map((f) =>
        `  ${f.what}: ${
          f.error instanceof Error ? f.error.message : String(f.error)
        }`
      ),
      "The next leger command that changes deployments tries again.",
    ]
    : intent.previous === null
    ? [`Undone: nothing of "${intent.deployment}" is installed.`]
    : [
      `Undone: the previous version of "${intent.deployment}" is installed${
        intent.previous.running.length > 0
          ? ` and ${intent.previous.running.join(", ")} running again`
          : ""
      }.`,
    ];
  return new LegerError(error.code, error.message, {
    cause: error.cause,
    file: error.file,
    line: error.line,
    details: [...error.details, ...state],
    remedy: error.remedy,
  });
}

/** The services of all units, and the volumes and networks they create. */
function resourcesOf(units: readonly QuadletUnit[]) {
  return { unitServices: unitServices(units), ...createdResources(units) };
}
