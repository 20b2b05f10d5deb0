import { deepStrictEqual, match } from "node:assert/strict";
import { installedWeb } from "../../tests/fakes/backup_fixture.ts";
import { createBackup } from "./create_backup.ts";
import { listBackups } from "./list_backups.ts";
import { pruneBackups } from "./prune_backups.ts";
import type { BackupRecord } from "./types.ts";

Deno.test("listBackups() lists oldest first, by deployment, and skips a damaged record saying so", async () => {
  await using web = await installedWeb();
  const { context, fixture, lines } = web;
  const first = await createBackup(context, "web", { type: "auto" });
  const second = await createBackup(context, "web", { type: "manual" });
  const third = await createBackup(context, "web", { type: "auto" });
  deepStrictEqual(
    (await listBackups(context)).map((b) => b.id),
    [first.id, second.id, third.id],
  );
  deepStrictEqual(await listBackups(context, "db"), []);
  await Deno.writeTextFile(
    `${fixture.workDir}/backups/${second.id}/backup.json`,
    "{",
  );
  deepStrictEqual(
    (await listBackups(context, "web")).map((b) => b.id),
    [first.id, third.id],
  );
  match(lines.at(-1)!, new RegExp(`^Skipping .*/${second.id}: Cannot read`));
});

Deno.test("pruneBackups() keeps the last automatic backups and every manual one", async (t) => {
  await using web = await installedWeb();
  const { context } = web;
  const made: BackupRecord[] = [];
  for (const type of ["auto", "manual", "auto", "auto"] as const) {
    made.push(await createBackup(context, "web", { type, keep: 10 }));
  }
  await t.step("keep 1", async () => {
    deepStrictEqual(await pruneBackups(context, "web", 1), [
      made[0].id,
      made[2].id,
    ]);
    deepStrictEqual(
      (await listBackups(context)).map((b) => b.id),
      [made[1].id, made[3].id],
    );
  });
  await t.step("keep 0 removes every automatic one", async () => {
    deepStrictEqual(await pruneBackups(context, "web", 0), [made[3].id]);
    deepStrictEqual((await listBackups(context)).map((b) => b.id), [
      made[1].id,
    ]);
  });
});
