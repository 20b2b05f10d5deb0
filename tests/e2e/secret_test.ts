/**
 * A unit whose Podman secret does not exist yet: the install leaves it
 * stopped and says so, `leger service start` names the missing secret and
 * how to create it, and once the secret exists the service starts.
 *
 * @module
 */
import { match, strictEqual } from "node:assert/strict";
import {
  activeState,
  cleanup,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  leger,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

e2eTest(
  "a unit whose secret is missing is left stopped, and service start says which secret and how to create it",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-secret-${user}`;
        const secret = `${name}-token`;
        await cleanup(name, user);
        await hostExec(`podman secret rm ${secret} >/dev/null 2>&1; true`, {
          user,
        });
        try {
          const source = await writeSource(name, {
            [`${name}-api.container`]: [
              "[Container]",
              "Image=localhost/bb:latest",
              `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; sleep 1000 & wait"`,
              `Secret=${secret},type=env,target=TOKEN`,
              "",
            ].join("\n"),
          });
          const install = await installDeployment(name, source, { user });
          strictEqual(install.code, 0, describe(install));
          // Without legerd: where to add the secret, and how to start legerd.
          match(install.stderr, new RegExp(`leger secrets set ${secret}`));
          match(
            install.stderr,
            user === "root"
              ? /`systemctl enable --now legerd\.service`/
              : /`systemctl --user enable --now legerd\.service`/,
          );
          strictEqual(
            await activeState(`${name}-api.service`, user),
            "inactive",
          );

          const start = await leger(["service", "start", `${name}-api`], {
            user,
          });
          strictEqual(start.code, 1, describe(start));
          match(start.stderr, /\[ERR_SECRET_MISSING\]/);
          match(start.stderr, new RegExp(secret));

          const created = await hostExec(
            `printf %s s3cret | podman secret create ${secret} - >/dev/null`,
            { user },
          );
          strictEqual(created.code, 0, describe(created));
          const again = await leger(["service", "start", `${name}-api`], {
            user,
          });
          strictEqual(again.code, 0, describe(again));
          strictEqual(await activeState(`${name}-api.service`, user), "active");
        } finally {
          await cleanup(name, user);
          await hostExec(`podman secret rm ${secret} >/dev/null 2>&1; true`, {
            user,
          });
        }
      });
    }
  },
);
