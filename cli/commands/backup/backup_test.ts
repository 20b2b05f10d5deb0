import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  backupFolders,
  installedWeb,
  SHARED_HOST_FILES,
} from "../../../tests/fakes/backup_fixture.ts";
import { runProgram } from "../../program.ts";

const ID = "20261130T120000Z-web-[0-9a-f]{4}";

Deno.test("backup create prints the id and size; list and info show it", async (t) => {
  await using web = await installedWeb();
  const { fixture } = web;
  const run = async (argv: string[]) => {
    fixture.clearOutput();
    const code = await runProgram(argv, fixture.deps);
    strictEqual(code, 0, fixture.output.stderr);
    return fixture.output.stdout;
  };
  let id = "";
  await t.step("create", async () => {
    const stdout = await run(["backup", "create", "web"]);
    match(stdout, new RegExp(`^${ID}\t[0-9.]+ (bytes|KiB)\n$`));
    id = stdout.split("\t")[0];
    match(
      fixture.output.stderr,
      /Stopping web\.service \(uses systemd-web-data\) for a consistent copy[\s\S]*Exported the volume systemd-web-data \(14 bytes\)[\s\S]*Starting web\.service again/,
    );
  });
  await t.step(
    "list, without a terminal: tab-separated, no header",
    async () => {
      const stdout = await run(["backup", "list"]);
      deepStrictEqual(stdout.split("\t").slice(0, 5), [
        id,
        "web",
        "2026-11-30T12:00:00.000Z",
        stdout.split("\t")[3],
        "manual",
      ]);
      strictEqual(stdout.split("\n").length, 2);
    },
  );
  await t.step("list --json", async () => {
    const [listed] = JSON.parse(await run(["backup", "list", "--json"]));
    deepStrictEqual(
      [listed.id, listed.type, listed.volumes, listed.version, listed.live],
      [id, "manual", ["systemd-web-data"], null, false],
    );
  });
  await t.step("list of another deployment is empty", async () => {
    strictEqual(await run(["backup", "list", "db"]), "");
  });
  await t.step("info", async () => {
    const stdout = await run(["backup", "info", id]);
    match(stdout, new RegExp(`^Backup\t${id}\n`));
    match(stdout, /^Deployment\tweb \(user scope\)$/m);
    match(stdout, /^Volumes\tconsistent \(web\.service stopped meanwhile\)$/m);
    match(
      stdout,
      /^volume\tsystemd-web-data \(volumes\/systemd-web-data\.tar\)\t14 bytes\tsha256:[0-9a-f]{64}$/m,
    );
    match(stdout, /^file\tweb\.container\t\d+ bytes\tsha256:[0-9a-f]{64}$/m);
  });
  await t.step("info --json", async () => {
    const document = JSON.parse(await run(["backup", "info", id, "--json"]));
    strictEqual(document.id, id);
    strictEqual(document.path, `${fixture.workDir}/backups/${id}`);
    deepStrictEqual(document.files.map((f: { path: string }) => f.path), [
      "web-data.volume",
      "web.conf",
      "web.container",
    ]);
  });
});

Deno.test("backup commands on a terminal: a check mark, a header, a word when there is nothing", async () => {
  await using web = await installedWeb();
  const { fixture } = web;
  fixture.deps.context = { ...fixture.deps.context, stdoutIsTerminal: true };
  strictEqual(await runProgram(["backup", "list"], fixture.deps), 0);
  strictEqual(fixture.output.stdout, "");
  match(fixture.output.stderr, /^No backups in the user scope\. Take one/);
  strictEqual(await runProgram(["backup", "create"], fixture.deps), 0);
  match(fixture.output.stdout, new RegExp(`^✓ Backed up web: ${ID} \\(`));
  fixture.clearOutput();
  strictEqual(await runProgram(["backup", "list"], fixture.deps), 0);
  match(
    fixture.output.stdout,
    /^ID +DEPLOYMENT +CREATED +SIZE +TYPE +VERSION\n/,
  );
});

Deno.test("backup list with no backups says so when a person watches, and prints [] with --json", async (t) => {
  await using web = await installedWeb();
  const { fixture } = web;
  const context = fixture.deps.context;
  const cases = [
    {
      argv: ["backup", "list"],
      stdout: false,
      stderr: true,
      out: "",
      err:
        "No backups in the user scope. Take one with `leger backup create NAME`.\n",
    },
    {
      argv: ["backup", "list", "nosuch"],
      stdout: true,
      stderr: true,
      out: "",
      err:
        'No backups of "nosuch" in the user scope. Take one with `leger backup create NAME`.\n',
    },
    {
      argv: ["backup", "list", "nosuch"],
      stdout: false,
      stderr: false,
      out: "",
      err: "",
    },
    {
      argv: ["backup", "list", "--json"],
      stdout: true,
      stderr: true,
      out: "[]\n",
      err: "",
    },
    {
      argv: ["backup", "list", "nosuch", "--json"],
      stdout: false,
      stderr: false,
      out: "[]\n",
      err: "",
    },
  ];
  for (const c of cases) {
    await t.step(
      `${c.argv.join(" ")}, stdout ${
        c.stdout ? "" : "not "
      }a terminal, stderr ${c.stderr ? "" : "not "}a terminal`,
      async () => {
        fixture.deps.context = {
          ...context,
          stdoutIsTerminal: c.stdout,
          stderrIsTerminal: c.stderr,
        };
        fixture.clearOutput();
        strictEqual(await runProgram(c.argv, fixture.deps), 0);
        strictEqual(fixture.output.stdout, c.out);
        strictEqual(fixture.output.stderr, c.err);
      },
    );
  }
});

Deno.test("backup create stops on SIGTERM: nothing kept, the service running again", async () => {
  let raise = () => {};
  await using web = await installedWeb({
    beforeCall: (line) => {
      if (line.startsWith("podman volume export")) raise();
    },
  });
  const { fixture } = web;
  raise = () => fixture.signals.get("SIGTERM")?.();
  const code = await runProgram(["backup", "create", "web"], fixture.deps);
  strictEqual(code, 130, fixture.output.stderr);
  match(fixture.output.stderr, /SIGTERM: stopping the backup, please wait/);
  match(
    fixture.output.stderr,
    /Cannot finish the backup of "web": it was interrupted\n {2}Nothing of the backup was kept\.\n {2}web\.service is running again\./,
  );
  deepStrictEqual(await backupFolders(fixture), []);
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
});

Deno.test("backup restore asks, checks and brings the data back", async (t) => {
  await using web = await installedWeb();
  const { fixture, volumes } = web;
  strictEqual(await runProgram(["backup", "create", "web"], fixture.deps), 0);
  const id = fixture.output.stdout.split("\t")[0];
  volumes.data.set("systemd-web-data", "changed\n");
  await t.step("without --yes and no terminal, it asks for --yes", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(["backup", "restore", id], fixture.deps),
      2,
    );
    match(fixture.output.stderr, /ERR_CONFIRMATION_REQUIRED/);
    strictEqual(volumes.data.get("systemd-web-data"), "changed\n");
  });
  await t.step("with --yes", async () => {
    fixture.clearOutput();
    strictEqual(
      await runProgram(["backup", "restore", id, "--yes"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    strictEqual(fixture.output.stdout, `Restored web from ${id}\n`);
    strictEqual(volumes.data.get("systemd-web-data"), "precious data\n");
  });
  await t.step("a damaged backup is refused", async () => {
    const tar = `${fixture.workDir}/backups/${id}/volumes/systemd-web-data.tar`;
    await Deno.writeTextFile(tar, "precious dat4\n");
    volumes.data.set("systemd-web-data", "changed again\n");
    fixture.clearOutput();
    strictEqual(
      await runProgram(["backup", "restore", id, "--yes"], fixture.deps),
      1,
    );
    match(
      fixture.output.stderr,
      /Cannot trust the backup .*: volumes\/systemd-web-data\.tar does not match its checksum[\s\S]*Nothing was changed on this host\.[\s\S]*ERR_BACKUP_CORRUPT/,
    );
    strictEqual(volumes.data.get("systemd-web-data"), "changed again\n");
  });
});

Deno.test("backup restore interrupted says once that it undoes the restore", async () => {
  let raise = () => {};
  await using web = await installedWeb({
    beforeCall: (line) => {
      if (line.startsWith("podman volume import")) raise();
    },
  });
  const { fixture, volumes } = web;
  strictEqual(await runProgram(["backup", "create", "web"], fixture.deps), 0);
  const id = fixture.output.stdout.split("\t")[0];
  volumes.data.set("systemd-web-data", "changed\n");
  fixture.clearOutput();
  raise = () => {
    raise = () => {};
    fixture.signals.get("SIGINT")?.();
  };
  strictEqual(
    await runProgram(["backup", "restore", id, "--yes"], fixture.deps),
    130,
    fixture.output.stderr,
  );
  const said = fixture.output.stderr.split("\n").filter((line) =>
    /undo|rolling|please wait/i.test(line) && !/^ {2}/.test(line)
  );
  deepStrictEqual(said, ["SIGINT: undoing the restore, please wait…"]);
  strictEqual(volumes.data.get("systemd-web-data"), "changed\n");
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
});

Deno.test("deploy remove --backup-volumes backs up first, and the backup restores it", async () => {
  await using web = await installedWeb();
  const { fixture, volumes } = web;
  const code = await runProgram(
    [
      "deploy",
      "remove",
      "web",
      "--backup-volumes",
      "--remove-volumes",
      "--yes",
    ],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  const match_ = new RegExp(`^Removed web \\(backed up as (${ID})\\)\n$`)
    .exec(fixture.output.stdout);
  ok(match_ !== null, fixture.output.stdout);
  const id = match_[1];
  match(
    fixture.output.stderr,
    new RegExp(
      `Backed up web as ${id} \\(.*\\): \`leger backup restore ${id}\``,
    ),
  );
  strictEqual(fixture.host.volumes.has("systemd-web-data"), false);
  deepStrictEqual(await fixture.quadletFiles(), []);
  fixture.clearOutput();
  strictEqual(
    await runProgram(["backup", "restore", id, "--yes"], fixture.deps),
    0,
    fixture.output.stderr,
  );
  strictEqual(volumes.data.get("systemd-web-data"), "precious data\n");
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
});

Deno.test("deploy remove --backup-volumes stops what uses the volumes once, and starts nothing in between", async () => {
  await using web = await installedWeb({ files: SHARED_HOST_FILES });
  const { fixture } = web;
  fixture.host.calls.length = 0;
  const code = await runProgram(
    ["deploy", "remove", "web", "--backup-volumes", "--yes"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  const lines = fixture.output.stderr.split("\n").filter((l) =>
    /^(Stopping|Starting|Backed up)/.test(l)
  );
  deepStrictEqual(lines.map((l) => l.replace(/ as .*/, "")), [
    "Stopping web.service (uses systemd-web-data) and proxy.service (requires web.service) for a consistent copy (--live copies the volumes running)…",
    "Backed up web",
    "Stopping proxy.service, tsa.service, tsb.service, web-data-volume.service, web.service…",
  ]);
  deepStrictEqual(
    fixture.host.calls.filter((c) => /^systemctl --user (start|stop) /.test(c)),
    [
      "systemctl --user stop -- web.service proxy.service",
      "systemctl --user stop -- proxy.service tsa.service tsb.service web-data-volume.service web.service",
    ],
  );
  deepStrictEqual(await fixture.quadletFiles(), []);
});

Deno.test("deploy remove --backup-volumes removes nothing when the backup fails", async () => {
  await using web = await installedWeb({
    beforeCall: (line) => {
      if (line.startsWith("podman volume export")) {
        throw new Error("export failed");
      }
    },
  });
  const { fixture } = web;
  const code = await runProgram(
    ["deploy", "remove", "web", "--backup-volumes", "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1);
  deepStrictEqual(await fixture.quadletFiles(), [
    "web-data.volume",
    "web.conf",
    "web.container",
  ]);
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
});

Deno.test("backup commands refuse what they cannot do", async (t) => {
  const cases = [
    {
      argv: ["backup", "create", "db"],
      code: 1,
      stderr:
        /Cannot find the installed deployment "db"[\s\S]*ERR_DEPLOYMENT_NOT_FOUND/,
    },
    {
      argv: ["backup", "create", "--scope", "system"],
      code: 2,
      stderr: /needs root[\s\S]*ERR_USAGE/,
    },
    {
      argv: ["backup", "info", "20261130T120000Z-web-0000"],
      code: 1,
      stderr:
        /Cannot find the backup "20261130T120000Z-web-0000" in the user scope[\s\S]*ERR_BACKUP_NOT_FOUND/,
    },
    {
      argv: ["backup", "restore", "../../etc", "--yes"],
      code: 1,
      stderr:
        /a backup id reads like 20261130T163000Z-web-ab12[\s\S]*ERR_BACKUP_NOT_FOUND/,
    },
  ];
  for (const c of cases) {
    await t.step(c.argv.join(" "), async () => {
      await using web = await installedWeb();
      const { fixture } = web;
      strictEqual(await runProgram(c.argv, fixture.deps), c.code);
      match(fixture.output.stderr, c.stderr);
      deepStrictEqual(await backupFolders(fixture), []);
    });
  }
});
