import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  curlInside,
  deployList,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  loadedUnits,
  podmanExists,
  quadletFiles,
  quadletList,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18231, leger: 18232 };
const UPGRADE_PORTS = { root: 18233, leger: 18234 };

// The unit's last journal lines for a container whose command exits 1.
const JOURNAL_REGEXP =
  /status=1\/FAILURE|Failed with result 'exit-code'|Main process exited/;

e2eTest(
  "leger deploy install rolls back completely when a container exits at start",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-broken-${user}`;
        const names = webNames(name);
        const port = PORTS[user];
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port, broken: true }),
          );
          const install = await installDeployment(name, source, { user });

          await t.step(
            "exit 1, ERR_SERVICE_START_FAILED and the unit's journal",
            () => {
              strictEqual(install.code, 1, describe(install));
              match(install.stderr, /\[ERR_SERVICE_START_FAILED\]/);
              match(
                install.stderr,
                new RegExp(names.service.replace(".", "\\.")),
              );
              match(install.stderr, JOURNAL_REGEXP);
            },
          );

          await t.step(
            "no unit, container or state entry is left",
            async () => {
              deepStrictEqual(await quadletList(user, name), []);
              deepStrictEqual(await quadletFiles(user, name), []);
              strictEqual(
                await podmanExists("container", names.containerName, user),
                false,
              );
              deepStrictEqual(
                (await deployList(user)).filter((d) => d.deployment === name),
                [],
              );
            },
          );

          await t.step(
            "no failed unit is left for systemctl --failed",
            async () => {
              deepStrictEqual(await loadedUnits(user, name), []);
            },
          );

          // Nothing existed before the command: the volume and network that
          // its units created go too, or they block the next install.
          await t.step(
            "the volume and network it created are gone",
            async () => {
              strictEqual(
                await podmanExists("volume", names.volumeName, user),
                false,
                "the rollback left the volume the failed install created",
              );
              strictEqual(
                await podmanExists("network", names.networkName, user),
                false,
                "the rollback left the network the failed install created",
              );
            },
          );

          await t.step("the fixed deployment then installs", async () => {
            await writeSource(name, webDeployment({ name, port }));
            const fixed = await installDeployment(name, source, { user });
            strictEqual(fixed.code, 0, describe(fixed));
            const curl = await curlInside(`http://127.0.0.1:${port}/`, user);
            strictEqual(curl.code, 0, curl.stderr);
          });
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "leger deploy install of a broken new version keeps the running previous version",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-upgrade-${user}`;
        const names = webNames(name);
        const port = UPGRADE_PORTS[user];
        const url = `http://127.0.0.1:${port}/`;
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port, version: "1" }),
          );
          const v1 = await installDeployment(name, source, { user });
          strictEqual(v1.code, 0, describe(v1));
          const curl = await curlInside(url, user);
          strictEqual(curl.code, 0, curl.stderr);
          const v1Units = await quadletList(user, name);
          const v1Files = await quadletFiles(user, name);
          const v1Text = await hostExec(
            `podman quadlet print ${names.container}`,
            { user },
          );
          const [v1Entry] = (await deployList(user)).filter((d) =>
            d.deployment === name
          );
          ok(v1Entry, "deploy list does not show v1");

          await writeSource(
            name,
            webDeployment({ name, port, version: "2", broken: true }),
          );
          const v2 = await installDeployment(name, source, { user });
          strictEqual(v2.code, 1, describe(v2));
          match(v2.stderr, /\[ERR_SERVICE_START_FAILED\]/);
          match(v2.stderr, JOURNAL_REGEXP);

          strictEqual(await activeState(names.service, user), "active");
          const again = await curlInside(url, user);
          strictEqual(again.code, 0, again.stderr);
          strictEqual(again.stdout, "hello from leger\n");
          deepStrictEqual(
            (await quadletList(user, name)).map((q) => q.Name),
            v1Units.map((q) => q.Name),
          );
          deepStrictEqual(await quadletFiles(user, name), v1Files);
          const text = await hostExec(
            `podman quadlet print ${names.container}`,
            { user },
          );
          strictEqual(text.stdout, v1Text.stdout, "the unit is not v1's");
          ok(await podmanExists("volume", names.volumeName, user));
          const [entry] = (await deployList(user)).filter((d) =>
            d.deployment === name
          );
          ok(entry, "deploy list lost the deployment");
          strictEqual(entry.installed_at, v1Entry.installed_at);
          deepStrictEqual(entry.source, v1Entry.source);
          strictEqual(entry.version, "1");
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
