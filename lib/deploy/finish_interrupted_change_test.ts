import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { deployContextOf } from "../../cli/deploy_context_of.ts";
import {
  type CommandFixture,
  commandFixture,
  WEB_FILES,
} from "../../tests/fakes/command_fixture.ts";
import { LegerError } from "../errors/mod.ts";
import {
  type IntentJournal,
  readJournal,
  writeJournal,
} from "../state/intent_journal.ts";
import type { DeployContext } from "./context.ts";
import { finishInterruptedChange } from "./finish_interrupted_change.ts";

/**
 * What a leger killed (SIGKILL) while `podman quadlet install` ran leaves: its
 * journal and its staged folder, and that podman still running there.
 */
async function killedInstall(fixture: CommandFixture): Promise<IntentJournal> {
  const staged = `${fixture.workDir}/staged/.web.deadbeef`;
  await Deno.mkdir(staged, { recursive: true });
  for (const [name, text] of Object.entries(WEB_FILES)) {
    await Deno.writeTextFile(`${staged}/${name}`, text);
  }
  const intent: IntentJournal = {
    change_id: crypto.randomUUID(),
    operation: "install",
    deployment: "web",
    pid: 4242,
    started_at: "2026-11-30T12:00:00.000Z",
    staged_dir: staged,
    files: Object.keys(WEB_FILES),
    unit_services: ["web-data-volume.service", "web.service"],
    services: ["web.service"],
    volumes: [],
    networks: [],
    previous: null,
    remove_volumes: false,
    podman_markers: {},
  };
  await writeJournal(fixture.stateDir, intent);
  return intent;
}

/**
 * A real program working in `cwd` that, like `podman quadlet install`,
 * writes a unit and Podman's marker into the quadlet folder just before it
 * exits — once `release()` is called.
 */
function lateInstaller(cwd: string, quadletDir: string) {
  const script = `
for await (const _ of Deno.stdin.readable) {}
const [dir, unit] = Deno.args;
await Deno.writeTextFile(dir + "/web.container", unit);
await Deno.writeTextFile(dir + "/.web.container.app", "web.container\\n");
`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script, quadletDir, WEB_FILES["web.container"]],
    cwd,
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let ended: Promise<Deno.CommandStatus> | undefined;
  return {
    pid: child.pid,
    release() {
      ended ??= child.stdin.close().then(() => child.status);
      return ended;
    },
  };
}

function contextOf(
  fixture: CommandFixture,
  lines: string[],
  now?: () => Date,
): DeployContext {
  const context = deployContextOf(fixture.deps, "user");
  return {
    ...context,
    now: now ?? context.now,
    progress: (line) => lines.push(line),
  };
}

Deno.test("finishInterruptedChange() waits for the program a killed install left in its staged folder, then undoes everything", async () => {
  await using fixture = await commandFixture();
  const intent = await killedInstall(fixture);
  const installer = lateInstaller(intent.staged_dir!, fixture.quadletDir);
  const lines: string[] = [];
  let said: string | null;
  try {
    // The real look at /proc; the program ends during the first pause.
    said = await finishInterruptedChange(contextOf(fixture, lines), {
      pause: async () => void await installer.release(),
    });
  } finally {
    await installer.release();
  }
  // Had the undo not waited, the unit and the marker would be there now.
  deepStrictEqual(await fixture.quadletFiles(), []);
  strictEqual(await readJournal(fixture.stateDir), null);
  match(said ?? "", /Undid an interrupted install of "web"/);
  strictEqual(lines.length, 1, lines.join("\n"));
  match(
    lines[0],
    new RegExp(
      `^Waiting for process ${installer.pid} \\(.* eval [^]*\\), left by the interrupted install of "web", to end$`,
    ),
  );
});

Deno.test("finishInterruptedChange() gives up with ERR_LOCKED, the journal kept, while the program still runs after the bound", async () => {
  await using fixture = await commandFixture();
  const intent = await killedInstall(fixture);
  const installer = lateInstaller(intent.staged_dir!, fixture.quadletDir);
  let time = Date.UTC(2026, 10, 30, 12);
  const context = contextOf(fixture, [], () => new Date(time));
  try {
    await rejects(
      finishInterruptedChange(context, {
        timeout: 60_000,
        pause: () => Promise.resolve(void (time += 250)),
      }),
      (error: unknown) => {
        strictEqual(error instanceof LegerError, true);
        const e = error as LegerError;
        strictEqual(e.code, "ERR_LOCKED");
        match(
          e.message,
          new RegExp(
            `^Cannot finish the install of "web" that leger process 4242 left unfinished: process ${installer.pid} still works in its staged folder after 60 s$`,
          ),
        );
        match(
          e.details?.[0] ?? "",
          new RegExp(`^PID ${installer.pid}: .* eval `),
        );
        strictEqual(
          e.remedy,
          `Wait for it to end, or end it with \`kill ${installer.pid}\`, then run the command again`,
        );
        return true;
      },
    );
    deepStrictEqual(await readJournal(fixture.stateDir), intent);
  } finally {
    await installer.release();
  }
  // Once it has ended, the next command finishes the undo.
  match(
    await finishInterruptedChange(context) ?? "",
    /Undid an interrupted install/,
  );
  deepStrictEqual(await fixture.quadletFiles(), []);
});

Deno.test("finishInterruptedChange() finishes a remove without looking for programs", async () => {
  await using fixture = await commandFixture();
  await writeJournal(fixture.stateDir, {
    ...await killedInstall(fixture),
    operation: "remove",
    staged_dir: null,
  });
  match(
    await finishInterruptedChange(contextOf(fixture, []), {
      processesIn: () => Promise.reject(new Error("looked for programs")),
    }) ?? "",
    /Finished removing "web"/,
  );
});
