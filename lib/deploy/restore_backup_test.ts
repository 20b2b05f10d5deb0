import {
  deepStrictEqual,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { runProgram } from "../../cli/program.ts";
import { CommandError } from "../adapters/command_error.ts";
import { createBackup } from "../backup/create_backup.ts";
import {
  type BackupFixture,
  backupFolders,
  installedWeb,
} from "../../tests/fakes/backup_fixture.ts";
import { readDeployments } from "../state/deployments_file.ts";
import { readJournal } from "../state/intent_journal.ts";
import { restoreBackup } from "./restore_backup.ts";

const INSTALLED = ["web-data.volume", "web.conf", "web.container"];
const pause = () => Promise.resolve();

/** The installed web deployment, backed up (its volume holding "precious data"). */
async function backedUp(
  beforeCall?: (line: string) => void,
): Promise<BackupFixture & { id: string }> {
  // Armed once the backup is taken.
  const hook: { call?: (line: string) => void } = {};
  const web = await installedWeb({ beforeCall: (line) => hook.call?.(line) });
  const { id } = await createBackup(web.context, "web", { type: "manual" });
  hook.call = beforeCall;
  web.fixture.host.calls.length = 0;
  return Object.assign(web, { id });
}

async function removeWeb(web: BackupFixture): Promise<void> {
  strictEqual(
    await runProgram(
      ["deploy", "remove", "web", "--remove-volumes", "--yes"],
      web.fixture.deps,
    ),
    0,
    web.fixture.output.stderr,
  );
  web.fixture.host.calls.length = 0;
}

Deno.test("restoreBackup() brings back a removed deployment and its volume's data", async () => {
  await using web = await backedUp();
  const { fixture, volumes, context, id } = web;
  await removeWeb(web);
  strictEqual(fixture.host.volumes.has("systemd-web-data"), false);
  const result = await restoreBackup(context, id, { pause });
  deepStrictEqual(result, {
    id,
    deployment: "web",
    files: INSTALLED,
    volumes: ["systemd-web-data"],
    created_volumes: ["systemd-web-data"],
    started: ["web.service"],
    waiting_for_secrets: [],
  });
  deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
  strictEqual(volumes.data.get("systemd-web-data"), "precious data\n");
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  // The volume is made by its unit's service before the data goes in.
  const calls = fixture.host.calls;
  const made = calls.indexOf(
    "systemctl --user restart -- web-data-volume.service",
  );
  const imported = calls.findIndex((c) => c.startsWith("podman volume import"));
  const started = calls.indexOf("systemctl --user start -- web.service");
  ok(made >= 0 && made < imported && imported < started, calls.join("\n"));
  const [entry] = await readDeployments(fixture.stateDir);
  deepStrictEqual([entry.name, entry.source], ["web", {
    type: "local",
    location: `${fixture.home}/src/web`,
  }]);
  strictEqual(await readJournal(fixture.stateDir), null);
  deepStrictEqual(await backupFolders(fixture), [id]);
});

Deno.test("restoreBackup() over the installed deployment leaves only the backup's data in the volume", async () => {
  await using web = await backedUp();
  const { fixture, volumes, context, id } = web;
  volumes.data.set("systemd-web-data", "written after the backup\n");
  const result = await restoreBackup(context, id, { pause });
  deepStrictEqual(result.created_volumes, []);
  strictEqual(volumes.data.get("systemd-web-data"), "precious data\n");
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  // The volume was emptied (removed, made again as it was), after a safety copy.
  const calls = fixture.host.calls.filter((c) => c.startsWith("podman volume"));
  deepStrictEqual(calls.map((c) => c.split(" ").slice(0, 3).join(" ")), [
    "podman volume ls",
    "podman volume ls",
    "podman volume export",
    "podman volume rm",
    "podman volume create",
    "podman volume import",
  ]);
  deepStrictEqual(await backupFolders(fixture), [id]);
});

Deno.test("restoreBackup() refuses a backup with one byte changed, changing nothing", async (t) => {
  const cases = [
    {
      file: "volumes/systemd-web-data.tar",
      message: /volumes\/systemd-web-data\.tar does not match its checksum/,
    },
    {
      file: "files/web.container",
      message: /files\/web\.container does not match its checksum/,
    },
  ];
  for (const c of cases) {
    await t.step(c.file, async () => {
      await using web = await backedUp();
      const { fixture, volumes, context, id } = web;
      volumes.data.set("systemd-web-data", "current\n");
      const path = `${fixture.workDir}/backups/${id}/${c.file}`;
      const bytes = await Deno.readFile(path);
      bytes[3] ^= 1;
      await Deno.writeFile(path, bytes);
      const before = fixture.host.calls.length;
      await rejects(restoreBackup(context, id), (
        error: Error & {
          code: string;
          file: string;
          details: string[];
        },
      ) => {
        strictEqual(error.code, "ERR_BACKUP_CORRUPT");
        match(error.message, c.message);
        strictEqual(error.file, path);
        deepStrictEqual(error.details, ["Nothing was changed on this host."]);
        return true;
      });
      // Read-only calls at most (planning looks at the host).
      deepStrictEqual(
        fixture.host.calls.slice(before).filter((call) =>
          /systemctl --user (start|stop|restart)|quadlet install|volume (rm|create|import)/
            .test(call)
        ),
        [],
      );
      strictEqual(volumes.data.get("systemd-web-data"), "current\n");
      deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        "active",
      );
    });
  }
});

Deno.test("restoreBackup() undoes everything when a step fails or a signal arrives", async (t) => {
  const controller = new AbortController();
  const failed = { start: false };
  const cases = [
    {
      name: "the import fails",
      fail: (line: string) => {
        if (
          line.startsWith("podman volume import") && !line.includes(".restore-")
        ) {
          throw new CommandError(
            "podman",
            ["volume", "import"],
            125,
            "Error: not a tar archive\n",
          );
        }
      },
      code: "ERR_RESTORE_FAILED",
      message:
        /Cannot restore "web" from .*: podman volume import exited with code 125/,
    },
    {
      name: "the service does not start",
      fail: (line: string) => {
        // Once: the undo starts the version that was installed again.
        if (line === "systemctl --user start -- web.service" && !failed.start) {
          failed.start = true;
          throw new CommandError("systemctl", ["start"], 1, "Job failed\n");
        }
      },
      code: "ERR_SERVICE_START_FAILED",
      message: /web\.service/,
    },
    {
      name: "a signal arrives during the import",
      fail: (line: string) => {
        if (line.startsWith("podman volume import")) controller.abort();
      },
      signal: controller.signal,
      code: "ERR_INTERRUPTED",
      message: /Cannot finish the restore of "web" from .*: it was interrupted/,
    },
  ];
  for (const c of cases) {
    await t.step(`${c.name}, over the installed deployment`, async () => {
      let armed = true;
      await using web = await backedUp((line) => armed && c.fail(line));
      const { fixture, volumes, context, id } = web;
      volumes.data.set("systemd-web-data", "current\n");
      const error = await restoreBackup(context, id, {
        signal: c.signal,
        pause,
      })
        .then(() => null, (e) => e);
      armed = false;
      ok(error !== null);
      strictEqual(error.code, c.code, error.message);
      // A signal's sender says it (once); a failure is said here.
      strictEqual(
        web.lines.includes("Undoing the restore, please wait…"),
        c.signal === undefined,
      );
      match(error.message, c.message);
      match(
        error.details.at(-1),
        /^Undone: the version of "web" that was installed is back, with its volumes' data, and web\.service running again\.$/,
      );
      strictEqual(volumes.data.get("systemd-web-data"), "current\n");
      deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        "active",
      );
      strictEqual(await readJournal(fixture.stateDir), null);
      deepStrictEqual(await backupFolders(fixture), [id]);
    });
  }
  await t.step(
    "the import fails, after the deployment was removed",
    async () => {
      await using web = await backedUp(cases[0].fail);
      const { fixture, context, id } = web;
      await removeWeb(web);
      await rejects(restoreBackup(context, id), {
        code: "ERR_RESTORE_FAILED",
        message: /podman volume import exited with code 125/,
      });
      deepStrictEqual(await fixture.quadletFiles(), []);
      strictEqual(fixture.host.volumes.has("systemd-web-data"), false);
      deepStrictEqual(await readDeployments(fixture.stateDir), []);
    },
  );
});

Deno.test("restoreBackup() refuses an id it has no backup of", async (t) => {
  for (const id of ["20261130T120000Z-web-ffff", "../../etc", ".create-x"]) {
    await t.step(id, async () => {
      await using web = await backedUp();
      await rejects(restoreBackup(web.context, id), {
        code: "ERR_BACKUP_NOT_FOUND",
      });
    });
  }
});
