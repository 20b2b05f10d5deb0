import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { listTree, tempFolder } from "../../tests/_folders.ts";
import { placeAll } from "./place.ts";

/** A rename that fails for the moves whose destination or source `fails` names. */
function failingRename(
  fails: (from: string, to: string) => boolean,
): (from: string, to: string) => Promise<void> {
  return (from, to) => {
    if (fails(from, to)) {
      const error = new Error(
        `Is a directory (os error 21): rename '${from}' -> '${to}'`,
      );
      Object.assign(error, { code: "EISDIR" });
      return Promise.reject(error);
    }
    return Deno.rename(from, to);
  };
}

/** Each file's text under `dir`. */
async function texts(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const path of await listTree(dir)) {
    const info = await Deno.lstat(`${dir}/${path}`);
    if (info.isFile) found[path] = await Deno.readTextFile(`${dir}/${path}`);
  }
  return found;
}

Deno.test("placeAll() moves every binary in place, keeping the files replaced in the backup folder", async () => {
  await using dir = await tempFolder({
    "staging/leger": "new leger",
    "staging/legerd": "new legerd",
    "dist/leger": "old leger",
  });
  const d = dir.path;
  await placeAll([
    { from: `${d}/staging/leger`, to: `${d}/dist/leger` },
    { from: `${d}/staging/legerd`, to: `${d}/dist/legerd` },
  ], { backupDir: `${d}/staging/replaced` });
  deepStrictEqual(await texts(d), {
    "dist/leger": "new leger",
    "dist/legerd": "new legerd",
    "staging/replaced/0-leger": "old leger",
  });
});

Deno.test("placeAll() puts the first back as it was when moving the second fails", async (t) => {
  const cases = [
    {
      name: "the second's destination cannot be replaced",
      fails: (from: string) => from.endsWith("staging/legerd"),
    },
    {
      name: "the second's old file cannot be moved aside",
      fails: (from: string, to: string) =>
        from.endsWith("dist/legerd") && to.includes("/replaced/"),
    },
  ];
  for (const { name, fails } of cases) {
    await t.step(name, async () => {
      await using dir = await tempFolder({
        "staging/leger": "new leger",
        "staging/legerd": "new legerd",
        "dist/leger": "old leger",
        "dist/legerd": "old legerd",
      });
      const d = dir.path;
      await rejects(
        placeAll([
          { from: `${d}/staging/leger`, to: `${d}/dist/leger` },
          { from: `${d}/staging/legerd`, to: `${d}/dist/legerd` },
        ], {
          backupDir: `${d}/staging/replaced`,
          rename: failingRename(fails),
        }),
        (error: Error) => {
          strictEqual(error.name, "PlaceError");
          strictEqual((error as { exitCode?: number }).exitCode, 1);
          deepStrictEqual((error as { stranded?: string[] }).stranded, []);
          strictEqual(
            error.message,
            `Cannot put legerd at ${d}/dist/legerd: Is a directory (os error 21)\n  No binary was put in place and the files there are as they were; fix the cause and run \`deno task compile\` again`,
          );
          return true;
        },
      );
      const after = await texts(`${d}/dist`);
      deepStrictEqual(after, { leger: "old leger", legerd: "old legerd" });
    });
  }
});

Deno.test("placeAll() removes a binary it placed where there was none before, when a later one fails", async () => {
  await using dir = await tempFolder({
    "staging/leger": "new leger",
    "staging/legerd": "new legerd",
  });
  const d = dir.path;
  await Deno.mkdir(`${d}/dist`);
  await rejects(
    placeAll([
      { from: `${d}/staging/leger`, to: `${d}/dist/leger` },
      { from: `${d}/staging/legerd`, to: `${d}/dist/legerd` },
    ], {
      backupDir: `${d}/staging/replaced`,
      rename: failingRename((_from, to) => to.endsWith("legerd")),
    }),
    { name: "PlaceError" },
  );
  deepStrictEqual(await listTree(`${d}/dist`), []);
});

Deno.test("placeAll() names the old files it could not put back, and where they are kept", async () => {
  await using dir = await tempFolder({
    "staging/leger": "new leger",
    "staging/legerd": "new legerd",
    "dist/leger": "old leger",
  });
  const d = dir.path;
  await rejects(
    placeAll([
      { from: `${d}/staging/leger`, to: `${d}/dist/leger` },
      { from: `${d}/staging/legerd`, to: `${d}/dist/legerd` },
    ], {
      backupDir: `${d}/staging/replaced`,
      // legerd cannot be placed, nor the old leger put back.
      rename: failingRename((from, to) =>
        to.endsWith("legerd") || from.endsWith("replaced/0-leger")
      ),
    }),
    (error: Error) => {
      const stranded =
        `${d}/staging/replaced/0-leger (the old ${d}/dist/leger: Is a directory (os error 21))`;
      deepStrictEqual((error as { stranded?: string[] }).stranded, [
        stranded,
      ]);
      strictEqual(
        error.message.split("\n")[1],
        `  Putting the old files back failed too; they are kept at ${stranded}: move them back by hand before the next \`deno task compile\`, which removes that folder`,
      );
      return true;
    },
  );
  strictEqual(
    await Deno.readTextFile(`${d}/staging/replaced/0-leger`),
    "old leger",
  );
});
