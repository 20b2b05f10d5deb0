import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  cleanup,
  curlInside,
  deployList,
  describe,
  e2eTest,
  type ExecResult,
  hostExec,
  installDeployment,
  leger,
  loadedUnits,
  podmanExists,
  quadletFiles,
  quadletList,
  scopeOf,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18251, leger: 18252 };

/** What must be gone after `deploy remove`, whatever happens to volumes. */
async function assertRemoved(name: string, user: User): Promise<void> {
  const names = webNames(name);
  deepStrictEqual(await quadletList(user, name), []);
  deepStrictEqual(await quadletFiles(user, name), []);
  deepStrictEqual(await loadedUnits(user, name), []);
  strictEqual(
    await podmanExists("container", names.containerName, user),
    false,
    "the container is left",
  );
  deepStrictEqual(
    (await deployList(user)).filter((d) => d.deployment === name),
    [],
  );
}

async function installAndCheck(
  name: string,
  source: string,
  user: User,
): Promise<ExecResult> {
  const install = await installDeployment(name, source, { user });
  strictEqual(install.code, 0, describe(install));
  const curl = await curlInside(`http://127.0.0.1:${PORTS[user]}/`, user);
  strictEqual(curl.code, 0, curl.stderr);
  return install;
}

e2eTest(
  "leger deploy remove removes units and containers, keeps volumes unless --remove-volumes",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const prefix = `e2e-remove-${user}`;
        await cleanup(prefix, user);
        try {
          await t.step(
            "by default the volume stays, and a new install finds its data",
            async () => {
              const name = `${prefix}-keep`;
              const names = webNames(name);
              const source = await writeSource(
                name,
                webDeployment({ name, port: PORTS[user] }),
              );
              await installAndCheck(name, source, user);
              const write = await hostExec(
                `podman exec ${names.containerName} /bin/busybox sh -c 'echo kept > /data/f'`,
                { user },
              );
              strictEqual(write.code, 0, describe(write));

              const remove = await leger(["deploy", "remove", name, "--yes"], {
                user,
              });
              strictEqual(remove.code, 0, describe(remove));
              await assertRemoved(name, user);
              ok(
                await podmanExists("volume", names.volumeName, user),
                "the volume was removed without --remove-volumes",
              );
              const curl = await curlInside(
                `http://127.0.0.1:${PORTS[user]}/`,
                user,
                { attempts: 1 },
              );
              strictEqual(curl.code, 1, "something still answers on the port");

              await installAndCheck(name, source, user);
              const read = await hostExec(
                `podman exec ${names.containerName} /bin/busybox cat /data/f`,
                { user },
              );
              strictEqual(read.stdout, "kept\n", describe(read));

              const keep = await leger(
                ["deploy", "remove", name, "--keep-volumes", "--yes"],
                { user },
              );
              strictEqual(keep.code, 0, describe(keep));
              await assertRemoved(name, user);
              ok(await podmanExists("volume", names.volumeName, user));
            },
          );

          await t.step("--remove-volumes removes it", async () => {
            const name = `${prefix}-purge`;
            const names = webNames(name);
            const source = await writeSource(
              name,
              webDeployment({ name, port: PORTS[user] }),
            );
            await installAndCheck(name, source, user);
            const remove = await leger(
              ["deploy", "remove", name, "--remove-volumes", "--yes"],
              { user },
            );
            strictEqual(remove.code, 0, describe(remove));
            await assertRemoved(name, user);
            strictEqual(
              await podmanExists("volume", names.volumeName, user),
              false,
              "the volume is left after --remove-volumes",
            );
          });
        } finally {
          await cleanup(prefix, user);
        }
      });
    }
  },
);
