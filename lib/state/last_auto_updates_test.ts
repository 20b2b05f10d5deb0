import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import {
  LAST_AUTO_UPDATES_FILE,
  type LastAutoUpdate,
  readLastAutoUpdates,
  recordLastAutoUpdate,
} from "./last_auto_updates.ts";

const UPDATED: LastAutoUpdate = {
  outcome: "updated",
  finished_at: "2026-11-30T04:12:09.000Z",
  from: "v3",
  to: "v4",
  restarted: ["web.service"],
  started: [],
  stopped: ["old.service"],
  backup: "20261130T041200Z-web-1a2b",
  error: null,
};

const ROLLED_BACK: LastAutoUpdate = {
  ...UPDATED,
  outcome: "rolled-back",
  backup: null,
  error: {
    code: "ERR_SERVICE_START_FAILED",
    message: 'Cannot start "web.service": it is failed',
  },
};

Deno.test("readLastAutoUpdates() is empty when no update timer ever ran", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    deepStrictEqual(await readLastAutoUpdates(dir), {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recordLastAutoUpdate() replaces a deployment's record, keeps the others, and drops those of removed deployments", async () => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    await recordLastAutoUpdate(dir, "web", UPDATED);
    await recordLastAutoUpdate(dir, "db", UPDATED);
    deepStrictEqual(await readLastAutoUpdates(dir), {
      web: UPDATED,
      db: UPDATED,
    });
    await recordLastAutoUpdate(dir, "web", ROLLED_BACK, {
      installed: ["web", "db"],
    });
    deepStrictEqual(await readLastAutoUpdates(dir), {
      web: ROLLED_BACK,
      db: UPDATED,
    });
    await recordLastAutoUpdate(dir, "web", UPDATED, { installed: ["web"] });
    deepStrictEqual(await readLastAutoUpdates(dir), { web: UPDATED });
    // No temporary file is left beside it.
    deepStrictEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name),
      [LAST_AUTO_UPDATES_FILE],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLastAutoUpdates() refuses a damaged file naming the file, the deployment and the field", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "leger_" });
  const path = `${dir}/${LAST_AUTO_UPDATES_FILE}`;
  const cases: [string, string, string][] = [
    ["not JSON", "{web: 1", "the document is not JSON"],
    ["a list", "[]", "the document must be a mapping, not a list"],
    [
      "an unknown outcome",
      JSON.stringify({ web: { ...UPDATED, outcome: "staged" } }),
      `"web".outcome must be "updated" or "unchanged" or "rolled-back" or "failed", not "staged"`,
    ],
    [
      "a time that is no date",
      JSON.stringify({ web: { ...UPDATED, finished_at: "yesterday" } }),
      `"web".finished_at must be a date`,
    ],
    [
      "a missing version",
      JSON.stringify({ web: { ...UPDATED, from: undefined } }),
      `"web".from is missing`,
    ],
    [
      "a version that is a number",
      JSON.stringify({ web: { ...UPDATED, to: 4 } }),
      `"web".to must be a non-empty string or null, not 4`,
    ],
    [
      "services that are no list",
      JSON.stringify({ web: { ...UPDATED, restarted: "web.service" } }),
      `"web".restarted must be a list`,
    ],
    [
      "no error field",
      JSON.stringify({ web: { ...UPDATED, error: undefined } }),
      `"web".error is missing`,
    ],
    [
      "an error without a code",
      JSON.stringify({ web: { ...ROLLED_BACK, error: { message: "x" } } }),
      `"web".error.code is missing`,
    ],
  ];
  try {
    for (const [name, text, problem] of cases) {
      await t.step(name, async () => {
        await Deno.writeTextFile(path, text);
        await rejects(readLastAutoUpdates(dir), (error: Error) => {
          strictEqual((error as { code?: string }).code, "ERR_STATE_INVALID");
          strictEqual(
            error.message.startsWith(`Cannot read ${path}: ${problem}`),
            true,
            error.message,
          );
          return true;
        });
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
