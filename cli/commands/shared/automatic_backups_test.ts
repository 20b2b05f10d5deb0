import { rejects, strictEqual } from "node:assert/strict";
import { commandFixture } from "../../../tests/fakes/command_fixture.ts";
import { automaticBackups } from "./automatic_backups.ts";

Deno.test("automaticBackups() reads backups.keep before any work: on, off (said once) or refused", async (t) => {
  await using fixture = await commandFixture();
  const { context } = fixture.deps;
  const file = `${fixture.home}/.config/leger/config.yaml`;
  await Deno.mkdir(`${fixture.home}/.config/leger`, { recursive: true });
  const cases: {
    name: string;
    config: string | null;
    backup: boolean;
    want: boolean | RegExp;
    stderr: string;
  }[] = [
    {
      name: "no config file: on",
      config: null,
      backup: true,
      want: true,
      stderr: "",
    },
    {
      name: "keep: 3: on",
      config: "backups:\n  keep: 3\n",
      backup: true,
      want: true,
      stderr: "",
    },
    {
      name: "keep: 0: off, and said",
      config: "backups:\n  keep: 0\n",
      backup: true,
      want: false,
      stderr:
        `Automatic backups are off (backups.keep is 0 in ${file}): no backup is taken before updating\n`,
    },
    {
      name: "a bad keep: refused, naming the file, the key and --no-backup",
      config: "backups:\n  keep: -2\n",
      backup: true,
      want:
        /backups\.keep must be a whole number from 0 to 1000: current value is -2/,
      stderr: "",
    },
    {
      name: "--no-backup: off, the config not even read",
      config: "backups:\n  keep: -2\n",
      backup: false,
      want: false,
      stderr: "",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await Deno.remove(file).catch(() => {});
      if (c.config !== null) await Deno.writeTextFile(file, c.config);
      fixture.clearOutput();
      const decide = automaticBackups({ backup: c.backup }, {
        scope: "user",
        context,
      });
      if (c.want instanceof RegExp) {
        await rejects(decide, {
          code: "ERR_CONFIG_INVALID",
          message: c.want,
          file,
          remedy: /`leger deploy update --no-backup`/,
        });
      } else {
        strictEqual(await decide, c.want);
      }
      strictEqual(fixture.output.stderr, c.stderr);
    });
  }
});
