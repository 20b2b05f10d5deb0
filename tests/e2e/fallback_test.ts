import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  curlInside,
  deployList,
  describe,
  e2eTest,
  installDeployment,
  leger,
  loadedUnits,
  podmanExists,
  quadletFiles,
  quadletList,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18261, leger: 18262 };

// Podman 4.4-5.5 has no `podman quadlet`: leger copies the files into the
// quadlet folder and reloads systemd. The e2e host has Podman 5.8, so force it.
const FALLBACK = { LEGER_FORCE_QUADLET_FALLBACK: "1" };

e2eTest(
  "leger deploy install and remove work without podman quadlet (Podman 4.4-5.5 fallback)",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-fallback-${user}`;
        const names = webNames(name);
        const port = PORTS[user];
        await cleanup(name, user);
        try {
          const source = await writeSource(name, webDeployment({ name, port }));
          const install = await installDeployment(name, source, {
            user,
            env: FALLBACK,
          });
          strictEqual(install.code, 0, describe(install));

          // Copied as plain files: no application marker of `podman quadlet install`.
          deepStrictEqual(
            await quadletFiles(user, name),
            [names.volume, names.network, names.container].sort(),
          );
          strictEqual(
            (await quadletList(user, name)).length,
            3,
            "Podman does not see the copied units",
          );
          const curl = await curlInside(`http://127.0.0.1:${port}/`, user);
          strictEqual(curl.code, 0, curl.stderr);
          strictEqual(await activeState(names.service, user), "active");
          const [entry] = (await deployList(user)).filter((d) =>
            d.deployment === name
          );
          ok(entry, "deploy list does not show the deployment");
          const web = entry.services.find((s) =>
            s.service === names.service || s.unit === names.container
          );
          strictEqual(web?.active_state, "active", JSON.stringify(entry));

          const remove = await leger(["deploy", "remove", name, "--yes"], {
            user,
            env: FALLBACK,
          });
          strictEqual(remove.code, 0, describe(remove));
          deepStrictEqual(await quadletFiles(user, name), []);
          deepStrictEqual(await quadletList(user, name), []);
          deepStrictEqual(await loadedUnits(user, name), []);
          strictEqual(
            await podmanExists("container", names.containerName, user),
            false,
            "the container is left",
          );
          ok(await podmanExists("volume", names.volumeName, user));
          deepStrictEqual(
            (await deployList(user)).filter((d) => d.deployment === name),
            [],
          );
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
