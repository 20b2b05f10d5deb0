import { CommandError } from "../adapters/command_error.ts";
import type { HostOps } from "../adapters/host_ops.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import { LegerError } from "../errors/mod.ts";
import type { IntentJournal } from "../state/intent_journal.ts";
import { explainStartFailure } from "./explain_start_failure.ts";
import { watchStayUp } from "./watch_stay_up.ts";

/** Options for {@linkcode applyDeployment}. */
export interface ApplyDeploymentOptions {
  /** Start the services after installing the units. */
  start: boolean;
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP: the next step is not taken, a
   * start in flight stops waiting, and the caller undoes the change.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * How many times to check, after `systemctl start` returned, that every
   * service stays active (a container that exits right after starting fails
   * a moment later): with the default pause, a service must stay up for a
   * second.
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

/**
 * Stage 7 of a deploy: applies an install as its intent journal describes it
 * — the new version's units installed (over the previous version's where
 * the host can replace files, else after removing them), the units the new
 * version drops removed, its services started and watched for a second.
 * It only goes forward: when it throws, the caller undoes the change with
 * {@linkcode undoInstall}, from the same journal.
 *
 * @param intent The journal of the install (written before this is called).
 * @param ops The host.
 * @param options Start, signal, settle checks, progress.
 * @throws {LegerError} `ERR_PODMAN_INSTALL_FAILED`, `ERR_SERVICE_START_FAILED`
 * (with the failing unit's last journal lines) or `ERR_INTERRUPTED`.
 *
 * @example Usage
 * ```ts ignore
 * import { applyDeployment } from "./apply_deployment.ts";
 * await applyDeployment(intent, ops, { start: true, signal });
 * ```
 */
export async function applyDeployment(
  intent: IntentJournal,
  ops: HostOps,
  options: ApplyDeploymentOptions,
): Promise<void> {
  const {
    start,
    signal,
    settleChecks = 4,
    pause = () => new Promise((resolve) => setTimeout(resolve, 250)),
    progress = () => {},
  } = options;
  const step = async <T>(what: string, action: () => Promise<T>) => {
    if (signal?.aborted) throw interrupted();
    progress(what);
    return await action();
  };
  const dir = intent.staged_dir!;
  const { files, services, previous } = intent;
  try {
    if (previous === null) {
      await step("Installing the units", () => install(ops, dir, files, false));
    } else if (ops.canReplace) {
      await step(
        "Stopping the installed version",
        () => ops.stop(previous.services),
      );
      await step(
        "Installing the units over the installed version",
        () => install(ops, dir, files, true),
      );
      const dropped = previous.files.filter((file) => !files.includes(file));
      if (dropped.length > 0) {
        await step(
          `Removing what the new version drops: ${dropped.join(", ")}`,
          () => ops.removeFiles(dropped),
        );
      }
    } else {
      await step(
        "Stopping the installed version",
        () => ops.stop(previous.services),
      );
      await step(
        "Removing the installed version's units",
        () => ops.removeFiles(previous.files),
      );
      await step("Installing the units", () => install(ops, dir, files, false));
    }
    if (!start || services.length === 0) return;
    await step(
      `Starting ${services.join(", ")}`,
      () => startOrFail(ops, services, signal),
    );
    progress("Checking that they stay up");
    const states = await watchStayUp(ops, services, {
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
 * Undoes an install as its intent journal describes it, whatever part of it
 * was done: stops the new services, removes the new version's units,
 * reinstalls the previous version's files and starts its services that were
 * running, clears failed units, and removes the volumes and networks the
 * install created. Every step is idempotent and runs even when an earlier
 * one fails, so that the undo can run again after a crash.
 *
 * @param intent The journal of the install.
 * @param ops The host.
 * @returns The steps that failed, with their errors (empty when the host is
 * as before).
 *
 * @example Usage
 * ```ts ignore
 * import { undoInstall } from "./apply_deployment.ts";
 * const failures = await undoInstall(intent, ops);
 * ```
 */
export async function undoInstall(
  intent: IntentJournal,
  ops: HostOps,
): Promise<{ what: string; error: unknown }[]> {
  const { previous } = intent;
  const kept = new Set(previous?.files ?? []);
  const steps: [string, () => Promise<void>][] = [
    ["stop the new services", () => ops.stop(intent.unit_services)],
    [
      "remove the new units",
      () => ops.removeFiles(intent.files.filter((file) => !kept.has(file))),
    ],
  ];
  if (previous !== null) {
    steps.push(
      [
        "reinstall the previous version",
        () => ops.restoreFiles(previous.dir, previous.files),
      ],
      ["start the previous services", () => ops.start(previous.running)],
    );
  }
  const markers = intent.podman_markers;
  if (markers !== undefined) {
    steps.push([
      "put Podman's application markers back",
      () => ops.restoreMarkers(markers),
    ]);
  }
  steps.push(
    ["clear the failed units", () => ops.resetFailed(intent.unit_services)],
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
  replace: boolean,
): Promise<void> {
  try {
    await ops.installFiles(dir, files, replace);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    throw new LegerError(
      "ERR_PODMAN_INSTALL_FAILED",
      `Cannot install the units: ${error.bin} exited with code ${error.code}`,
      {
        cause: error,
        details: error.stderrTail.split("\n").filter((line) => line !== ""),
        remedy:
          "Check the units with `leger validate`, fix what Podman names, then install again",
      },
    );
  }
}

async function startOrFail(
  ops: HostOps,
  services: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await ops.start(services, signal);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    // systemctl says only that a job failed: find which service, and why.
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

/** A service that is not (or no longer) active fails the install, with its journal. */
async function failIfNotActive(
  ops: HostOps,
  states: readonly UnitState[],
): Promise<void> {
  const down = states.find((state) => state.activeState !== "active");
  if (down === undefined) return;
  throw await explainStartFailure(down.id, ops);
}

function interrupted(): LegerError {
  return new LegerError(
    "ERR_INTERRUPTED",
    "Cannot finish the install: it was interrupted",
    { remedy: "Run the command again to install" },
  );
}
