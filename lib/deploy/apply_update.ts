import { CommandError } from "../adapters/command_error.ts";
import type { HostOps } from "../adapters/host_ops.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import { LegerError } from "../errors/mod.ts";
import type { IntentJournal } from "../state/intent_journal.ts";
import { explainStartFailure } from "./explain_start_failure.ts";
import { watchStayUp } from "./watch_stay_up.ts";

/** Options for {@linkcode applyUpdate}. */
export interface ApplyUpdateOptions {
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP: the next step is not taken, a
   * restart in flight stops waiting, and the caller undoes the update.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * The Podman networks of the units the update drops: removed once their
   * services stopped (networks hold no data; a volume is kept).
   *
   * @default {[]}
   */
  removeNetworks?: readonly string[];
  /**
   * How many times to check, after the restarts and starts returned, that
   * every service restarted or started stays active.
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
  /** Progress lines, for stderr. */
  progress?: (line: string) => void;
}

const UNIT_FILE_REGEXP =
  /(^|\/)[^/]+\.(container|volume|network|pod|kube|image|build|artifact)$/;

/**
 * Stage 8 of an update: applies it as its intent journal (`operation:
 * "update"`) describes it, touching only what changed — the dropped units'
 * services stopped and their files removed one by one (never `podman quadlet
 * rm`, which on Podman 5.6–5.8 removes every unit installed with them, and
 * not `install --replace`, which never removes a file), the changed files
 * written over the installed ones, the added ones installed the native
 * Podman way, then the changed services restarted and the added ones
 * started, and all of those watched for a second. Services of unchanged
 * units are never named to systemd. It only goes forward: when it throws,
 * the caller undoes the update with {@linkcode undoUpdate}.
 *
 * @param intent The journal of the update (written before this is called).
 * @param ops The host.
 * @param options Signal, networks to remove, settle checks, progress.
 * @throws {LegerError} `ERR_PODMAN_INSTALL_FAILED`,
 * `ERR_SERVICE_START_FAILED` (with the failing unit's last journal lines)
 * or `ERR_INTERRUPTED`.
 *
 * @example Usage
 * ```ts ignore
 * import { applyUpdate } from "./apply_update.ts";
 * await applyUpdate(intent, ops, { signal });
 * ```
 */
export async function applyUpdate(
  intent: IntentJournal,
  ops: HostOps,
  options: ApplyUpdateOptions = {},
): Promise<void> {
  const {
    signal,
    removeNetworks = [],
    settleChecks = 4,
    pause = () => new Promise((resolve) => setTimeout(resolve, 250)),
    progress = () => {},
  } = options;
  const update = intent.update!;
  const previous = new Set(intent.previous?.files ?? []);
  const dir = intent.staged_dir!;
  const step = async (what: string, action: () => Promise<void>) => {
    if (signal?.aborted) throw interrupted();
    progress(what);
    await action();
  };
  const changed = update.written.filter((file) => previous.has(file));
  const added = update.written.filter((file) => !previous.has(file));
  try {
    if (update.stopped.length > 0) {
      await step(
        `Stopping ${update.stopped.join(", ")}`,
        () => ops.stop(update.stopped),
      );
    }
    if (update.removed.length > 0) {
      await step(
        `Removing what the new version drops: ${update.removed.join(", ")}`,
        () => ops.removeFiles(update.removed),
      );
    }
    if (removeNetworks.length > 0) {
      await step(
        `Removing the networks ${removeNetworks.join(", ")}`,
        () => ops.removeNetworks(removeNetworks),
      );
    }
    if (changed.length > 0) {
      // Copied over the installed files: Podman 5.6 has no --replace, and
      // 5.8 refuses a list that starts with a file that is no unit.
      await step(
        `Writing what changed: ${changed.join(", ")}`,
        () => ops.restoreFiles(dir, changed),
      );
    }
    if (added.length > 0) {
      await step(
        `Installing what the new version adds: ${added.join(", ")}`,
        () =>
          added.some((file) => UNIT_FILE_REGEXP.test(file))
            ? install(ops, dir, added)
            : ops.restoreFiles(dir, added),
      );
    }
    const watched = [...update.restarted, ...update.started];
    if (update.restarted.length > 0) {
      await step(
        `Restarting ${update.restarted.join(", ")}`,
        () =>
          orExplain(
            ops,
            update.restarted,
            () => ops.restart(update.restarted, signal),
          ),
      );
    }
    if (update.started.length > 0) {
      await step(
        `Starting ${update.started.join(", ")}`,
        () =>
          orExplain(
            ops,
            update.started,
            () => ops.start(update.started, signal),
          ),
      );
    }
    if (watched.length === 0) return;
    progress("Checking that they stay up");
    const states = await watchStayUp(ops, watched, {
      checks: settleChecks,
      pause,
      signal,
    });
    if (signal?.aborted) throw interrupted();
    await failIfNotActive(ops, states);
  } catch (error) {
    // A signal also ends the processes in flight (Ctrl-C reaches the whole
    // process group): whatever they reported, the cause is the signal.
    throw signal?.aborted ? interrupted() : error;
  }
}

/**
 * Undoes an update as its intent journal describes it, whatever part of it
 * was done: stops the services of the units it added and removes their
 * files, puts the previous version's files back where it wrote or removed
 * one, restarts the services it restarted or stopped that were running
 * before (and stops those of them that were not), clears failed units, and
 * removes the volumes and networks its added units created. The services it
 * did not touch are not named to systemd. Every step is idempotent and runs
 * even when an earlier one fails, so that the undo can run again after a
 * crash.
 *
 * @param intent The journal of the update.
 * @param ops The host.
 * @returns The steps that failed, with their errors (empty when the host is
 * as before).
 *
 * @example Usage
 * ```ts ignore
 * import { undoUpdate } from "./apply_update.ts";
 * const failures = await undoUpdate(intent, ops);
 * ```
 */
export async function undoUpdate(
  intent: IntentJournal,
  ops: HostOps,
): Promise<{ what: string; error: unknown }[]> {
  const update = intent.update!;
  const previous = intent.previous!;
  const kept = new Set(previous.files);
  const running = new Set(previous.running);
  const touched = [...new Set([...update.restarted, ...update.stopped])];
  const steps: [string, () => Promise<void>][] = [
    ["stop the added services", () => ops.stop(update.added_services)],
    [
      "remove the added files",
      () => ops.removeFiles(update.written.filter((file) => !kept.has(file))),
    ],
    [
      "put the previous files back",
      () =>
        ops.restoreFiles(previous.dir, [
          ...update.written.filter((file) => kept.has(file)),
          ...update.removed,
        ]),
    ],
  ];
  const markers = intent.podman_markers;
  if (markers !== undefined) {
    steps.push([
      "put Podman's application markers back",
      () => ops.restoreMarkers(markers),
    ]);
  }
  steps.push(
    [
      "stop what did not run before",
      () => ops.stop(touched.filter((s) => !running.has(s))),
    ],
    [
      "restart the previous services",
      () => ops.restart(touched.filter((s) => running.has(s))),
    ],
    [
      "clear the failed units",
      () => ops.resetFailed([...update.added_services, ...touched]),
    ],
    ["remove the volumes it created", () => ops.removeVolumes(intent.volumes)],
    [
      "remove the networks it created",
      () => ops.removeNetworks(intent.networks),
    ],
  );
  const failures: { what: string; error: unknown }[] = [];
  for (const [what, action] of steps) {
    try {
      await action();
    } catch (error) {
      failures.push({ what, error });
    }
  }
  return failures;
}

async function install(
  ops: HostOps,
  dir: string,
  files: readonly string[],
): Promise<void> {
  try {
    await ops.installFiles(dir, files, false);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    throw new LegerError(
      "ERR_PODMAN_INSTALL_FAILED",
      `Cannot install the units the update adds: ${error.bin} exited with code ${error.code}`,
      {
        cause: error,
        details: error.stderrTail.split("\n").filter((line) => line !== ""),
        remedy:
          "Check the units with `leger validate`, fix what Podman names, then update again",
      },
    );
  }
}

/** Runs a start or restart; when systemctl fails, finds which service failed, and why. */
async function orExplain(
  ops: HostOps,
  services: readonly string[],
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    await failIfNotActive(ops, await ops.states(services));
    throw new LegerError(
      "ERR_SERVICE_START_FAILED",
      `Cannot start the services: systemctl exited with code ${error.code}`,
      {
        cause: error,
        details: error.stderrTail.split("\n").filter((line) => line !== ""),
      },
    );
  }
}

/** A service that is not (or no longer) active fails the update, with its journal. */
async function failIfNotActive(
  ops: HostOps,
  states: readonly UnitState[],
): Promise<void> {
  const down = states.find((state) => state.activeState !== "active");
  if (down === undefined) return;
  throw await explainStartFailure(down.id, ops, { retry: "update again" });
}

function interrupted(): LegerError {
  return new LegerError(
    "ERR_INTERRUPTED",
    "Cannot finish the update: it was interrupted",
    { remedy: "Run the command again to update" },
  );
}
