import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  cleanup,
  deployList,
  describe,
  e2eTest,
  hostExec,
  legerCommandLine,
  loadedUnits,
  podmanExists,
  quadletDir,
  quadletFiles,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18241, leger: 18242 };

e2eTest(
  "leger deploy install undoes everything when interrupted (SIGINT) after installing the units",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-interrupt-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port: PORTS[user] }),
          );
          const unit = `${quadletDir(user)}/${names.container}`;
          // leger runs in the background; once its unit file is in the quadlet
          // folder (the first change), the script sends it SIGINT, as Ctrl-C would.
          const script = [
            `(${
              legerCommandLine([
                "deploy",
                "install",
                "--source",
                source,
                "--yes",
              ])
            }) 2> /tmp/${name}.err &`,
            "leger=$!",
            `for i in $(seq 200); do [ -e ${unit} ] && break; sleep 0.05; done`,
            `[ -e ${unit} ] || { echo "the unit never appeared"; exit 99; }`,
            // Anchored at deno itself: this very script's command line holds the words too.
            `pkill -INT -f "^/leger/deno run .*cli/main.ts deploy install --source ${source}"`,
            'wait $leger; echo "exit=$?"',
            `cat /tmp/${name}.err`,
          ].join("\n");
          const result = await hostExec(script, { user });
          match(result.stdout, /^exit=130$/m, describe(result));
          match(result.stdout, /\[ERR_INTERRUPTED\]/);
          deepStrictEqual(await quadletFiles(user, name), []);
          deepStrictEqual(await loadedUnits(user, name), []);
          strictEqual(
            await podmanExists("container", names.containerName, user),
            false,
          );
          strictEqual(
            await podmanExists("volume", names.volumeName, user),
            false,
          );
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
