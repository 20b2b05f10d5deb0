import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { webDeployment } from "./_deployments.ts";
import {
  cleanup,
  curlInside,
  deployList,
  describe,
  e2eTest,
  installDeployment,
  quadletFiles,
  quadletList,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18221, leger: 18222 };

e2eTest(
  "leger deploy install fails with ERR_PORT_CONFLICT and changes nothing when another deployment publishes the port",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const prefix = `e2e-conflict-${user}`;
        const first = `${prefix}-a`;
        const second = `${prefix}-b`;
        const port = PORTS[user];
        await cleanup(prefix, user);
        try {
          const firstSource = await writeSource(
            first,
            webDeployment({ name: first, port }),
          );
          const install = await installDeployment(first, firstSource, { user });
          strictEqual(install.code, 0, describe(install));
          const curl = await curlInside(`http://127.0.0.1:${port}/`, user);
          strictEqual(curl.code, 0, curl.stderr);

          const unitsBefore = await quadletList(user, prefix);
          const filesBefore = await quadletFiles(user, prefix);
          const listBefore = await deployList(user);

          const secondSource = await writeSource(
            second,
            webDeployment({ name: second, port }),
          );
          const conflict = await installDeployment(second, secondSource, {
            user,
          });
          strictEqual(conflict.code, 1, describe(conflict));
          match(conflict.stderr, /\[ERR_PORT_CONFLICT\]/);
          match(conflict.stderr, new RegExp(`${port}`));
          match(conflict.stderr, new RegExp(first));

          deepStrictEqual(await quadletList(user, prefix), unitsBefore);
          deepStrictEqual(await quadletFiles(user, prefix), filesBefore);
          deepStrictEqual(
            (await deployList(user)).map((d) => d.deployment),
            listBefore.map((d) => d.deployment),
          );
          const still = await curlInside(`http://127.0.0.1:${port}/`, user, {
            attempts: 1,
          });
          strictEqual(still.code, 0, still.stderr);
        } finally {
          await cleanup(prefix, user);
        }
      });
    }
  },
);
