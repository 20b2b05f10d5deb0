import type { FolderProcess } from "../adapters/processes_in_folder.ts";
import { LegerError } from "../errors/mod.ts";
import type { IntentJournal } from "../state/intent_journal.ts";

/** Options for {@linkcode waitForLeftoverProcesses}. */
export interface WaitForLeftoverProcessesOptions {
  /**
   * The processes whose current folder is a folder or under it (on the real
   * host, `processesInFolder` of `lib/adapters`).
   */
  processesIn: (dir: string) => Promise<FolderProcess[]>;
  /**
   * The clock the bound is measured with.
   *
   * @default {() => new Date()}
   */
  now?: () => Date;
  /**
   * How long to wait, in milliseconds, before giving up.
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
  /**
   * Told once, when there is something to wait for.
   *
   * @default {() => {}}
   */
  progress?: (line: string) => void;
}

/**
 * Waits until no process that an interrupted install or update left behind is
 * still changing the host, before the change is undone or finished. A leger
 * killed with SIGKILL does not take its children with it: the `podman
 * quadlet install` it started goes on writing units and Podman's markers into
 * the quadlet folder, and reloading systemd, for as long as it takes — after
 * the next leger's undo, it would leave the host half-changed. That command,
 * and every program it runs, works in the change's staged folder (the
 * journal's `staged_dir`), so that is how they are found. A remove has no
 * staged folder: its own steps are carried on, never undone, so a step still
 * running does no harm, and there is nothing to wait for.
 *
 * @param intent The journal of the interrupted change.
 * @param options How to find the processes, the clock, the bound, the pause
 * and the progress line.
 * @throws {LegerError} `ERR_LOCKED` naming each process still there (its PID
 * and command line) once the bound is reached; nothing was changed, and the
 * next command tries again.
 *
 * @example Usage
 * ```ts
 * import { waitForLeftoverProcesses } from "./wait_for_leftover_processes.ts";
 * import type { IntentJournal } from "../state/intent_journal.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const podman = {
 *   pid: 5678,
 *   cwd: "/var/lib/leger/bluebuild-quadlets/staged/.web.c1",
 *   commandLine: "podman quadlet install -- web.container",
 * };
 * const looks = [[podman], [podman], []];
 * let pauses = 0;
 * await waitForLeftoverProcesses({
 *   operation: "install",
 *   deployment: "web",
 *   pid: 4242,
 *   staged_dir: podman.cwd,
 * } as IntentJournal, {
 *   processesIn: () => Promise.resolve(looks.shift() ?? []),
 *   pause: () => Promise.resolve(void pauses++),
 * });
 * strictEqual(pauses, 2);
 * ```
 */
export async function waitForLeftoverProcesses(
  intent: IntentJournal,
  options: WaitForLeftoverProcessesOptions,
): Promise<void> {
  const {
    processesIn,
    now = () => new Date(),
    timeout = 60_000,
    pause = () => new Promise((resolve) => setTimeout(resolve, 250)),
    progress = () => {},
  } = options;
  const dir = intent.staged_dir;
  if (dir === null) return;
  const change = `${intent.operation} of "${intent.deployment}"`;
  const start = now().getTime();
  let told = false;
  while (true) {
    const left = await processesIn(dir);
    if (left.length === 0) return;
    const waited = now().getTime() - start;
    if (waited >= timeout) throw stillThere(left, change, intent.pid, waited);
    if (!told) {
      progress(
        `Waiting for ${
          left.map(describe).join(", ")
        }, left by the interrupted ${change}, to end`,
      );
      told = true;
    }
    await pause();
  }
}

function describe(left: FolderProcess): string {
  return `process ${left.pid} (${left.commandLine || "?"})`;
}

function stillThere(
  left: readonly FolderProcess[],
  change: string,
  legerPid: number,
  waited: number,
): LegerError {
  const pids = left.map((p) => p.pid).join(" ");
  const one = left.length === 1;
  return new LegerError(
    "ERR_LOCKED",
    `Cannot finish the ${change} that leger process ${legerPid} left unfinished: ${
      one ? `process ${pids} still works` : `processes ${pids} still work`
    } in its staged folder after ${Math.round(waited / 1000)} s`,
    {
      details: left.map((p) =>
        `PID ${p.pid}: ${
          p.commandLine || "(command line unknown)"
        } (in ${p.cwd})`
      ),
      remedy: `Wait for ${one ? "it" : "them"} to end, or end ${
        one ? "it" : "them"
      } with \`kill ${pids}\`, then run the command again`,
    },
  );
}
