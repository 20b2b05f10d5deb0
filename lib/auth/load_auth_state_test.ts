import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { loadAuthState } from "./load_auth_state.ts";
import { saveAuthState } from "./save_auth_state.ts";
import { STATE, withTempDir } from "./_testdata.ts";

Deno.test("loadAuthState() returns null when there is no auth.json", async () => {
  await withTempDir(async (dir) => {
    strictEqual(await loadAuthState(`${dir}/auth.json`), null);
    strictEqual(await loadAuthState(`${dir}/missing/auth.json`), null);
  });
});

Deno.test("loadAuthState() reads what saveAuthState() wrote", async () => {
  await withTempDir(async (dir) => {
    await saveAuthState(`${dir}/auth.json`, STATE);
    deepStrictEqual(await loadAuthState(`${dir}/auth.json`), STATE);
  });
});

Deno.test("loadAuthState() throws ERR_LEGER_NOT_AUTHENTICATED for a damaged file", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/auth.json`;
    for (
      const [text, reason] of [["{", /JSON/], [
        '{"token":"t"}',
        /"token_type" is missing/,
      ]] as const
    ) {
      await Deno.writeTextFile(path, text);
      await rejects(loadAuthState(path), {
        name: "LegerError",
        code: "ERR_LEGER_NOT_AUTHENTICATED",
        message: new RegExp(
          `^Cannot read the leger\\.run login from ${path}: .*${reason.source}`,
        ),
        remedy: "Run `leger auth login` to write it again",
      });
    }
  });
});
