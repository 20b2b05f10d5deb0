import { deepStrictEqual, rejects } from "node:assert/strict";
import { readBackupConfig } from "./read_backup_config.ts";

async function withConfig(
  text: string | null,
  check: (
    context: { scope: "user"; home: string; env: () => undefined },
  ) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    if (text !== null) {
      await Deno.mkdir(`${home}/.config/leger`, { recursive: true });
      await Deno.writeTextFile(`${home}/.config/leger/config.yaml`, text);
    }
    await check({ scope: "user", home, env: () => undefined });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("readBackupConfig() reads backups.keep, 5 by default", async (t) => {
  const cases: [string | null, number][] = [
    [null, 5],
    ["", 5],
    ["# nothing\n", 5],
    ["api_url: http://127.0.0.1:8787\n", 5],
    ["backups:\n", 5],
    ["backups: {}\n", 5],
    ["backups:\n  keep: 3\n", 3],
    ["backups:\n  keep: 0\n", 0],
    ["backups: {keep: 1000}\n", 1000],
  ];
  for (const [text, keep] of cases) {
    await t.step(JSON.stringify(text), async () => {
      await withConfig(text, async (context) => {
        const config = await readBackupConfig(context);
        deepStrictEqual(config, {
          keep,
          file: text === null
            ? null
            : `${context.home}/.config/leger/config.yaml`,
        });
      });
    });
  }
});

Deno.test("readBackupConfig() names the file and the key it cannot use", async (t) => {
  const cases: [string, RegExp][] = [
    [
      "backups:\n  keep: -1\n",
      /backups\.keep must be a whole number from 0 to 1000: current value is -1/,
    ],
    ["backups:\n  keep: 1001\n", /current value is 1001/],
    ["backups:\n  keep: 2.5\n", /current value is 2\.5/],
    ['backups:\n  keep: "5"\n', /current value is "5"/],
    [
      "backups:\n  kept: 5\n",
      /unknown key "backups\.kept" \(known: backups\.keep\)/,
    ],
    ["backups: 5\n", /backups must be a mapping/],
    ["backups: [\n", /Cannot read .*config\.yaml: /],
  ];
  for (const [text, message] of cases) {
    await t.step(JSON.stringify(text), async () => {
      await withConfig(text, async (context) => {
        await rejects(readBackupConfig(context), {
          name: "LegerError",
          code: "ERR_CONFIG_INVALID",
          message,
          file: `${context.home}/.config/leger/config.yaml`,
          remedy: /`keep: 0` takes none\), .*`leger deploy update --no-backup`/,
        });
      });
    });
  }
});
