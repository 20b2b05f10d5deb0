import {
  deepStrictEqual,
  doesNotMatch,
  match,
  strictEqual,
} from "node:assert/strict";
import {
  type CommandFixture,
  commandFixture,
} from "../../../tests/fakes/command_fixture.ts";
import { fakeVolumes } from "../../../tests/fakes/fake_volumes.ts";
import { runProgram } from "../../program.ts";

const files = (name: string, port: number, greeting: string) => ({
  [`${name}.container`]: [
    "[Container]",
    "Image=localhost/bb:latest",
    `PublishPort=${port}:8080`,
    `Volume=${name}-data.volume:/data`,
    "",
  ].join("\n"),
  [`${name}-data.volume`]: "[Volume]\n",
  [`${name}.env`]: `GREETING=${greeting}\n`,
});

/** Installs a and b, then changes their sources, with config.yaml as given. */
async function installedTwo(config: string): Promise<CommandFixture> {
  const fixture = await commandFixture();
  fixture.deps.runner = fakeVolumes(fixture.host).runner;
  for (const [name, port] of [["a", 18091], ["b", 18092]] as const) {
    const source = await fixture.writeSource(name, files(name, port, "hello"));
    strictEqual(
      await runProgram(
        ["deploy", "install", name, "--source", source, "--yes"],
        fixture.deps,
      ),
      0,
      fixture.output.stderr,
    );
    await fixture.writeSource(name, files(name, port, "changed"));
  }
  await Deno.mkdir(`${fixture.home}/.config/leger`, { recursive: true });
  await Deno.writeTextFile(`${fixture.home}/.config/leger/config.yaml`, config);
  fixture.clearOutput();
  fixture.host.calls.length = 0;
  return fixture;
}

async function backups(fixture: CommandFixture): Promise<string[]> {
  return await Array.fromAsync(
    Deno.readDir(`${fixture.workDir}/backups`),
    (entry) => entry.name,
  ).then((names) => names.filter((n) => !n.startsWith(".")), () => []);
}

Deno.test("deploy update refuses a bad backups.keep before fetching anything", async (t) => {
  for (const argv of [["a", "--yes"], ["--all", "--yes"], ["a", "--dry-run"]]) {
    await t.step(argv.join(" "), async () => {
      await using fixture = await installedTwo("backups:\n  keep: many\n");
      const code = await runProgram(
        ["deploy", "update", ...argv],
        fixture.deps,
      );
      strictEqual(code, 1, fixture.output.stderr);
      match(
        fixture.output.stderr,
        /Cannot read .*config\.yaml: backups\.keep must be a whole number from 0 to 1000: current value is "many"[\s\S]*--no-backup[\s\S]*ERR_CONFIG_INVALID/,
      );
      doesNotMatch(fixture.output.stderr, /Fetching|Backing up/);
      deepStrictEqual(fixture.host.calls, []);
    });
  }
  await t.step("--no-backup does not read it", async () => {
    await using fixture = await installedTwo("backups:\n  keep: many\n");
    strictEqual(
      await runProgram(
        ["deploy", "update", "a", "--no-backup", "--yes"],
        fixture.deps,
      ),
      0,
      fixture.output.stderr,
    );
    deepStrictEqual(await backups(fixture), []);
  });
});

Deno.test("deploy update with backups.keep 0 takes no automatic backup, and says so once", async (t) => {
  await t.step("deploy update --all", async () => {
    await using fixture = await installedTwo("backups:\n  keep: 0\n");
    strictEqual(
      await runProgram(["deploy", "update", "--all", "--yes"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    strictEqual(
      fixture.output.stderr.split("Automatic backups are off").length - 1,
      1,
      fixture.output.stderr,
    );
    match(
      fixture.output.stderr,
      /^Automatic backups are off \(backups\.keep is 0 in .*\/\.config\/leger\/config\.yaml\): no backup is taken before updating$/m,
    );
    doesNotMatch(fixture.output.stderr, /Backing up/);
    deepStrictEqual(await backups(fixture), []);
  });
  await t.step("staged apply", async () => {
    await using fixture = await installedTwo("backups:\n  keep: 0\n");
    strictEqual(
      await runProgram(["staged", "stage", "a"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    fixture.clearOutput();
    strictEqual(
      await runProgram(["staged", "apply", "a", "--yes"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    match(fixture.output.stderr, /Automatic backups are off/);
    deepStrictEqual(await backups(fixture), []);
  });
  await t.step("keep: 2 backs up as before", async () => {
    await using fixture = await installedTwo("backups:\n  keep: 2\n");
    strictEqual(
      await runProgram(["deploy", "update", "a", "--yes"], fixture.deps),
      0,
      fixture.output.stderr,
    );
    doesNotMatch(fixture.output.stderr, /Automatic backups are off/);
    strictEqual((await backups(fixture)).length, 1);
  });
});
