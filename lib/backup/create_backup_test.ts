import {
  deepStrictEqual,
  doesNotMatch,
  match,
  ok,
  rejects,
  strictEqual,
} from "node:assert/strict";
import { createHash } from "node:crypto";
import { CommandError } from "../adapters/command_error.ts";
import {
  backupFolders,
  installedWeb,
  SHARED_HOST_FILES,
} from "../../tests/fakes/backup_fixture.ts";
import { createBackup } from "./create_backup.ts";
import { listBackups } from "./list_backups.ts";
import { readBackup } from "./read_backup.ts";

const ID_REGEXP = /^20261130T12000\dZ-web-[0-9a-f]{4}$/;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

Deno.test("createBackup() copies the files and the volume, stopping and starting what runs", async () => {
  await using web = await installedWeb();
  const { fixture, context, lines } = web;
  const record = await createBackup(context, "web", { type: "manual" });
  match(record.id, ID_REGEXP);
  const dir = `${fixture.workDir}/backups/${record.id}`;
  deepStrictEqual(record.files.map((f) => f.path), [
    "web-data.volume",
    "web.conf",
    "web.container",
  ]);
  for (const file of record.files) {
    const text = await Deno.readTextFile(`${dir}/files/${file.path}`);
    strictEqual(file.sha256, sha256(text));
    strictEqual(file.bytes, text.length);
  }
  deepStrictEqual(record.volumes, [{
    name: "systemd-web-data",
    file: "volumes/systemd-web-data.tar",
    sha256: sha256("precious data\n"),
    bytes: 14,
  }]);
  strictEqual(
    await Deno.readTextFile(`${dir}/volumes/systemd-web-data.tar`),
    "precious data\n",
  );
  strictEqual(
    record.size_bytes,
    record.files.reduce((n, f) => n + f.bytes, 0) + 14,
  );
  deepStrictEqual(
    [record.type, record.live, record.deployment, record.scope],
    ["manual", false, "web", "user"],
  );
  deepStrictEqual(record.source, {
    type: "local",
    location: `${fixture.home}/src/web`,
  });
  deepStrictEqual(record.stopped_services, ["web.service"]);
  // What was written is what reading gives back.
  deepStrictEqual(await readBackup(context, record.id), record);
  deepStrictEqual(await backupFolders(fixture), [record.id]);
  strictEqual(
    fixture.host.services.get("web.service")?.activeState,
    "active",
  );
  const stop = fixture.host.calls.findIndex((c) =>
    c.startsWith("systemctl --user stop")
  );
  const exported = fixture.host.calls.findIndex((c) =>
    c.startsWith("podman volume export")
  );
  ok(stop >= 0 && stop < exported, fixture.host.calls.join("\n"));
  // Started again past systemd's start rate limit, which is for crash loops.
  deepStrictEqual(
    fixture.host.calls.slice(exported + 1).filter((c) =>
      c.startsWith("systemctl")
    ),
    [
      "systemctl --user reset-failed -- web.service",
      "systemctl --user start -- web.service",
    ],
  );
  match(
    lines.join("\n"),
    /Stopping web\.service \(uses systemd-web-data\) for a consistent copy/,
  );
  match(lines.join("\n"), /Starting web\.service again/);
  strictEqual(
    (await Deno.stat(`${fixture.workDir}/backups`)).mode! & 0o777,
    0o700,
  );
});

Deno.test("createBackup() stops only the services that use the volume, and those that require them", async () => {
  await using web = await installedWeb({ files: SHARED_HOST_FILES });
  const { fixture, context, lines } = web;
  const running = [
    "proxy.service",
    "tsa.service",
    "tsb.service",
    "web.service",
  ];
  for (const service of running) {
    strictEqual(fixture.host.services.get(service)?.activeState, "active");
  }
  fixture.host.calls.length = 0;
  const record = await createBackup(context, "web", { type: "manual" });
  deepStrictEqual(record.stopped_services, ["web.service", "proxy.service"]);
  deepStrictEqual(
    fixture.host.calls.filter((c) => /^systemctl --user (stop|start) /.test(c)),
    [
      "systemctl --user stop -- web.service proxy.service",
      "systemctl --user start -- web.service proxy.service",
    ],
  );
  match(
    lines.join("\n"),
    /^Stopping web\.service \(uses systemd-web-data\) and proxy\.service \(requires web\.service\) for a consistent copy \(--live copies the volumes running\)…$/m,
  );
  match(lines.join("\n"), /^Starting web\.service, proxy\.service again…$/m);
  for (const service of running) {
    strictEqual(fixture.host.services.get(service)?.activeState, "active");
  }
});

Deno.test("createBackup() with startAgain false leaves what it stopped stopped, unless it fails", async (t) => {
  await t.step("the backup is taken: they stay stopped", async () => {
    await using web = await installedWeb({ files: SHARED_HOST_FILES });
    const { fixture, context, lines } = web;
    const record = await createBackup(context, "web", {
      type: "manual",
      startAgain: false,
    });
    deepStrictEqual(record.stopped_services, ["web.service", "proxy.service"]);
    doesNotMatch(lines.join("\n"), /again/);
    strictEqual(
      fixture.host.services.get("web.service")?.activeState,
      "inactive",
    );
    strictEqual(
      fixture.host.services.get("tsa.service")?.activeState,
      "active",
    );
  });
  await t.step("the backup fails: they run again", async () => {
    await using web = await installedWeb({
      files: SHARED_HOST_FILES,
      beforeCall: (line) => {
        if (line.startsWith("podman volume export")) {
          throw new CommandError(
            "podman",
            ["volume", "export"],
            125,
            "Error: boom\n",
          );
        }
      },
    });
    const { fixture, context } = web;
    await rejects(
      createBackup(context, "web", { type: "manual", startAgain: false }),
      { code: "ERR_BACKUP_FAILED" },
    );
    strictEqual(
      fixture.host.services.get("web.service")?.activeState,
      "active",
    );
    strictEqual(
      fixture.host.services.get("proxy.service")?.activeState,
      "active",
    );
    deepStrictEqual(await backupFolders(fixture), []);
  });
});

Deno.test("createBackup() leaves the services running with live, and skips volumes when asked", async (t) => {
  const cases = [
    { name: "live", options: { live: true }, volumes: 1, live: true },
    {
      name: "no volumes",
      options: { volumes: false },
      volumes: 0,
      live: false,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using web = await installedWeb();
      const { fixture, context } = web;
      fixture.host.calls.length = 0;
      const record = await createBackup(context, "web", {
        type: "manual",
        ...c.options,
      });
      strictEqual(record.volumes.length, c.volumes);
      strictEqual(record.live, c.live);
      deepStrictEqual(record.stopped_services, []);
      deepStrictEqual(
        fixture.host.calls.filter((call) => / (stop|start) /.test(call)),
        [],
      );
    });
  }
});

Deno.test("createBackup() keeps nothing and starts the services again when it fails", async (t) => {
  const controller = new AbortController();
  const cases = [
    {
      name: "Podman cannot export the volume",
      fail: () => {
        throw new CommandError(
          "podman",
          ["volume", "export"],
          125,
          "Error: open /x: input/output error\n",
        );
      },
      error: {
        code: "ERR_BACKUP_FAILED",
        message:
          'Cannot back up "web": podman volume export exited with code 125',
      },
    },
    {
      name: "the disk fills up",
      fail: () => {
        throw new CommandError(
          "podman",
          ["volume", "export"],
          125,
          "Error: write /x: no space left on device\n",
        );
      },
      error: { code: "ERR_STATE_UNWRITABLE", message: /the disk is full/ },
    },
    {
      name: "a signal arrives during the export",
      fail: () => controller.abort(new Error("Interrupted by SIGTERM")),
      signal: controller.signal,
      error: {
        code: "ERR_INTERRUPTED",
        message: 'Cannot finish the backup of "web": it was interrupted',
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using web = await installedWeb({
        beforeCall: (line) => {
          if (line.startsWith("podman volume export")) c.fail();
        },
      });
      const { fixture, context } = web;
      const error = await createBackup(context, "web", {
        type: "manual",
        signal: c.signal,
      }).then(() => null, (e) => e);
      ok(error !== null);
      strictEqual(error.code, c.error.code, error.message);
      match(error.message, new RegExp(c.error.message));
      deepStrictEqual(error.details.slice(-2), [
        "Nothing of the backup was kept.",
        "web.service is running again.",
      ]);
      deepStrictEqual(await backupFolders(fixture), []);
      strictEqual(
        fixture.host.services.get("web.service")?.activeState,
        "active",
      );
    });
  }
});

Deno.test("createBackup() of an auto backup keeps the last few, never a manual one", async () => {
  await using web = await installedWeb();
  const { context, lines } = web;
  const manual = await createBackup(context, "web", { type: "manual" });
  const auto = [];
  for (let i = 0; i < 4; i++) {
    auto.push(await createBackup(context, "web", { type: "auto", keep: 2 }));
  }
  deepStrictEqual(
    (await listBackups(context, "web")).map((b) => b.id),
    [manual.id, auto[2].id, auto[3].id],
  );
  match(lines.join("\n"), /Removed 1 older automatic backup of "web"/);
});

Deno.test("createBackup() of an auto backup reads how many to keep from config.yaml", async () => {
  await using web = await installedWeb();
  const { fixture, context } = web;
  await Deno.mkdir(`${fixture.home}/.config/leger`, { recursive: true });
  await Deno.writeTextFile(
    `${fixture.home}/.config/leger/config.yaml`,
    "backups:\n  keep: 1\n",
  );
  await createBackup(context, "web", { type: "auto" });
  const last = await createBackup(context, "web", { type: "auto" });
  deepStrictEqual(
    (await listBackups(context)).map((b) => b.id),
    [last.id],
  );
  await Deno.writeTextFile(
    `${fixture.home}/.config/leger/config.yaml`,
    "backups:\n  keep: 0\n",
  );
  // Updates take none; one taken all the same is kept, alone.
  const alone = await createBackup(context, "web", { type: "auto" });
  deepStrictEqual(
    (await listBackups(context)).map((b) => b.id),
    [alone.id],
  );
  await Deno.writeTextFile(
    `${fixture.home}/.config/leger/config.yaml`,
    "backups:\n  keep: -1\n",
  );
  fixture.host.calls.length = 0;
  await rejects(createBackup(context, "web", { type: "auto" }), {
    code: "ERR_CONFIG_INVALID",
    message: /backups\.keep must be a whole number from 0 to 1000/,
  });
  // Refused before anything was stopped.
  deepStrictEqual(fixture.host.calls, []);
});

Deno.test("createBackup() refuses what it cannot back up, changing nothing", async (t) => {
  await t.step("a deployment that is not installed", async () => {
    await using web = await installedWeb();
    const { context } = web;
    await rejects(createBackup(context, "db", { type: "manual" }), {
      code: "ERR_DEPLOYMENT_NOT_FOUND",
      message:
        'Cannot find the installed deployment "db" in the user scope: installed are web',
      remedy: "Name one of them, such as `web`",
    });
  });
  await t.step("a deployment whose recorded copy was changed", async () => {
    await using web = await installedWeb();
    const { fixture, context } = web;
    await Deno.writeTextFile(
      `${fixture.workDir}/active/web/web.conf`,
      "greeting=changed\n",
    );
    await rejects(createBackup(context, "web", { type: "manual" }), {
      code: "ERR_STATE_INVALID",
      message: /leger's copy of web\.conf does not match the checksum/,
    });
    deepStrictEqual(await backupFolders(fixture), []);
    strictEqual(
      fixture.host.services.get("web.service")?.activeState,
      "active",
    );
  });
});

Deno.test("createBackup() removes what a killed backup left", async () => {
  await using web = await installedWeb();
  const { fixture, context } = web;
  const left = `${fixture.workDir}/backups/.create-20261130T110000Z-web-0000`;
  await Deno.mkdir(`${left}/volumes`, { recursive: true });
  const record = await createBackup(context, "web", { type: "manual" });
  deepStrictEqual(await backupFolders(fixture), [record.id]);
});
