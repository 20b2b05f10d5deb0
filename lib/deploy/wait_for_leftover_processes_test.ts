import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import type { FolderProcess } from "../adapters/processes_in_folder.ts";
import { LegerError } from "../errors/mod.ts";
import type { IntentJournal } from "../state/intent_journal.ts";
import { waitForLeftoverProcesses } from "./wait_for_leftover_processes.ts";

const STAGED = "/var/lib/leger/bluebuild-quadlets/staged/.web.c1";

const PODMAN: FolderProcess = {
  pid: 5678,
  cwd: STAGED,
  commandLine: "podman quadlet install -- web.container web-data.volume",
};
const SYSTEMCTL: FolderProcess = {
  pid: 5690,
  cwd: STAGED,
  commandLine: "",
};

function journal(extra: Partial<IntentJournal> = {}): IntentJournal {
  return {
    change_id: "c1",
    operation: "install",
    deployment: "web",
    pid: 4242,
    started_at: "2026-11-30T12:00:00.000Z",
    staged_dir: STAGED,
    files: ["web.container", "web-data.volume"],
    unit_services: ["web.service", "web-data-volume.service"],
    services: ["web.service"],
    volumes: [],
    networks: [],
    previous: null,
    remove_volumes: false,
    ...extra,
  };
}

/** A clock that moves only when the wait pauses, by `step` ms. */
function fakeTime(step: number) {
  let time = Date.UTC(2026, 10, 30, 12);
  const state = { pauses: 0 };
  return {
    state,
    now: () => new Date(time),
    pause: () => {
      state.pauses++;
      time += step;
      return Promise.resolve();
    },
  };
}

Deno.test("waitForLeftoverProcesses() returns at once when nothing works in the staged folder", async () => {
  const time = fakeTime(250);
  const looked: string[] = [];
  const lines: string[] = [];
  await waitForLeftoverProcesses(journal(), {
    processesIn: (dir) => {
      looked.push(dir);
      return Promise.resolve([]);
    },
    ...time,
    progress: (line) => lines.push(line),
  });
  deepStrictEqual(looked, [STAGED]);
  strictEqual(time.state.pauses, 0);
  deepStrictEqual(lines, []);
});

Deno.test("waitForLeftoverProcesses() waits while a process works in the staged folder, saying so once", async () => {
  for (const operation of ["install", "update"] as const) {
    const time = fakeTime(250);
    const looks = [[PODMAN, SYSTEMCTL], [PODMAN], [PODMAN], []];
    const lines: string[] = [];
    await waitForLeftoverProcesses(journal({ operation }), {
      processesIn: () => Promise.resolve(looks.shift()!),
      ...time,
      progress: (line) => lines.push(line),
    });
    strictEqual(looks.length, 0);
    strictEqual(time.state.pauses, 3);
    deepStrictEqual(lines, [
      `Waiting for process 5678 (podman quadlet install -- web.container web-data.volume), process 5690 (?), left by the interrupted ${operation} of "web", to end`,
    ]);
  }
});

Deno.test("waitForLeftoverProcesses() has nothing to wait for after a remove", async () => {
  await waitForLeftoverProcesses(
    journal({ operation: "remove", staged_dir: null }),
    {
      processesIn: () => Promise.reject(new Error("looked for processes")),
    },
  );
});

Deno.test("waitForLeftoverProcesses() gives up after the bound with ERR_LOCKED naming each process and the fix", async (t) => {
  const cases = [
    {
      name: "one process, the default bound of 60 s",
      left: [PODMAN],
      timeout: undefined,
      pauses: 240,
      message:
        'Cannot finish the install of "web" that leger process 4242 left unfinished: process 5678 still works in its staged folder after 60 s',
      details: [
        `PID 5678: podman quadlet install -- web.container web-data.volume (in ${STAGED})`,
      ],
      remedy:
        "Wait for it to end, or end it with `kill 5678`, then run the command again",
    },
    {
      name: "two processes, a bound of 1 s",
      left: [PODMAN, SYSTEMCTL],
      timeout: 1000,
      pauses: 4,
      message:
        'Cannot finish the install of "web" that leger process 4242 left unfinished: processes 5678 5690 still work in its staged folder after 1 s',
      details: [
        `PID 5678: podman quadlet install -- web.container web-data.volume (in ${STAGED})`,
        `PID 5690: (command line unknown) (in ${STAGED})`,
      ],
      remedy:
        "Wait for them to end, or end them with `kill 5678 5690`, then run the command again",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const time = fakeTime(250);
      await rejects(
        waitForLeftoverProcesses(journal(), {
          processesIn: () => Promise.resolve(c.left),
          timeout: c.timeout,
          ...time,
        }),
        (error: unknown) => {
          strictEqual(error instanceof LegerError, true);
          const e = error as LegerError;
          strictEqual(e.code, "ERR_LOCKED");
          strictEqual(e.message, c.message);
          deepStrictEqual(e.details, c.details);
          strictEqual(e.remedy, c.remedy);
          return true;
        },
      );
      strictEqual(time.state.pauses, c.pauses);
    });
  }
});
