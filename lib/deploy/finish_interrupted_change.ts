import {
  readDeploymentFolder,
  writeDeploymentFolder,
} from "../state/deployment_folder.ts";
import { readDeployments } from "../state/deployments_file.ts";
import { processesInFolder } from "../adapters/processes_in_folder.ts";
import { clearJournal, readJournal } from "../state/intent_journal.ts";
import { undoInstall } from "./apply_deployment.ts";
import { undoUpdate } from "./apply_update.ts";
import { type DeployContext, hostOf, pathsOf } from "./context.ts";
import { finishRemove } from "./remove_deployment.ts";
import {
  waitForLeftoverProcesses,
  type WaitForLeftoverProcessesOptions,
} from "./wait_for_leftover_processes.ts";

/** Options for {@linkcode finishInterruptedChange}. */
export interface FinishInterruptedChangeOptions {
  /**
   * The processes whose current folder is a folder or under it: how the
   * programs a killed leger left in its staged folder are found.
   *
   * @default {`processesInFolder` with the context's runner}
   */
  processesIn?: WaitForLeftoverProcessesOptions["processesIn"];
  /**
   * How long to wait for them, in milliseconds of the context's clock.
   *
   * @default {60000}
   */
  timeout?: number;
  /**
   * Waits between two looks.
   *
   * @default {250 ms}
   */
  pause?: () => Promise<void>;
}

/**
 * Finishes a change a leger process left unfinished (killed, crashed, the
 * machine went down): called with the deploy lock held, before anything else
 * reads the deployments. An install or an update is undone (an update
 * only where it changed something: the services it did not touch are left
 * alone) — unless it had already recorded itself, when only its
 * bookkeeping is finished — and a remove is finished; the journal is then
 * cleared. An install or update first waits (up to a minute) until no
 * program the interrupted leger started in its staged folder still runs
 * ({@linkcode waitForLeftoverProcesses}): a `podman quadlet install`
 * outlives a leger killed with SIGKILL, and would otherwise write its units
 * after the undo. Staged temporary folders nobody
 * owns any more (`staged/.<name>.<id>/`, `active/.<name>.<id>/`) are
 * removed either way.
 *
 * Requires what an install and a remove require, and `--allow-run=ls,cat`
 * to look for the programs (see `processesInFolder`).
 *
 * @param context The scope, its folders, the runner, the clock and host
 * facts.
 * @param options How to find the programs a killed leger left (by default
 * `processesInFolder` with the context's runner), how long to wait for them
 * (by default 60 s, on the context's clock) and the pause between two looks.
 * @returns One line saying what was found and what was done, or `null` when
 * there was nothing to finish.
 * @throws {LegerError} `ERR_STATE_INVALID` for a damaged journal;
 * `ERR_LOCKED` naming a program the interrupted leger left that still runs
 * after the wait; what the host throws when the undo cannot finish (the
 * journal stays, either way).
 *
 * @example Usage
 * ```ts ignore
 * import { finishInterruptedChange } from "./finish_interrupted_change.ts";
 * const said = await finishInterruptedChange(context);
 * if (said !== null) console.error(said);
 * ```
 */
export async function finishInterruptedChange(
  context: DeployContext,
  options: FinishInterruptedChangeOptions = {},
): Promise<string | null> {
  const {
    processesIn = (dir: string) =>
      processesInFolder(dir, { runner: context.runner }),
    timeout,
    pause,
  } = options;
  const paths = pathsOf(context);
  const intent = await readJournal(paths.stateDir);
  let said: string | null = null;
  if (intent !== null) {
    await waitForLeftoverProcesses(intent, {
      processesIn,
      now: () => context.now(),
      timeout,
      pause,
      progress: (line) => context.progress(line),
    });
    const who = `leger process ${intent.pid}, started ${intent.started_at}`;
    const name = intent.deployment;
    if (intent.operation === "remove") {
      await finishRemove(intent, context, await hostOf(context));
      said = `Finished removing "${name}", which a ${who} had begun.`;
    } else {
      const installed = await readDeployments(paths.stateDir);
      const recorded = installed.find((d) =>
        d.name === name && d.change_id === intent.change_id
      );
      const change = intent.operation === "update" ? "update" : "install";
      if (recorded !== undefined) {
        await finishRecording(
          intent.staged_dir,
          `${paths.workDir}/active/${name}`,
        );
        await clearJournal(paths.stateDir);
        said =
          `Found the ${change} of "${name}" by a ${who} complete: it is installed.`;
      } else if (intent.operation === "update") {
        const failures = await undoUpdate(intent, await hostOf(context));
        if (failures.length > 0) {
          throw failures[0].error;
        }
        await clearJournal(paths.stateDir);
        const running = new Set(intent.previous?.running ?? []);
        const again = [
          ...new Set([
            ...intent.update?.restarted ?? [],
            ...intent.update?.stopped ?? [],
          ]),
        ].filter((s) => running.has(s));
        said =
          `Rolled back an interrupted update of "${name}" (${who}): the previous version is installed${
            again.length > 0 ? ` and ${again.join(", ")} running again` : ""
          }.`;
      } else {
        const failures = await undoInstall(intent, await hostOf(context));
        if (failures.length > 0) {
          throw failures[0].error;
        }
        await clearJournal(paths.stateDir);
        said = intent.previous === null
          ? `Undid an interrupted install of "${name}" (${who}): nothing of it is installed.`
          : `Undid an interrupted install of "${name}" (${who}): the previous version is installed${
            intent.previous.running.length > 0
              ? ` and ${intent.previous.running.join(", ")} running again`
              : ""
          }.`;
      }
    }
  }
  await removeLeftovers(`${paths.workDir}/staged`);
  await removeLeftovers(`${paths.workDir}/active`);
  return said;
}

/**
 * The install recorded itself in deployments.yaml and stopped before its
 * active copy was written: write it from the staged copy.
 */
async function finishRecording(
  stagedDir: string | null,
  activeDir: string,
): Promise<void> {
  if (stagedDir === null) return;
  const staged = await readDeploymentFolder(stagedDir);
  if (staged !== null) {
    await writeDeploymentFolder(activeDir, staged.record, staged.files);
  }
}

/** Temporary folders (`.<name>.<id>`) are leftovers once no change is under way. */
async function removeLeftovers(dir: string): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    // Nothing there, or not a folder (install's own check then says why).
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isDirectory && entry.name.startsWith(".")) {
      await Deno.remove(`${dir}/${entry.name}`, { recursive: true });
    }
  }
  // An empty folder is a leftover too; one that is not empty stays.
  await Deno.remove(dir).catch(() => {});
}
