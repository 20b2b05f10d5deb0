import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { removeAuthState } from "./remove_auth_state.ts";
import { saveAuthState } from "./save_auth_state.ts";
import { STATE, withTempDir } from "./_testdata.ts";

Deno.test("removeAuthState() removes auth.json and stale temporary copies, nothing else", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/auth.json`;
    await saveAuthState(path, STATE);
    await Deno.writeTextFile(`${dir}/.auth.json.1234.tmp`, "partial");
    await Deno.writeTextFile(`${dir}/deployments.yaml`, "keep");
    strictEqual(await removeAuthState(path), true);
    deepStrictEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), [
      "deployments.yaml",
    ]);
  });
});

Deno.test("removeAuthState() returns false when there is no login", async () => {
  await withTempDir(async (dir) => {
    strictEqual(await removeAuthState(`${dir}/auth.json`), false);
    strictEqual(await removeAuthState(`${dir}/missing/auth.json`), false);
  });
});
