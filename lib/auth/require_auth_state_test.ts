import { deepStrictEqual, rejects } from "node:assert/strict";
import { requireAuthState } from "./require_auth_state.ts";
import { saveAuthState } from "./save_auth_state.ts";
import { STATE, withTempDir } from "./_testdata.ts";

function pathEnv(dir: string) {
  return {
    home: "/nonexistent",
    env: (name: string) => name === "XDG_DATA_HOME" ? dir : undefined,
  };
}

Deno.test("requireAuthState() returns a login that has not expired", async () => {
  await withTempDir(async (dir) => {
    await saveAuthState(`${dir}/leger/auth.json`, STATE);
    deepStrictEqual(
      await requireAuthState(pathEnv(dir), {
        now: new Date("2026-01-01T00:00:00Z"),
      }),
      STATE,
    );
  });
});

Deno.test("requireAuthState() throws ERR_LEGER_NOT_AUTHENTICATED when there is no login", async () => {
  await withTempDir(async (dir) => {
    await rejects(
      requireAuthState(pathEnv(dir), { action: "install from leger.run" }),
      {
        name: "LegerError",
        code: "ERR_LEGER_NOT_AUTHENTICATED",
        message:
          `Cannot install from leger.run: you are not logged in to leger.run (no ${dir}/leger/auth.json)`,
        remedy: "Run `leger auth login`",
      },
    );
  });
});

Deno.test("requireAuthState() throws ERR_LEGER_NOT_AUTHENTICATED when the login expired", async () => {
  await withTempDir(async (dir) => {
    await saveAuthState(`${dir}/leger/auth.json`, STATE);
    await rejects(
      requireAuthState(pathEnv(dir), { now: new Date("2027-01-01T00:00:00Z") }),
      {
        code: "ERR_LEGER_NOT_AUTHENTICATED",
        message:
          "Cannot use leger.run: the leger.run login of alice@github expired at 2026-10-16T12:00:00.000Z",
        remedy: "Run `leger auth login`",
      },
    );
  });
});
