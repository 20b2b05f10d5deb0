/**
 * legerd for real: run by the host's systemd (the system manager for root,
 * the user manager for `leger`) from `systemd/<scope>/legerd.service`,
 * against the loopback leger.run running inside the host.
 *
 * A unit with `Secret=…,type=env` is installed while legerd runs → legerd
 * creates the secret and the unit starts → a new value on leger.run is
 * written and the unit restarted within a poll → `leger secrets rotate`
 * does it at once → a Podman secret leger did not create is left alone and
 * reported → leger.run going down degrades health and removes nothing, and
 * its return recovers → SIGKILL mid-sync: systemd restarts legerd and it
 * converges → removing the deployment removes the labelled secret. The
 * values never show in any process's command line sampled meanwhile, in
 * legerd's journal, in its socket's answers or in leger's files.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import {
  cleanup,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  journalctl,
  leger,
  scopeOf,
  shellQuote,
  systemctl,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";
import {
  health,
  login,
  mainPid,
  secretsList,
  SERVER_UNIT,
  setSecret,
  socketPath,
  startLegerd,
  startServer,
  stopLegerd,
  stopServer,
  waitFor,
} from "./_legerd.ts";

/** legerd.yaml's poll interval in the tests, in seconds. */
const POLL_SECONDS = 10;

e2eTest(
  "legerd keeps a unit's secret current in Podman and restarts the unit on rotation",
  async (t) => {
    await startServer();
    try {
      for (const user of USERS) {
        await t.step(
          `${user} (${scopeOf(user)} scope)`,
          () => scenario(user),
        );
      }
    } finally {
      await stopServer();
    }
  },
);

async function scenario(user: User): Promise<void> {
  const name = `e2e-legerd-${user}`;
  const secret = `${name.replaceAll("-", "_")}_token`;
  const foreign = `${name.replaceAll("-", "_")}_foreign`;
  const values = {
    first: `first-${crypto.randomUUID()}`,
    second: `second-${crypto.randomUUID()}`,
    third: `third-${crypto.randomUUID()}`,
    foreign: `foreign-${crypto.randomUUID()}`,
  };
  await stopLegerd(user);
  await cleanup(name, user);
  await hostExec(
    `podman secret rm ${secret} ${foreign} >/dev/null 2>&1; true`,
    { user },
  );
  const sampler = await startCmdlineSampler(user, Object.values(values));
  try {
    await login(user, POLL_SECONDS);
    await setSecret(user, secret, values.first);
    await startLegerd(user);

    // Install: legerd creates the secret before the unit starts.
    const source = await writeSource(name, {
      [`${name}-api.container`]: containerUnit(secret, "API_TOKEN"),
    });
    const install = await installDeployment(name, source, { user });
    strictEqual(install.code, 0, describe(install));
    ok(
      !/^Not starting /m.test(install.stderr),
      `the install should start everything:\n${describe(install)}`,
    );
    await waitForValue(user, `${name}-api`, "API_TOKEN", values.first);
    const labels = await hostExec(
      `podman secret inspect ${secret} --format '{{json .Spec.Labels}}'`,
      { user },
    );
    match(labels.stdout, /"io\.leger\.managed":"true"/);

    // A new value on leger.run: replaced and the unit restarted within a poll.
    await setSecret(user, secret, values.second);
    await waitForValue(user, `${name}-api`, "API_TOKEN", values.second, {
      seconds: 3 * POLL_SECONDS,
    });

    // `leger secrets rotate` does it at once.
    await setSecret(user, secret, values.third);
    const rotate = await leger(["secrets", "rotate", secret, "--yes"], {
      user,
    });
    strictEqual(rotate.code, 0, describe(rotate));
    match(rotate.stdout + rotate.stderr, new RegExp(`${name}-api\\.service`));
    await waitForValue(user, `${name}-api`, "API_TOKEN", values.third, {
      seconds: 5,
    });

    // A secret leger did not create is left alone and reported.
    const created = await hostExec(
      `podman secret create ${foreign} - >/dev/null`,
      { user, stdin: values.foreign },
    );
    strictEqual(created.code, 0, describe(created));
    await setSecret(user, foreign, `leger-run-${crypto.randomUUID()}`);
    await writeSource(name, {
      [`${name}-api.container`]: containerUnit(secret, "API_TOKEN"),
      [`${name}-other.container`]: containerUnit(foreign, "OTHER_TOKEN"),
    });
    // Installing it again replaces the deployment with both units.
    const update = await installDeployment(name, source, { user });
    strictEqual(update.code, 0, describe(update));
    await waitForValue(user, `${name}-other`, "OTHER_TOKEN", values.foreign);
    const listed = await secretsList(user);
    const foreignEntry = listed.secrets.find((s) => s.name === foreign);
    strictEqual(foreignEntry?.state, "unmanaged", JSON.stringify(listed));
    deepStrictEqual(foreignEntry?.used_by, [`${name}-other.container`]);
    strictEqual(
      listed.secrets.find((s) => s.name === secret)?.state,
      "synced",
    );

    // leger.run goes down: degraded, nothing removed; back: healthy again.
    await hostExec(`systemctl kill -s USR1 ${SERVER_UNIT}`);
    await waitFor(
      user,
      async () => (await health(user)).status === "degraded",
      {
        seconds: 3 * POLL_SECONDS,
        what: "legerd's health to say degraded while leger.run is down",
      },
    );
    strictEqual(
      (await hostExec(`podman secret exists ${secret}`, { user })).code,
      0,
      "the secret must stay while leger.run is down",
    );
    await hostExec(`systemctl kill -s USR2 ${SERVER_UNIT}`);
    // The backoff started at 1 s: the next attempt is well within a poll.
    await waitFor(user, async () => (await health(user)).status === "ok", {
      seconds: 3 * POLL_SECONDS,
      what: "legerd's health to recover once leger.run is back",
    });

    // SIGKILL during a sync: as soon as legerd runs `podman secret create`
    // (or after 4 s, if that was too quick to see), systemd restarts it.
    await setSecret(user, secret, values.second);
    const pid = await mainPid(user);
    const killed = await hostExec(
      `(curl -s --max-time 60 --unix-socket ${
        socketPath(user)
      } -X POST -d '{}' http://legerd/v1/sync >/dev/null 2>&1 &); ` +
        `for i in $(seq 200); do pgrep -u "$(id -u)" -f 'podman secret create' >/dev/null && break; sleep 0.02; done; ` +
        `${systemctl(user)} kill -s KILL legerd.service`,
      { user },
    );
    strictEqual(killed.code, 0, describe(killed));
    await waitFor(user, async () => {
      const now = await mainPid(user);
      return now !== 0 && now !== pid;
    }, { seconds: 30, what: "systemd to restart legerd after SIGKILL" });
    await waitForValue(user, `${name}-api`, "API_TOKEN", values.second, {
      seconds: 3 * POLL_SECONDS,
    });

    // Removing the deployment removes the labelled secret, not the other.
    const remove = await leger(["deploy", "remove", name, "--yes"], { user });
    strictEqual(remove.code, 0, describe(remove));
    await waitFor(
      user,
      async () =>
        (await hostExec(`podman secret exists ${secret}`, { user })).code !== 0,
      { seconds: 3 * POLL_SECONDS, what: "legerd to remove the orphan secret" },
    );
    strictEqual(
      (await hostExec(`podman secret exists ${foreign}`, { user })).code,
      0,
      "a secret leger did not create must stay",
    );

    // The values were never anywhere but Podman's store and the containers.
    const seen = await sampler.stop();
    deepStrictEqual(seen, [], "a value showed in a process's command line");
    const journal = await hostExec(
      `${journalctl(user)} -u legerd.service --no-pager -o cat`,
      { user },
    );
    ok(journal.stdout.length > 0, "legerd's journal should have lines");
    for (const value of Object.values(values)) {
      ok(!journal.stdout.includes(value), "a value is in legerd's journal");
    }
    const answers = JSON.stringify([
      await health(user),
      await secretsList(user),
    ]);
    for (const value of Object.values(values)) {
      ok(!answers.includes(value), "a value is in legerd's answers");
    }
    const files = await hostExec(
      `grep -rlF -e ${shellQuote(values.first)} -e ${
        shellQuote(values.second)
      } -e ${shellQuote(values.third)} ${ourFolders(user)} 2>/dev/null; true`,
      { user },
    );
    strictEqual(files.stdout, "", "a value is in a file of leger's");
  } finally {
    await sampler.stop().catch(() => undefined);
    await stopLegerd(user);
    await cleanup(name, user);
    await hostExec(
      `podman secret rm ${secret} ${foreign} >/dev/null 2>&1; true`,
      { user },
    );
  }
}

function containerUnit(secret: string, variable: string): string {
  return [
    "[Container]",
    "Image=localhost/bb:latest",
    `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; sleep 1000 & wait"`,
    `Secret=${secret},type=env,target=${variable}`,
    "",
  ].join("\n");
}

function ourFolders(user: User): string {
  return user === "root"
    ? "/var/lib/leger /root/.local/share/leger /root/.config/leger /etc/leger /run/leger"
    : '"$HOME/.local/share/leger" "$HOME/.config/leger" "$XDG_RUNTIME_DIR/leger"';
}

/**
 * Waits until the process the unit's container started with (PID 1) has
 * `value` in `variable`. Not `podman exec … env`: an exec'd process gets the
 * secret's current value, which it has before any restart.
 */
async function waitForValue(
  user: User,
  unit: string,
  variable: string,
  value: string,
  options: { seconds?: number } = {},
): Promise<void> {
  const { seconds = 30 } = options;
  let last = "";
  await waitFor(user, async () => {
    const result = await hostExec(
      `podman exec systemd-${unit} /bin/busybox sh -c '/bin/busybox tr "\\0" "\\n" < /proc/1/environ'`,
      { user },
    );
    last = result.stdout.split("\n").find((line) =>
      line.startsWith(`${variable}=`)
    )?.slice(variable.length + 1) ?? "";
    return result.code === 0 && last === value;
  }, {
    seconds,
    what: `${unit}'s container to see the new ${variable} (last saw ${
      last === "" ? "nothing" : "another value"
    })`,
  });
}

/**
 * Samples every process's command line inside the host, ten times a second,
 * for any of `values`, until stopped; returns the matches.
 */
async function startCmdlineSampler(
  _user: User,
  values: readonly string[],
): Promise<{ stop(): Promise<string[]> }> {
  const file = `/run/leger-e2e-cmdline-${crypto.randomUUID()}`;
  await hostExec(
    `printf '%s\\n' ${values.map(shellQuote).join(" ")} > ${file}.values`,
  );
  const unit = `leger-e2e-sampler-${file.slice(-8)}.service`;
  const loop =
    `while :; do for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f" 2>/dev/null | grep -F -f ${file}.values >> ${file}.seen; done; sleep 0.1; done`;
  const started = await hostExec(
    `systemd-run --quiet --unit=${unit} /bin/sh -c ${shellQuote(loop)}`,
  );
  strictEqual(started.code, 0, describe(started));
  let stopped: string[] | undefined;
  return {
    async stop() {
      if (stopped !== undefined) return stopped;
      await hostExec(`systemctl stop ${unit} >/dev/null 2>&1; true`);
      const seen = await hostExec(
        `cat ${file}.seen 2>/dev/null; rm -f ${file}.*; true`,
      );
      stopped = seen.stdout.split("\n").filter((line) => line !== "");
      return stopped;
    },
  };
}
