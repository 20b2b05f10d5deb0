/**
 * What happens around leger on a real host: its output going away in the
 * middle of a reinstall (a closed terminal, a dropped SSH session), and units,
 * markers and volumes deleted behind its back before a remove.
 *
 * @module
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  leger,
  legerCommandLine,
  loadedUnits,
  quadletDir,
  quadletFiles,
  scopeOf,
  shellQuote,
  systemctl,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18271, leger: 18272 };

e2eTest(
  "a reinstall whose terminal goes away (output closed, then SIGHUP) is undone to the running previous version",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-hup-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          const v1 = webDeployment({ name, port: PORTS[user] });
          const source = await writeSource(name, v1);
          strictEqual(
            (await installDeployment(name, source, { user })).code,
            0,
          );
          const markers = async () =>
            (await hostExec(`ls -A ${quadletDir(user)} | grep '^\\.' || true`, {
              user,
            })).stdout;
          const before = await markers();
          await writeSource(name, {
            ...v1,
            [`${name}-extra.container`]:
              `[Container]\nImage=localhost/bb:latest\nExec=/bin/busybox sleep 1000\n[Service]\nExecStartPre=/bin/sleep 5\n`,
          });
          // The reader of leger's output goes away once the new units are in,
          // then leger gets SIGHUP, as when a terminal closes.
          const extra = `${quadletDir(user)}/${name}-extra.container`;
          const script = [
            `rm -f /tmp/${name}.fifo; mkfifo /tmp/${name}.fifo`,
            `cat /tmp/${name}.fifo > /dev/null & reader=$!`,
            `(${
              legerCommandLine([
                "deploy",
                "install",
                "--source",
                source,
                "--yes",
              ])
            }) > /tmp/${name}.fifo 2>&1 &`,
            "leger=$!",
            `for i in $(seq 300); do [ -e ${extra} ] && break; sleep 0.02; done`,
            `kill -9 $reader; sleep 0.2`,
            `pkill -HUP -f ${
              shellQuote(
                `^/leger/deno run .*cli/main.ts deploy install --source ${source}`,
              )
            }`,
            'wait $leger; echo "exit=$?"',
          ].join("\n");
          const ended = await hostExec(script, { user });
          strictEqual(ended.stdout.trim(), "exit=130", describe(ended));
          strictEqual(await activeState(names.service, user), "active");
          deepStrictEqual(
            await quadletFiles(user, `${name}-extra`),
            [],
            "the new unit was left",
          );
          strictEqual(
            await markers(),
            before,
            "Podman's markers are not as before",
          );
          const journal = await hostExec(
            user === "root"
              ? "ls /var/lib/leger/journal.json 2>/dev/null || true"
              : 'ls "$HOME/.local/share/leger/journal.json" 2>/dev/null || true',
            { user },
          );
          strictEqual(journal.stdout, "", "the journal was left");
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "deploy remove finishes when units, markers and volumes were deleted by hand, and the next install works",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-drift-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port: PORTS[user] }),
          );
          strictEqual(
            (await installDeployment(name, source, { user })).code,
            0,
          );
          const dir = quadletDir(user);
          const drift = await hostExec(
            [
              `rm -f ${dir}/${names.container} ${dir}/${names.network} ${dir}/.*.app`,
              `${systemctl(user)} daemon-reload`,
              `podman volume rm -f ${names.volumeName} >/dev/null`,
            ].join("\n"),
            { user },
          );
          strictEqual(drift.code, 0, describe(drift));
          const removed = await leger(
            ["deploy", "remove", name, "--yes", "--remove-volumes"],
            { user },
          );
          strictEqual(removed.code, 0, describe(removed));
          deepStrictEqual(await quadletFiles(user, name), []);
          deepStrictEqual(
            (await loadedUnits(user, name)).length,
            0,
            "units of the removed deployment are still loaded",
          );
          const again = await installDeployment(name, source, { user });
          strictEqual(again.code, 0, describe(again));
          strictEqual(await activeState(names.service, user), "active");
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
