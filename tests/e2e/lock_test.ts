import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { webDeployment } from "./_deployments.ts";
import {
  cleanup,
  deployList,
  describe,
  e2eTest,
  type ExecResult,
  installDeployment,
  quadletFiles,
  quadletList,
  scopeOf,
  type User,
  USERS,
  waitInside,
  writeSource,
} from "./_host.ts";

const PORTS = {
  root: { first: 18241, second: 18242 },
  leger: { first: 18243, second: 18244 },
};

// How long the first process holds the lock once it has it: long enough for
// the second to start (~1 s) and reach the lock while it is held.
const HOLD_MS = "6000";

// The lock is a file holding the holder's PID while it is held (flock'ed, and
// emptied on release: lib/state/lock.ts), so a non-empty file means a leger
// has it. Where, by scope.
function lockFiles(user: User): string[] {
  return user === "root"
    ? ["/var/lib/leger/deploy.lock", "/run/leger/deploy.lock"]
    : [
      '"$HOME/.local/share/leger/deploy.lock"',
      '"$XDG_RUNTIME_DIR/leger/deploy.lock"',
    ];
}

/** Waits until some leger process holds the deploy lock of the user's scope. */
async function waitForLock(user: User): Promise<void> {
  const test = lockFiles(user).map((file) => `test -s ${file}`).join(" || ");
  const result = await waitInside(test, {
    user,
    attempts: 50,
    intervalSeconds: 0.1,
  });
  strictEqual(result.code, 0, "the first leger never took the deploy lock");
}

/** Installs `name` while holding the lock for HOLD_MS once taken. */
function installHolding(
  name: string,
  source: string,
  user: User,
): Promise<ExecResult & { endedAt: number }> {
  return installDeployment(name, source, {
    user,
    env: { LEGER_TEST_HOLD_LOCK_MS: HOLD_MS },
  }).then((result) => ({ ...result, endedAt: performance.now() }));
}

e2eTest(
  "leger deploy install fails cleanly while another leger changes the same scope",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const prefix = `e2e-lock-${user}`;
        const winner = `${prefix}-win`;
        const loser = `${prefix}-lose`;
        await cleanup(prefix, user);
        try {
          const winnerSource = await writeSource(
            winner,
            webDeployment({ name: winner, port: PORTS[user].first }),
          );
          const loserSource = await writeSource(
            loser,
            webDeployment({ name: loser, port: PORTS[user].second }),
          );
          const first = installHolding(winner, winnerSource, user);
          await waitForLock(user);
          const second = await installDeployment(loser, loserSource, { user });
          const firstResult = await first;

          strictEqual(firstResult.code, 0, describe(firstResult));
          strictEqual(second.code, 1, describe(second));
          match(second.stderr, /another leger process .*is changing/);
          match(second.stderr, /--wait/);
          match(second.stderr, /\[ERR_LOCKED\]/);

          deepStrictEqual(
            (await deployList(user)).map((d) => d.deployment),
            [winner],
          );
          deepStrictEqual(await quadletList(user, loser), []);
          deepStrictEqual(await quadletFiles(user, loser), []);
          strictEqual((await quadletList(user, winner)).length, 3);
        } finally {
          await cleanup(prefix, user);
        }
      });
    }
  },
);

e2eTest(
  "leger deploy install --wait waits for another leger changing the same scope, then installs",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const prefix = `e2e-wait-${user}`;
        const first = `${prefix}-one`;
        const second = `${prefix}-two`;
        await cleanup(prefix, user);
        try {
          const firstSource = await writeSource(
            first,
            webDeployment({ name: first, port: PORTS[user].first }),
          );
          const secondSource = await writeSource(
            second,
            webDeployment({ name: second, port: PORTS[user].second }),
          );
          const holding = installHolding(first, firstSource, user);
          await waitForLock(user);
          const waiting = await installDeployment(second, secondSource, {
            user,
            flags: ["--wait"],
          }).then((result) => ({ ...result, endedAt: performance.now() }));
          const held = await holding;

          strictEqual(held.code, 0, describe(held));
          strictEqual(waiting.code, 0, describe(waiting));
          ok(
            waiting.endedAt > held.endedAt,
            "the --wait install ended before the one holding the lock",
          );
          deepStrictEqual(
            (await deployList(user)).map((d) => d.deployment).sort(),
            [second, first].sort(),
          );
        } finally {
          await cleanup(prefix, user);
        }
      });
    }
  },
);
