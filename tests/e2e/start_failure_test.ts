import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import {
  cleanup,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  quadletFiles,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

// One subnet per scope: root's networks may hold routes on the host.
const SUBNETS = { root: "10.89.177.0/24", leger: "10.89.178.0/24" };

e2eTest(
  "leger deploy install names the unit that failed, not the service that needed it (issue 9, item 9)",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-cause-${user}`;
        const subnet = SUBNETS[user];
        await cleanup(name, user);
        try {
          const taken = await hostExec(
            `podman network create --subnet ${subnet} ${name}-taken`,
            { user },
          );
          strictEqual(taken.code, 0, describe(taken));
          const source = await writeSource(name, {
            ".leger.yaml": `name: ${name}\nversion: "1"\n`,
            [`${name}-api.container`]: [
              "[Container]",
              "Image=localhost/bb:latest",
              `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; while :; do sleep 1; done"`,
              `Network=${name}-notes.network`,
              "",
              "[Service]",
              "Restart=no",
              "",
            ].join("\n"),
            [`${name}-notes.network`]: `[Network]\nSubnet=${subnet}\n`,
          });
          const install = await installDeployment(name, source, { user });
          strictEqual(install.code, 1, describe(install));
          match(
            install.stderr,
            new RegExp(
              `Cannot start "${name}-notes-network\\.service": its subnet is already in use`,
            ),
          );
          match(
            install.stderr,
            new RegExp(`the service that needed it: ${name}-api\\.service`),
          );
          match(
            install.stderr,
            /already used on the host or by another config/,
          );
          match(
            install.stderr,
            new RegExp(
              `journalctl ${
                user === "root" ? "" : "--user "
              }-u ${name}-notes-network\\.service`,
            ),
          );
          match(install.stderr, /\[ERR_SERVICE_START_FAILED\]/);
          deepStrictEqual(await quadletFiles(user, name), []);
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
