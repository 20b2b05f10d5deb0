import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import {
  commandFixture,
  WEB_FILES,
} from "../../../tests/fakes/command_fixture.ts";
import {
  type IntentJournal,
  writeJournal,
} from "../../../lib/state/intent_journal.ts";
import { runProgram } from "../../program.ts";

const INSTALLED = ["web-data.volume", "web.conf", "web.container"];

/** The journal a leger killed while changing the web deployment leaves. */
function killedWebJournal(
  operation: "install" | "remove",
  extra: Partial<IntentJournal>,
): IntentJournal {
  return {
    change_id: crypto.randomUUID(),
    operation,
    deployment: "web",
    pid: 4242,
    started_at: "2026-11-30T12:00:00.000Z",
    staged_dir: null,
    files: Object.keys(WEB_FILES),
    unit_services: ["web-data-volume.service", "web.service"],
    services: ["web.service"],
    volumes: ["systemd-web-data"],
    networks: [],
    previous: null,
    remove_volumes: false,
    ...extra,
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("deploy install undoes everything on each signal that ends a process", async (t) => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    await t.step(`${signal} while the services start`, async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web");
      const runner = fixture.deps.runner;
      fixture.deps.runner = async (bin, args, options) => {
        const result = await runner(bin, args, options);
        if (bin === "systemctl" && args.includes("start")) {
          fixture.signals.get(signal)?.();
          // A second signal does not stop the undo.
          fixture.signals.get(signal)?.();
        }
        return result;
      };
      const code = await runProgram(
        ["deploy", "install", "--source", source, "--yes"],
        fixture.deps,
      );
      strictEqual(code, 130, fixture.output.stderr);
      match(
        fixture.output.stderr,
        new RegExp(`${signal}: undoing the change, please wait`),
      );
      // Said once: not again by the install itself.
      strictEqual(
        /^Undoing the changes, please wait/m.test(fixture.output.stderr),
        false,
      );
      match(fixture.output.stderr, /still undoing/);
      match(fixture.output.stderr, /Undone: nothing of "web" is installed/);
      deepStrictEqual(await fixture.quadletFiles(), []);
      deepStrictEqual([...fixture.host.volumes], []);
      strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
      strictEqual(
        await exists(`${fixture.workDir}/staged`),
        false,
        "a staged copy or an empty staged/ was left",
      );
    });
  }
});

Deno.test("deploy install over an installed version undoes back to it, running", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  strictEqual(
    await runProgram(
      ["deploy", "install", "--source", source, "--yes"],
      fixture.deps,
    ),
    0,
  );
  await Deno.writeTextFile(`${source}/web.conf`, "greeting=bye\n");
  await Deno.writeTextFile(`${source}/extra.conf`, "x=1\n");
  const runner = fixture.deps.runner;
  fixture.deps.runner = async (bin, args, options) => {
    const result = await runner(bin, args, options);
    if (bin === "systemctl" && args.includes("start")) {
      fixture.signals.get("SIGINT")?.();
    }
    return result;
  };
  fixture.clearOutput();
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 130, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /the previous version of "web" is installed and web.service running again/,
  );
  deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
  strictEqual(
    await Deno.readTextFile(`${fixture.quadletDir}/web.conf`),
    WEB_FILES["web.conf"],
  );
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  deepStrictEqual([...fixture.host.volumes], ["systemd-web-data"]);
});

Deno.test("the next command that takes the lock finishes a change a killed leger left", async (t) => {
  await t.step(
    "an install killed after Podman installed its units is undone",
    async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web");
      // What a leger killed (SIGKILL) right after Podman installed the units
      // leaves: a unit in the quadlet folder, loaded; its staged copy; the
      // journal. Nothing undid it.
      await Deno.writeTextFile(
        `${fixture.quadletDir}/web.container`,
        WEB_FILES["web.container"],
      );
      await fixture.deps.runner("systemctl", ["--user", "daemon-reload"]);
      await Deno.mkdir(`${fixture.workDir}/staged/.web.deadbeef`, {
        recursive: true,
      });
      await writeJournal(
        fixture.stateDir,
        killedWebJournal("install", {
          staged_dir: `${fixture.workDir}/staged/.web.deadbeef`,
        }),
      );
      strictEqual(fixture.host.services.has("web.service"), true);
      fixture.clearOutput();
      strictEqual(
        await runProgram(["deploy", "list", "--json"], fixture.deps),
        0,
      );
      match(
        JSON.stringify(JSON.parse(fixture.output.stdout)),
        /"unfinished":\{"operation":"install"/,
      );
      fixture.clearOutput();
      strictEqual(
        await runProgram(
          ["deploy", "install", "--source", source, "--yes"],
          fixture.deps,
        ),
        0,
        fixture.output.stderr,
      );
      match(fixture.output.stderr, /Undid an interrupted install of "web"/);
      deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
      strictEqual(
        await exists(`${fixture.workDir}/staged/.web.deadbeef`),
        false,
      );
      strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
    },
  );

  await t.step(
    "a remove killed half-way is finished, even with its units gone by hand",
    async () => {
      await using fixture = await commandFixture();
      const source = await fixture.writeSource("web");
      await runProgram(
        ["deploy", "install", "--source", source, "--yes"],
        fixture.deps,
      );
      await writeJournal(
        fixture.stateDir,
        killedWebJournal("remove", { staged_dir: null }),
      );
      await Deno.remove(`${fixture.quadletDir}/web.container`);
      fixture.clearOutput();
      strictEqual(
        await runProgram(["staged", "discard"], fixture.deps),
        0,
        fixture.output.stderr,
      );
      match(fixture.output.stderr, /Finished removing "web"/);
      deepStrictEqual(await fixture.quadletFiles(), []);
      fixture.clearOutput();
      await runProgram(["deploy", "list", "--json"], fixture.deps);
      deepStrictEqual(JSON.parse(fixture.output.stdout), []);
    },
  );
});

Deno.test("deploy remove --force removes a deployment whose record is gone", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  await Deno.writeTextFile(
    `${fixture.stateDir}/deployments.yaml`,
    "deployments: []\n",
  );
  fixture.clearOutput();
  strictEqual(
    await runProgram(["deploy", "remove", "web", "--yes"], fixture.deps),
    1,
  );
  match(
    fixture.output.stderr,
    /deploy remove web --force[\s\S]*ERR_DEPLOYMENT_NOT_FOUND/,
  );
  fixture.clearOutput();
  strictEqual(
    await runProgram(
      ["deploy", "remove", "web", "--yes", "--force"],
      fixture.deps,
    ),
    0,
    fixture.output.stderr,
  );
  deepStrictEqual(await fixture.quadletFiles(), []);
  strictEqual(fixture.host.services.size, 0);
});

Deno.test("deploy install refuses a state folder it cannot write, before any change", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  // A file where the state folder should be: no writes can go there, even as root.
  await Deno.mkdir(`${fixture.home}/.local/share`, { recursive: true });
  await Deno.writeTextFile(
    `${fixture.home}/.local/share/bluebuild-quadlets`,
    "",
  );
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /Cannot write to .*bluebuild-quadlets[\s\S]*ERR_STATE_UNWRITABLE/,
  );
  deepStrictEqual(await fixture.quadletFiles(), []);
  strictEqual(
    fixture.host.calls.some((c) => c.startsWith("podman quadlet install")),
    false,
  );
});

Deno.test("staged discard removes staged updates and nothing installed", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  await Deno.writeTextFile(`${source}/web.conf`, "greeting=hi\n");
  await runProgram(["deploy", "update", "web", "--dry-run"], fixture.deps);
  strictEqual(await exists(`${fixture.workDir}/staged/web`), true);
  fixture.clearOutput();
  strictEqual(await runProgram(["staged", "discard", "web"], fixture.deps), 0);
  strictEqual(fixture.output.stdout, "Discarded the staged update of web\n");
  strictEqual(await exists(`${fixture.workDir}/staged/web`), false);
  deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
});

Deno.test("deploy install that fails after recording itself is not undone, and the next leger finishes it", async () => {
  await using fixture = await commandFixture();
  const source = await fixture.writeSource("web");
  // A damaged manifest.json: recording stops after deployments.yaml.
  await Deno.mkdir(fixture.stateDir, { recursive: true });
  await Deno.writeTextFile(`${fixture.stateDir}/manifest.json`, "{ not json");
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 1, fixture.output.stderr);
  match(
    fixture.output.stderr,
    /Installed "web", but could not finish recording it/,
  );
  deepStrictEqual(await fixture.quadletFiles(), INSTALLED);
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  await Deno.remove(`${fixture.stateDir}/manifest.json`);
  fixture.clearOutput();
  strictEqual(await runProgram(["staged", "discard"], fixture.deps), 0);
  match(
    fixture.output.stderr,
    /Found the install of "web" .* complete: it is installed/,
  );
  strictEqual(await exists(`${fixture.stateDir}/journal.json`), false);
  strictEqual(
    await exists(`${fixture.workDir}/active/web/web.container`),
    true,
  );
});
