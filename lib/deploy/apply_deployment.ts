import { CommandError } from "../adapters/command_error.ts";
import type { UnitState } from "../adapters/systemctl.ts";
import { LegerError } from "../errors/mod.ts";
import type { HostOps } from "../adapters/host_ops.ts";
import { UndoLog } from "./undo_log.ts";

/** One version of a deployment, as far as installing it goes. */
export interface DeploymentFiles {
  /** The folder holding its files (staged or active). */
  dir: string;
  /** Its files, relative to `dir`. */
  files: readonly string[];
  /** The services leger starts for it. */
  services: readonly string[];
  /** The services of all its units (volumes and networks included). */
  unitServices: readonly string[];
  /**
   * The Podman volumes its `.volume` units create (resource names such as
   * `systemd-data`); those that did not exist before are removed when the
   * change is undone.
   */
  volumes: readonly string[];
  /**
   * The Podman networks its `.network` units create (resource names such as
   * `systemd-app`); those that did not exist before are removed when the
   * change is undone.
   */
  networks: readonly string[];
}

/** Options for {@linkcode applyDeployment}. */
export interface ApplyDeploymentOptions {
  /** Start the services after installing the units. */
  start: boolean;
  /**
   * The volumes and networks that exist before the change, when the caller
   * already knows; else they are asked for.
   *
   * @default {undefined}
   */
  existing?: { volumes: ReadonlySet<string>; networks: ReadonlySet<string> };
  /** Aborted on Ctrl-C: the change is undone. */
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
 * Installs (and starts) a deployment in place of its previous version, if any,
 * so that a failure at any step — Podman refusing a unit, a service that does
 * not start or stay up, Ctrl-C — leaves the host as it was: the new units
 * removed, the previous ones reinstalled and the services that were running
 * started again.
 *
 * @param next The version to install.
 * @param previous The installed version it replaces, with the services that
 * were running, or `null`.
 * @param ops The host.
 * @param options Start, signal, settle checks.
 * @throws {LegerError} `ERR_PODMAN_INSTALL_FAILED`, `ERR_SERVICE_START_FAILED`
 * (with the failing unit's last journal lines) or `ERR_INTERRUPTED`, after
 * undoing the change.
 *
 * @example Usage
 * ```ts ignore
 * import { applyDeployment } from "./apply_deployment.ts";
 * await applyDeployment(next, null, ops, { start: true });
 * ```
 */
export async function applyDeployment(
  next: DeploymentFiles,
  previous: (DeploymentFiles & { running: readonly string[] }) | null,
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
  const undo = new UndoLog();
  const step = async <T>(
    what: string,
    action: () => Promise<T>,
  ): Promise<T> => {
    if (signal?.aborted) throw interrupted();
    progress(what);
    return await action();
  };
  try {
    forgetWhatTheNewVersionCreates(next, {
      ops,
      undo,
      existing: options.existing ?? await ops.existingResources(),
    });
    if (previous === null) {
      await step("Installing the units", () => installOrFail(ops, next, false));
      undo.push("remove the new units", async () => {
        await ops.stop(next.unitServices);
        await ops.removeFiles(next.files);
      });
    } else {
      await step(
        "Stopping the installed version",
        () => ops.stop(previous.services),
      );
      undo.push(
        "restart the previous services",
        () => ops.start(previous.running),
      );
      await replaceVersion(previous, next, { ops, undo, step });
    }
    if (start && next.services.length > 0) {
      undo.push("stop the new services", () => ops.stop(next.services));
      await step(
        `Starting ${next.services.join(", ")}`,
        () => startOrFail(ops, next.services),
      );
      for (let check = 0; check < settleChecks; check++) {
        await pause();
        if (signal?.aborted) throw interrupted();
        await failIfNotActive(ops, await ops.states(next.services));
      }
    }
  } catch (error) {
    progress("Undoing the changes");
    const failures = await undo.undoAll();
    const cause = signal?.aborted && !(error instanceof LegerError)
      ? interrupted()
      : error;
    throw withUndoFailures(cause, failures);
  }
}

/**
 * Notes which volumes and networks exist before the change, so that undoing it
 * removes those the new version created (and clears the failed state of its
 * units), leaving nothing behind for `podman volume ls` or `systemctl --failed`.
 */
function forgetWhatTheNewVersionCreates(
  next: DeploymentFiles,
  context: {
    ops: HostOps;
    undo: UndoLog;
    existing: { volumes: ReadonlySet<string>; networks: ReadonlySet<string> };
  },
): void {
  const { ops, undo, existing } = context;
  undo.push(
    "remove the volumes and networks the new version created",
    async () => {
      await ops.resetFailed(next.unitServices);
      await ops.removeVolumes(
        next.volumes.filter((v) => !existing.volumes.has(v)),
      );
      await ops.removeNetworks(
        next.networks.filter((n) => !existing.networks.has(n)),
      );
    },
  );
}

/**
 * Puts the new version's files in place of the previous version's: over them
 * where the host can replace files (so volumes and networks the two share
 * stay), else by removing the previous version first.
 */
async function replaceVersion(
  previous: DeploymentFiles,
  next: DeploymentFiles,
  context: {
    ops: HostOps;
    undo: UndoLog;
    step: <T>(what: string, action: () => Promise<T>) => Promise<T>;
  },
): Promise<void> {
  const { ops, undo, step } = context;
  if (!ops.canReplace) {
    await step(
      "Removing the installed version's units",
      () => ops.removeFiles(previous.files),
    );
    undo.push(
      "reinstall the previous units",
      () => ops.installFiles(previous.dir, previous.files, false),
    );
    await step("Installing the units", () => installOrFail(ops, next, false));
    undo.push("remove the new units", async () => {
      await ops.stop(next.unitServices);
      await ops.removeFiles(next.files);
    });
    return;
  }
  const added = next.files.filter((file) => !previous.files.includes(file));
  const dropped = previous.files.filter((file) => !next.files.includes(file));
  undo.push("reinstall the previous units", async () => {
    await ops.stop(next.unitServices);
    if (added.length > 0) await ops.deleteFiles(added);
    await ops.installFiles(previous.dir, previous.files, true);
  });
  await step(
    "Installing the units over the installed version",
    () => installOrFail(ops, next, true),
  );
  if (dropped.length > 0) {
    await step(
      `Removing what the new version drops: ${dropped.join(", ")}`,
      () => ops.deleteFiles(dropped),
    );
  }
}

async function installOrFail(
  ops: HostOps,
  next: DeploymentFiles,
  replace: boolean,
): Promise<void> {
  try {
    await ops.installFiles(next.dir, next.files, replace);
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
): Promise<void> {
  try {
    await ops.start(services);
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
  const journal = await ops.journalTail(down.id, 10).catch(() => []);
  throw new LegerError(
    "ERR_SERVICE_START_FAILED",
    `Cannot start "${down.id}": it is ${down.activeState} (${down.subState}${
      down.result && down.result !== "success" ? `, ${down.result}` : ""
    })`,
    {
      details: journal.length > 0
        ? ["last journal lines:", ...journal.map((line) => `  ${line}`)]
        : [],
      remedy: `Everything was rolled back. Read the whole log with \`${
        ops.journalCommand(down.id)
      }\`, fix the unit and install again`,
    },
  );
}

function interrupted(): LegerError {
  return new LegerError(
    "ERR_INTERRUPTED",
    "Cannot finish the install: it was interrupted",
    {
      remedy:
        "Everything it had changed was undone; run the command again to install",
    },
  );
}

function withUndoFailures(
  error: unknown,
  failures: readonly { what: string; error: unknown }[],
): unknown {
  if (failures.length === 0 || !(error instanceof LegerError)) return error;
  return new LegerError(error.code, error.message, {
    cause: error.cause,
    file: error.file,
    line: error.line,
    details: [
      ...error.details,
      "and leger could not undo everything:",
      ...failures.map((f) =>
        `  ${f.what}: ${
          f.error instanceof Error ? f.error.message : String(f.error)
        }`
      ),
    ],
    remedy:
      "Check `leger deploy list` and `podman quadlet list`, and remove what is left by hand",
  });
}
