import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { containerUnit } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  deployList,
  describe,
  e2eTest,
  installDeployment,
  leger,
  quadletFiles,
  scopeOf,
  SOURCES,
  USERS,
  writeSource,
} from "./_host.ts";

// A worker that runs until stopped (busybox as PID 1 ignores SIGTERM without
// the trap).
const WORKER_EXEC =
  `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; while :; do sleep 1; done"`;

e2eTest(
  "leger deploy install starts the instances of a template unit, and list, service and remove work with them (issue 9, item 7)",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-tmpl-${user}`;
        const worker = `${name}-worker`;
        const idle = `${name}-idle`;
        await cleanup(name, user);
        try {
          const source = await writeSource(name, {
            ".leger.yaml": `name: ${name}\nversion: "1"\n`,
            [`${worker}@.container`]: containerUnit([WORKER_EXEC], [
              "DefaultInstance=one",
            ]),
            [`${idle}@.container`]:
              `[Container]\nImage=localhost/bb:latest\n${WORKER_EXEC}\n`,
          });
          // An instance file that is a symbolic link to its template.
          await Deno.symlink(
            `${worker}@.container`,
            `${SOURCES.outside}/${name}/${worker}@two.container`,
          );

          const install = await installDeployment(name, source, { user });
          strictEqual(install.code, 0, describe(install));
          match(
            install.stderr,
            new RegExp(
              `${idle}@\\.container: template, no instance: not started`,
            ),
          );
          strictEqual(
            await activeState(`${worker}@one.service`, user),
            "active",
          );
          strictEqual(
            await activeState(`${worker}@two.service`, user),
            "active",
          );

          // Podman 5.8's `podman quadlet list` exits 125 now; leger's list works.
          const [entry] = (await deployList(user)).filter((d) =>
            d.deployment === name
          );
          deepStrictEqual(
            entry?.services.map((s) => [s.service, s.unit, s.active_state]),
            [
              [`${worker}@one.service`, `${worker}@.container`, "active"],
              [`${worker}@two.service`, `${worker}@two.container`, "active"],
            ],
            JSON.stringify(entry),
          );

          for (const verb of ["stop", "start", "restart"]) {
            const result = await leger(["service", verb, `${worker}@one`], {
              user,
            });
            strictEqual(result.code, 0, describe(result));
          }
          strictEqual(
            await activeState(`${worker}@one.service`, user),
            "active",
          );

          // An instance the deployment does not name, started by hand.
          const three = await leger(["service", "start", `${worker}@three`], {
            user,
          });
          strictEqual(three.code, 0, describe(three));

          const remove = await leger(["deploy", "remove", name, "--yes"], {
            user,
          });
          strictEqual(remove.code, 0, describe(remove));
          deepStrictEqual(await quadletFiles(user, name), []);
          for (const instance of ["one", "two", "three"]) {
            strictEqual(
              await activeState(`${worker}@${instance}.service`, user),
              "inactive",
              `${worker}@${instance}.service is left running`,
            );
          }
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
