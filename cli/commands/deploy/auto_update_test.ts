/**
 * The update timer's runs (`leger deploy update --all --yes --wait` under
 * `LEGER_UPDATE_TRIGGER=timer`, as leger-update.service runs it): one line
 * per deployment on stderr for the journal, the result recorded in
 * `last-auto-updates.json`, and `leger deploy list` showing it.
 *
 * @module
 */
import {
  deepStrictEqual,
  doesNotMatch,
  match,
  ok,
  strictEqual,
} from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
} from "../../../tests/fakes/command_fixture.ts";
import { fakeVolumes } from "../../../tests/fakes/fake_volumes.ts";
import { readLastAutoUpdates } from "../../../lib/state/last_auto_updates.ts";
import { readDeployments } from "../../../lib/state/deployments_file.ts";
import { runProgram } from "../../program.ts";
import type { ListedDeployment } from "./list.ts";

/** The command line of leger-update.service. */
const TIMER_ARGS = ["deploy", "update", "--all", "--yes", "--wait"];

const container = (...lines: string[]) =>
  ["[Container]", "Image=localhost/bb:latest", ...lines, ""].join("\n");

function files(version: string, ...lines: string[]): Record<string, string> {
  return {
    ".leger.yaml": `name: web\nversion: "${version}"\n`,
    "web.container": container(
      "PublishPort=18080:8080",
      "Volume=web-data.volume:/data",
      ...lines,
    ),
    "web-data.volume": "[Volume]\n",
  };
}

/** The fixture with web v1 installed, and where its source folder is. */
async function installed(
  options: { failing?: string[] } = {},
): Promise<{ fixture: CommandFixture; source: string }> {
  const fixture = await commandFixture({ failing: options.failing ?? [] });
  // The timer's runs take the automatic backup: volumes with data to export.
  fixture.deps.runner = fakeVolumes(fixture.host).runner;
  const source = await fixture.writeSource("web", files("1"));
  const code = await runProgram(
    ["deploy", "install", "--source", source, "--yes"],
    fixture.deps,
  );
  strictEqual(code, 0, fixture.output.stderr);
  return { fixture, source };
}

/** Runs leger as leger-update.service does (`timer: false`: as a person). */
async function runUpdate(
  fixture: CommandFixture,
  options: { timer: boolean; json?: boolean },
): Promise<number> {
  const env = fixture.deps.context.env;
  const deps = {
    ...fixture.deps,
    context: {
      ...fixture.deps.context,
      env: (name: string) =>
        name === "LEGER_UPDATE_TRIGGER"
          ? (options.timer ? "timer" : undefined)
          : env(name),
    },
  };
  fixture.clearOutput();
  return await runProgram(
    [...TIMER_ARGS, ...(options.json ? ["--json"] : [])],
    deps,
  );
}

async function listJson(fixture: CommandFixture): Promise<ListedDeployment[]> {
  fixture.clearOutput();
  strictEqual(
    await runProgram(["deploy", "list", "--json"], fixture.deps),
    0,
    fixture.output.stderr,
  );
  return JSON.parse(fixture.output.stdout);
}

/** Makes `web.service` die as it starts whenever its unit runs /bin/false. */
function dyingWhenBroken(fixture: CommandFixture, failing: string[]): void {
  const runner = fixture.deps.runner;
  fixture.deps.runner = async (bin, args, options) => {
    if (bin === "systemctl" && /^(start|restart)$/.test(args[1] ?? "")) {
      const text = await Deno.readTextFile(
        `${fixture.quadletDir}/web.container`,
      );
      failing.length = 0;
      if (text.includes("Exec=/bin/false")) failing.push("web.service");
    }
    return await runner(bin, args, options);
  };
}

Deno.test("deploy update records the last automatic update for the timer's runs only, and deploy list shows it", async (t) => {
  const { fixture, source } = await installed();
  await using _ = fixture;

  await t.step("never run: last_auto_update is null", async () => {
    const [listed] = await listJson(fixture);
    strictEqual(listed.last_auto_update, null);
  });

  await t.step("a person's update records nothing", async () => {
    await Deno.writeTextFile(
      `${source}/.leger.yaml`,
      'name: web\nversion: "2"\n',
    );
    await Deno.writeTextFile(
      `${source}/web.container`,
      files("2", "Environment=LEVEL=2")["web.container"],
    );
    strictEqual(await runUpdate(fixture, { timer: false }), 0);
    strictEqual(
      await Deno.stat(`${fixture.stateDir}/last-auto-updates.json`).then(
        () => true,
        () => false,
      ),
      false,
    );
    doesNotMatch(fixture.output.stderr, /leger-update:/);
    const [listed] = await listJson(fixture);
    strictEqual(listed.version, "2");
    strictEqual(listed.last_auto_update, null);
  });

  await t.step(
    "the timer's update is recorded, and said on stderr",
    async () => {
      for (
        const [path, text] of Object.entries(files("3", "Environment=L=3"))
      ) {
        await Deno.writeTextFile(`${source}/${path}`, text);
      }
      strictEqual(
        await runUpdate(fixture, { timer: true }),
        0,
        fixture.output.stderr,
      );
      match(
        fixture.output.stderr,
        /^leger-update: updated "web" \(user scope\) \(2 → 3\): restarted web\.service$/m,
      );
      const { web } = await readLastAutoUpdates(fixture.stateDir);
      const { finished_at, backup, ...rest } = web;
      deepStrictEqual(rest, {
        outcome: "updated",
        from: "2",
        to: "3",
        restarted: ["web.service"],
        started: [],
        stopped: [],
        error: null,
      });
      ok(!Number.isNaN(Date.parse(finished_at)), finished_at);
      match(
        backup ?? "",
        /-web-/,
        "the timer's run takes the automatic backup",
      );
      const [listed] = await listJson(fixture);
      deepStrictEqual(listed.last_auto_update, web);
    },
  );

  await t.step("deploy list shows it in a column", async () => {
    fixture.clearOutput();
    strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
    const { web } = await readLastAutoUpdates(fixture.stateDir);
    const [row] = fixture.output.stdout.trim().split("\n").map((line) =>
      line.split("\t")
    );
    // Without a terminal: the full RFC 3339 time, for scripts.
    strictEqual(row.at(-1), `updated ${web.finished_at}, 2 → 3`);
    strictEqual(fixture.output.stderr, "");
    fixture.clearOutput();
    fixture.deps.context = { ...fixture.deps.context, stdoutIsTerminal: true };
    try {
      strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
    } finally {
      fixture.deps.context = {
        ...fixture.deps.context,
        stdoutIsTerminal: false,
      };
    }
    const [header, line] = fixture.output.stdout.split("\n");
    match(header, /VERSION +AUTO-UPDATE$/);
    match(line, / updated \d{4}-\d\d-\d\dT\d\d:\d\dZ, 2 → 3$/);
  });

  await t.step(
    "a timer's run that finds nothing new records it too",
    async () => {
      strictEqual(await runUpdate(fixture, { timer: true, json: true }), 0);
      match(
        fixture.output.stderr,
        /^leger-update: "web" \(user scope\) is up to date \(3\)$/m,
      );
      const [doc] = JSON.parse(fixture.output.stdout);
      strictEqual(doc.trigger, "timer");
      const [listed] = await listJson(fixture);
      strictEqual(listed.last_auto_update?.outcome, "unchanged");
      strictEqual(listed.last_auto_update?.from, "3");
    },
  );
});

Deno.test("deploy update under the timer records why an update was rolled back, and deploy list says it", async () => {
  const failing: string[] = [];
  const { fixture, source } = await installed({ failing });
  await using _ = fixture;
  dyingWhenBroken(fixture, failing);
  for (const [path, text] of Object.entries(files("2", "Exec=/bin/false"))) {
    await Deno.writeTextFile(`${source}/${path}`, text);
  }
  const code = await runUpdate(fixture, { timer: true });
  strictEqual(code, 1, fixture.output.stderr);
  // The journal says why, in one line.
  const line = fixture.output.stderr.split("\n").find((l) =>
    l.startsWith("leger-update:")
  );
  match(
    line ?? "",
    /^leger-update: the update of "web" \(user scope\) \(1 → 2\) was rolled back; the previous version runs: .+ \[ERR_SERVICE_START_FAILED\]$/,
  );
  strictEqual(fixture.host.services.get("web.service")?.activeState, "active");
  const [listed] = await listJson(fixture);
  strictEqual(listed.version, "1", "the previous version is installed");
  const last = listed.last_auto_update!;
  strictEqual(last.outcome, "rolled-back");
  strictEqual(last.error?.code, "ERR_SERVICE_START_FAILED");
  ok(last.error!.message.length > 0);
  ok(!last.error!.message.includes("\n"), "the first line of the message");
  deepStrictEqual([last.from, last.to], ["1", "2"]);

  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list"], fixture.deps), 0);
  match(fixture.output.stdout, /\trolled-back \S+, 1 → 2\n$/);
  match(
    fixture.output.stderr,
    /^Note: the last automatic update of "web" \(\S+, 1 → 2\) was rolled back, and the previous version runs: .+ \[ERR_SERVICE_START_FAILED\]; `journalctl --user -u leger-update\.service` tells more\.$/m,
  );
});

Deno.test("deploy update under the timer drops the records of removed deployments", async () => {
  const { fixture } = await installed();
  await using _ = fixture;
  await Deno.writeTextFile(
    `${fixture.stateDir}/last-auto-updates.json`,
    JSON.stringify({
      gone: {
        outcome: "updated",
        finished_at: "2026-01-01T00:00:00.000Z",
        from: null,
        to: null,
        restarted: [],
        started: [],
        stopped: [],
        backup: null,
        error: null,
      },
    }),
  );
  strictEqual(await runUpdate(fixture, { timer: true }), 0);
  deepStrictEqual(
    Object.keys(await readLastAutoUpdates(fixture.stateDir)),
    ["web"],
  );
});

Deno.test("a damaged last-auto-updates.json is refused naming the file and the field, by deploy list and by the timer's run", async () => {
  const { fixture, source } = await installed();
  await using _ = fixture;
  const path = `${fixture.stateDir}/last-auto-updates.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ web: { outcome: "exploded" } }),
  );
  fixture.clearOutput();
  strictEqual(await runProgram(["deploy", "list"], fixture.deps), 1);
  match(
    fixture.output.stderr,
    new RegExp(
      `Cannot read ${path}: "web"\\.outcome must be "updated" or "unchanged" or "rolled-back" or "failed", not "exploded"`,
    ),
  );
  match(fixture.output.stderr, /delete the file/);
  match(fixture.output.stderr, /\[ERR_STATE_INVALID\]/);

  // The update itself is applied; the run fails, saying why it recorded nothing.
  for (const [file, text] of Object.entries(files("2", "Environment=L=2"))) {
    await Deno.writeTextFile(`${source}/${file}`, text);
  }
  strictEqual(await runUpdate(fixture, { timer: true }), 1);
  match(fixture.output.stderr, /cannot record the result of updating "web"/);
  match(fixture.output.stderr, /\[ERR_STATE_INVALID\]/);
  strictEqual(
    JSON.parse(await Deno.readTextFile(path)).web.outcome,
    "exploded",
    "a damaged file is left for a person to look at",
  );
  const [entry] = await readDeployments(fixture.stateDir);
  strictEqual(entry.source.version, "2");
});
