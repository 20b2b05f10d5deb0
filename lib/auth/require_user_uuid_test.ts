import { rejects, strictEqual } from "node:assert/strict";
import { requireUserUuid } from "./require_user_uuid.ts";
import { saveAuthState } from "./save_auth_state.ts";
import { STATE, withTempDir } from "./_testdata.ts";

Deno.test("requireUserUuid() returns the logged-in user's UUID, or asks to log in", async () => {
  await withTempDir(async (dir) => {
    const pathEnv = { home: dir, env: () => undefined };
    await rejects(requireUserUuid(pathEnv), {
      code: "ERR_LEGER_NOT_AUTHENTICATED",
      remedy: "Run `leger auth login`",
    });
    await saveAuthState(`${dir}/.local/share/leger/auth.json`, STATE);
    strictEqual(
      await requireUserUuid(pathEnv, { now: new Date("2026-01-01T00:00:00Z") }),
      "f44a09fc-90d1-5f2b-bf2c-7380100ec435",
    );
  });
});
