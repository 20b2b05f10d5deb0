/**
 * `leger deploy update` on the real host, in both scopes: only the changed
 * service restarts (the others keep their ActiveEnterTimestamp), a dropped
 * unit is removed alone, a new unit that dies is rolled back with the
 * previous version serving, and the data in the volume survives all of it.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { containerUnit } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  curlInside,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  leger,
  quadletFiles,
  quadletList,
  scopeOf,
  shellQuote,
  systemctl,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18251, leger: 18252 };

const SLEEPER =
  `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; while :; do /bin/busybox sleep 1; done"`;

/**
 * Five units: a web server serving its volume (on the network), an api
 * (on the network), a worker, the volume and the network.
 */
function files(
  name: string,
  port: number,
  options: { api?: string[]; worker?: boolean } = {},
): Record<string, string> {
  const { api = [], worker = true } = options;
  return {
    ".leger.yaml": `name: ${name}\n`,
    [`${name}-web.container`]: containerUnit([
      `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; /bin/busybox httpd -f -p 8080 -h /data & wait"`,
      `Volume=${name}-data.volume:/data`,
      `Network=${name}-net.network`,
      `PublishPort=127.0.0.1:${port}:8080`,
    ]),
    [`${name}-api.container`]: containerUnit([
      ...(api.length > 0 ? api : [SLEEPER]),
      `Network=${name}-net.network`,
    ]),
    ...(worker
      ? { [`${name}-worker.container`]: containerUnit([SLEEPER]) }
      : {}),
    [`${name}-data.volume`]: "[Volume]\n",
    [`${name}-net.network`]: "[Network]\n",
  };
}

/** Each service's ActiveEnterTimestampMonotonic (0 when it never became active). */
async function entered(
  user: User,
  services: readonly string[],
): Promise<Record<string, string>> {
  const result = await hostExec(
    `${systemctl(user)} show -p Id -p ActiveEnterTimestampMonotonic ${
      services.map(shellQuote).join(" ")
    }`,
    { user },
  );
  strictEqual(result.code, 0, describe(result));
  const found: Record<string, string> = {};
  for (const block of result.stdout.trim().split("\n\n")) {
    const fields = Object.fromEntries(
      block.split("\n").map((line) => [
        line.slice(0, line.indexOf("=")),
        line.slice(line.indexOf("=") + 1),
      ]),
    );
    found[fields.Id] = fields.ActiveEnterTimestampMonotonic;
  }
  return found;
}

async function update(name: string, user: User, flags: string[] = []) {
  return await leger(
    ["deploy", "update", name, "--yes", "--json", ...flags],
    { user },
  );
}

e2eTest(
  "leger deploy update restarts only what changed, removes only what it drops, rolls back a unit that dies",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-upd-${user}`;
        const port = PORTS[user];
        const url = `http://127.0.0.1:${port}/`;
        const svc = {
          web: `${name}-web.service`,
          api: `${name}-api.service`,
          worker: `${name}-worker.service`,
          volume: `${name}-data-volume.service`,
          network: `${name}-net-network.service`,
        };
        const all = Object.values(svc);
        await cleanup(name, user);
        try {
          const source = await writeSource(name, files(name, port));
          const v1 = await installDeployment(name, source, { user });
          strictEqual(v1.code, 0, describe(v1));
          // Data in the volume, served by the web container.
          const wrote = await hostExec(
            `podman exec systemd-${name}-web /bin/busybox sh -c 'echo precious data > /data/index.html'`,
            { user },
          );
          strictEqual(wrote.code, 0, describe(wrote));
          const served = await curlInside(url, user);
          strictEqual(served.stdout, "precious data\n", describe(served));

          await t.step(
            "one changed unit of five: exactly one service restarts",
            async () => {
              const before = await entered(user, all);
              for (const service of all) {
                ok(before[service] !== "0", `${service} never started`);
              }
              await writeSource(
                name,
                files(name, port, { api: [SLEEPER, "Environment=LEVEL=2"] }),
              );
              const result = await update(name, user);
              strictEqual(result.code, 0, describe(result));
              const doc = JSON.parse(result.stdout);
              strictEqual(doc.outcome, "updated");
              deepStrictEqual(doc.restarted, [svc.api]);
              deepStrictEqual(doc.changed, [`${name}-api.container`]);
              match(doc.backup, new RegExp(`^\\d{8}T\\d{6}Z-${name}-`));
              const after = await entered(user, all);
              const restarted = all.filter((s) => after[s] !== before[s]);
              deepStrictEqual(restarted, [svc.api], "services restarted");
              // deno-lint-ignore no-console -- the number the issue asks for
              console.log(
                `[${user}] update of one changed unit of five: services restarted = ${restarted.length}`,
              );
              strictEqual(await activeState(svc.api, user), "active");
              const again = await curlInside(url, user);
              strictEqual(again.stdout, "precious data\n", describe(again));
            },
          );

          await t.step("a dropped unit is removed, and only it", async () => {
            const before = await entered(user, all);
            await writeSource(
              name,
              files(name, port, {
                api: [SLEEPER, "Environment=LEVEL=2"],
                worker: false,
              }),
            );
            const result = await update(name, user, ["--no-backup"]);
            strictEqual(result.code, 0, describe(result));
            const doc = JSON.parse(result.stdout);
            deepStrictEqual(doc.removed, [`${name}-worker.container`]);
            deepStrictEqual(doc.restarted, []);
            strictEqual(
              (await quadletFiles(user, name)).includes(
                `${name}-worker.container`,
              ),
              false,
            );
            deepStrictEqual(
              (await quadletList(user, name)).map((q) => q.Name).sort(),
              [
                `${name}-api.container`,
                `${name}-data.volume`,
                `${name}-net.network`,
                `${name}-web.container`,
              ],
            );
            ok(
              ["inactive", "unknown", ""].includes(
                await activeState(svc.worker, user),
              ),
            );
            const after = await entered(
              user,
              all.filter((s) => s !== svc.worker),
            );
            for (const service of Object.keys(after)) {
              strictEqual(after[service], before[service], service);
            }
            const again = await curlInside(url, user);
            strictEqual(again.stdout, "precious data\n", describe(again));
          });

          await t.step(
            "a new unit that dies is rolled back: the previous version serves, the data is intact",
            async () => {
              const kept = all.filter((s) => s !== svc.worker);
              const before = await entered(user, kept);
              const apiBefore = await hostExec(
                `podman quadlet print ${name}-api.container`,
                { user },
              );
              await writeSource(
                name,
                files(name, port, {
                  api: ["Exec=/bin/busybox false"],
                  worker: false,
                }),
              );
              const result = await update(name, user, ["--no-backup"]);
              strictEqual(result.code, 1, describe(result));
              match(result.stderr, /\[ERR_SERVICE_START_FAILED\]/);
              match(result.stderr, /Rolled back: the previous version/);
              strictEqual(await activeState(svc.api, user), "active");
              const apiAfter = await hostExec(
                `podman quadlet print ${name}-api.container`,
                { user },
              );
              strictEqual(apiAfter.stdout, apiBefore.stdout);
              const after = await entered(user, kept);
              for (const service of [svc.web, svc.volume, svc.network]) {
                strictEqual(after[service], before[service], service);
              }
              const again = await curlInside(url, user);
              strictEqual(again.stdout, "precious data\n", describe(again));
              const listed = await leger(["deploy", "list", "--json"], {
                user,
              });
              strictEqual(listed.code, 0, describe(listed));
              const [entry] = JSON.parse(listed.stdout).filter((
                d: { deployment: string },
              ) => d.deployment === name);
              ok(entry, "deploy list lost the deployment");
            },
          );
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
