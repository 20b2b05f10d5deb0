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
  leger,
  podmanExists,
  quadletList,
  scopeOf,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18211, leger: 18212 };

e2eTest(
  "leger deploy install starts a container, volume and network that deploy list, service logs and service restart then see",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-install-${user}`;
        const port = PORTS[user];
        const names = webNames(name);
        const url = `http://127.0.0.1:${port}/`;
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port, version: "1" }),
          );

          const installed = await t.step("deploy install exits 0", async () => {
            const install = await installDeployment(name, source, { user });
            strictEqual(install.code, 0, describe(install));
          });
          if (!installed) return;

          await t.step(
            "the container answers on its published port",
            async () => {
              const curl = await curlInside(url, user);
              strictEqual(curl.code, 0, curl.stderr);
              strictEqual(curl.stdout, "hello from leger\n");
              strictEqual(await activeState(names.service, user), "active");
              ok(await podmanExists("volume", names.volumeName, user));
              ok(await podmanExists("network", names.networkName, user));
              const units = (await quadletList(user, name)).map((q) => q.Name)
                .sort();
              deepStrictEqual(
                units,
                [
                  names.volume,
                  names.network,
                  names.container,
                ].sort(),
              );
            },
          );

          await t.step("deploy list --json shows it active", async () => {
            const list = await deployList(user);
            const entry = list.find((d) => d.deployment === name);
            ok(entry, JSON.stringify(list, null, 2));
            strictEqual(entry.scope, scopeOf(user));
            strictEqual(entry.source.type, "local");
            strictEqual(entry.source.location, source);
            ok(
              !Number.isNaN(Date.parse(entry.installed_at)),
              entry.installed_at,
            );
            const web = entry.services.find((s) =>
              s.service === names.service || s.unit === names.container
            );
            ok(web, JSON.stringify(entry, null, 2));
            strictEqual(web.active_state, "active");
            strictEqual(web.sub_state, "running");
            deepStrictEqual(
              web.ports.map((p) => ({
                host_ip: p.host_ip,
                host_port: String(p.host_port),
                container_port: String(p.container_port),
                protocol: p.protocol,
              })),
              [{
                host_ip: "127.0.0.1",
                host_port: String(port),
                container_port: "8080",
                protocol: "tcp",
              }],
            );
            strictEqual(entry.version, "1");
          });

          await t.step("service logs shows httpd's request log", async () => {
            const logs = await leger(["service", "logs", `${name}-web`], {
              user,
            });
            strictEqual(logs.code, 0, describe(logs));
            // busybox httpd -v logs each request: "response:200".
            match(logs.stdout, /response:200/);
          });

          await t.step(
            "service restart waits and the server answers again",
            async () => {
              const before = await hostExec(
                `podman inspect --format '{{.State.StartedAt}}' ${names.containerName}`,
                { user },
              );
              const restart = await leger(
                ["service", "restart", `${name}-web`],
                {
                  user,
                },
              );
              strictEqual(restart.code, 0, describe(restart));
              match(restart.stdout + restart.stderr, /active/);
              strictEqual(await activeState(names.service, user), "active");
              const after = await hostExec(
                `podman inspect --format '{{.State.StartedAt}}' ${names.containerName}`,
                { user },
              );
              strictEqual(after.code, 0, after.stderr);
              ok(
                after.stdout !== before.stdout,
                `the container was not restarted: started at ${after.stdout}`,
              );
              const curl = await curlInside(url, user);
              strictEqual(curl.code, 0, curl.stderr);
              strictEqual(curl.stdout, "hello from leger\n");
            },
          );

          await t.step(
            "service logs -n 2 prints the last two lines",
            async () => {
              const logs = await leger(
                ["service", "logs", `${name}-web`, "-n", "2"],
                { user },
              );
              strictEqual(logs.code, 0, describe(logs));
              const lines = logs.stdout.split("\n").filter((l) => l !== "");
              strictEqual(lines.length, 2, describe(logs));
            },
          );

          await t.step("service stop, then service start", async () => {
            const stop = await leger(["service", "stop", `${name}-web`], {
              user,
            });
            strictEqual(stop.code, 0, describe(stop));
            strictEqual(await activeState(names.service, user), "inactive");
            const down = await curlInside(url, user, { attempts: 1 });
            strictEqual(down.code, 1, "the server still answers after stop");
            const start = await leger(["service", "start", `${name}-web`], {
              user,
            });
            strictEqual(start.code, 0, describe(start));
            strictEqual(await activeState(names.service, user), "active");
            const up = await curlInside(url, user);
            strictEqual(up.code, 0, up.stderr);
          });

          await t.step(
            "a service that is not installed gets an error naming the installed ones",
            async () => {
              const logs = await leger(["service", "logs", `${name}-nosuch`], {
                user,
              });
              strictEqual(logs.code, 1, describe(logs));
              match(logs.stderr, new RegExp(`${name}-nosuch`));
              match(logs.stderr, new RegExp(`${name}-web`));
              match(logs.stderr, /\[ERR_[A-Z_]+\]/);
            },
          );
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);
