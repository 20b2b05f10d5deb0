import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { webDeployment } from "./_deployments.ts";
import {
  cleanup,
  deployList,
  describe,
  e2eTest,
  hostExec,
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

// How long the test holds the lock: long enough for a leger to start inside
// the host (~1 s) and reach the lock while it is held.
const HOLD_SECONDS = 6;

// The lock is an flock(2)'ed file holding the holder's PID while it is held
// (lib/state/lock.ts). flock(1) takes the same lock, so the test holds it
// itself, as another leger process would, and writes its PID the same way.
function lockFile(user: User): string {
  return user === "root"
    ? "/var/lib/leger/deploy.lock"
    : '"$HOME/.local/share/leger/deploy.lock"';
}

/**
 * Holds the deploy lock of the user's scope for HOLD_SECONDS, from inside the
 * host; resolves when it is held, with the promise of its release.
 */
async function holdLock(
  user: User,
): Promise<{ released: Promise<{ endedAt: number }> }> {
  const file = lockFile(user);
  const released = hostExec(
    `mkdir -p "$(dirname ${file})" && flock -x ${file} sh -c 'echo $$ > ${file}; sleep ${HOLD_SECONDS}; : > ${file}'`,
    { user },
  ).then((result) => {
    strictEqual(result.code, 0, describe(result));
    return { endedAt: performance.now() };
  });
  const held = await waitInside(`test -s ${file}`, {
    user,
    attempts: 50,
    intervalSeconds: 0.1,
  });
  strictEqual(held.code, 0, "the test never took the deploy lock");
  return { released };
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
          const lock = await holdLock(user);
          const second = await installDeployment(loser, loserSource, { user });
          await lock.released;
          const first = await installDeployment(winner, winnerSource, { user });

          strictEqual(first.code, 0, describe(first));
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
          const installed = await installDeployment(first, firstSource, {
            user,
          });
          strictEqual(installed.code, 0, describe(installed));
          const lock = await holdLock(user);
          const waiting = await installDeployment(second, secondSource, {
            user,
            flags: ["--wait"],
          }).then((result) => ({ ...result, endedAt: performance.now() }));
          const held = await lock.released;

          strictEqual(waiting.code, 0, describe(waiting));
          ok(
            waiting.endedAt > held.endedAt,
            "the --wait install ended before the lock was released",
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
