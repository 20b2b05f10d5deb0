import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { saveAuthState } from "./save_auth_state.ts";
import { STATE, withTempDir } from "./_testdata.ts";

Deno.test("saveAuthState() writes auth.json with mode 0600 in a new 0700 folder", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/share/leger/auth.json`;
    await saveAuthState(path, STATE);
    deepStrictEqual(JSON.parse(await Deno.readTextFile(path)), STATE);
    strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
    strictEqual((await Deno.stat(`${dir}/share/leger`)).mode! & 0o777, 0o700);
  });
});

Deno.test("saveAuthState() replaces a file and leaves no temporary file behind", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/auth.json`;
    await Deno.writeTextFile(path, "old", { mode: 0o644 });
    await saveAuthState(path, { ...STATE, login_name: "bob@github" });
    strictEqual(
      JSON.parse(await Deno.readTextFile(path)).login_name,
      "bob@github",
    );
    strictEqual((await Deno.stat(path)).mode! & 0o777, 0o600);
    deepStrictEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), [
      "auth.json",
    ]);
  });
});

Deno.test("saveAuthState() keeps the old file when the write fails", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/auth.json`;
    // A folder where the file should be: the rename fails.
    await Deno.mkdir(path);
    await Deno.writeTextFile(`${path}/keep`, "x");
    const failure = await saveAuthState(path, STATE).then(() => null, (e) => e);
    strictEqual(failure instanceof Error, true);
    deepStrictEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), [
      "auth.json",
    ]);
    strictEqual(await Deno.readTextFile(`${path}/keep`), "x");
  });
});
