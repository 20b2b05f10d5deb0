import { match, strictEqual } from "node:assert/strict";
import { LegerError } from "../errors/leger_error.ts";
import { healthyLegerd } from "../../tests/fakes/fake_legerd.ts";
import { checkLegerd } from "./check_legerd.ts";

const HEALTH = healthyLegerd({
  last_successful_sync_at: "2026-11-30T18:00:00Z",
});
const NOT_RUNNING = new LegerError(
  "ERR_LEGERD_NOT_RUNNING",
  "Cannot reach legerd: nothing listens on /run/user/1000/leger/legerd.sock",
);

Deno.test("checkLegerd() passes a running legerd with its last sync", () => {
  const check = checkLegerd({
    scope: "user",
    health: HEALTH,
    waiting: [],
    unitInstalled: true,
  });
  strictEqual(check.status, "pass");
  strictEqual(
    check.title,
    "legerd is running (last sync 2026-11-30T18:00:00Z)",
  );
});

Deno.test("checkLegerd() warns of a legerd that is not running, and fails when services wait for it", () => {
  const idle = checkLegerd({
    scope: "system",
    health: NOT_RUNNING,
    waiting: [],
    unitInstalled: true,
  });
  strictEqual(idle.status, "warn");
  strictEqual(idle.fix, "systemctl enable --now legerd.service");
  const waited = checkLegerd({
    scope: "user",
    health: NOT_RUNNING,
    waiting: ["web.service"],
    unitInstalled: true,
  });
  strictEqual(waited.status, "fail");
  match(waited.detail, /web\.service waits for secrets only legerd brings/);
  // Without its unit, enable --now would fail: run it from the source folder.
  const noUnit = checkLegerd({
    scope: "user",
    health: NOT_RUNNING,
    waiting: [],
    unitInstalled: false,
  });
  match(noUnit.fix!, /^deno task legerd /);
});

Deno.test("checkLegerd() warns of a degraded legerd with its last error and fix", () => {
  const check = checkLegerd({
    scope: "user",
    health: {
      ...HEALTH,
      status: "degraded",
      leger_run: {
        ...HEALTH.leger_run,
        reachable: false,
        last_error: {
          code: "ERR_AUTH_EXPIRED",
          message: "Cannot sync secrets: the leger.run login expired",
          fix: "Run `leger auth login`",
          at: "2026-11-30T18:01:00Z",
        },
      },
    },
    waiting: [],
    unitInstalled: true,
  });
  strictEqual(check.status, "warn");
  match(
    check.detail,
    /^Cannot sync secrets: the leger.run login expired: Podman keeps the values of the last good sync/,
  );
  strictEqual(check.fix, "leger auth login");
});
