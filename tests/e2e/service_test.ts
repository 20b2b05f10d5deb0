/**
 * Whole-deployment service commands on the real host (issue 13, item 4),
 * both scopes: `leger service logs DEPLOYMENT` interleaves the journal of
 * all its services in the order of time, each line prefixed by its service
 * (`-n`, `--json`, `-f` until SIGINT), and `leger service
 * stop|start|restart DEPLOYMENT` act on all of them; an unknown name lists
 * the known ones.
 *
 * @module
 */
import {
  deepStrictEqual,
  doesNotMatch,
  match,
  ok,
  strictEqual,
} from "node:assert/strict";
import { containerUnit } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  leger,
  legerCommandLine,
  quadletDir,
  scopeOf,
  shellQuote,
  systemctl,
  USERS,
  waitInside,
  writeSource,
} from "./_host.ts";
import type { User } from "./_host.ts";

/** The deployment's services: each prints one line as it starts, then waits. */
const PARTS = ["a", "b", "c"] as const;

function files(name: string): Record<string, string> {
  return Object.fromEntries([
    [".leger.yaml", `name: ${name}\nversion: "1"\n`],
    ...PARTS.map((part) => [
      `${name}-${part}.container`,
      containerUnit([
        // busybox sh as PID 1 ignores SIGTERM without the trap.
        `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; echo started-${part}; while :; do sleep 1; done & wait"`,
      ]),
    ]),
  ]);
}

/** `journalctl [--user]` reading one of the deployment's services. */
function journalOf(user: User, service: string): string {
  return user === "root"
    ? `journalctl --unit ${service}`
    : `journalctl --user --user-unit ${service}`;
}

/**
 * Writes a line to a container's stdout, as its own process would (conmon
 * logs it to the journal of its service), and waits until the journal has
 * it, so that the next line is later.
 */
async function say(
  user: User,
  name: string,
  part: string,
  line: string,
): Promise<void> {
  const written = await hostExec(
    `podman exec systemd-${name}-${part} /bin/busybox sh -c ${
      shellQuote(`echo ${line} > /proc/1/fd/1`)
    }`,
    { user },
  );
  strictEqual(written.code, 0, describe(written));
  const seen = await waitInside(
    `${
      journalOf(user, `${name}-${part}.service`)
    } --output cat --no-pager | grep -qx ${shellQuote(line)}`,
    { user, attempts: 50, intervalSeconds: 0.1 },
  );
  strictEqual(seen.code, 0, `${line} never reached the journal`);
}

/** The id of each service's container, to tell a restart. */
async function containerIds(user: User, name: string): Promise<string[]> {
  const ids = [];
  for (const part of PARTS) {
    const result = await hostExec(
      `podman inspect --format '{{.Id}}' systemd-${name}-${part}`,
      { user },
    );
    strictEqual(result.code, 0, describe(result));
    ids.push(result.stdout.trim());
  }
  return ids;
}

e2eTest(
  "leger service logs|stop|start|restart DEPLOYMENT act on all its services (issue 13, item 4)",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-svc-${user}`;
        const services = PARTS.map((part) => `${name}-${part}.service`);
        await cleanup(name, user);
        try {
          const source = await writeSource(name, files(name));
          const install = await installDeployment(name, source, { user });
          strictEqual(install.code, 0, describe(install));
          for (const service of services) {
            strictEqual(await activeState(service, user), "active", service);
          }
          for (const part of PARTS) {
            const started = await waitInside(
              `${
                journalOf(user, `${name}-${part}.service`)
              } --output cat --no-pager | grep -qx started-${part}`,
              { user, attempts: 50, intervalSeconds: 0.1 },
            );
            strictEqual(started.code, 0, `${name}-${part} never said so`);
          }
          // Lines in a known order across the services.
          const said = [
            ["a", "line-1"],
            ["b", "line-2"],
            ["a", "line-3"],
            ["c", "line-4"],
            ["b", "line-5"],
          ];
          for (const [part, line] of said) await say(user, name, part, line);

          await t.step("logs DEPLOYMENT: every service, prefixed", async () => {
            const logs = await leger(["service", "logs", name], { user });
            strictEqual(logs.code, 0, describe(logs));
            for (const part of PARTS) {
              match(
                logs.stdout,
                new RegExp(`^${name}-${part} \\| started-${part}$`, "m"),
              );
            }
            // systemd's own lines are there too, under their service.
            match(
              logs.stdout,
              new RegExp(`^${name}-a \\| Started ${name}-a\\.service`, "m"),
            );
            for (const line of logs.stdout.split("\n").slice(0, -1)) {
              match(line, new RegExp(`^${name}-[abc] \\| `), line);
            }
          });

          await t.step(
            "-n 5: the last five of all, in the order of time",
            async () => {
              const logs = await leger(["service", "logs", name, "-n", "5"], {
                user,
              });
              strictEqual(logs.code, 0, describe(logs));
              strictEqual(
                logs.stdout,
                said.map(([part, line]) => `${name}-${part} | ${line}\n`).join(
                  "",
                ),
              );
            },
          );

          await t.step(
            "--json: journal entries as JSON lines, with the unit",
            async () => {
              const logs = await leger(
                ["service", "logs", name, "-n", "5", "--json"],
                { user },
              );
              strictEqual(logs.code, 0, describe(logs));
              const entries = logs.stdout.split("\n").slice(0, -1).map((l) =>
                JSON.parse(l)
              );
              const unitField = user === "root"
                ? "_SYSTEMD_UNIT"
                : "_SYSTEMD_USER_UNIT";
              deepStrictEqual(
                entries.map((
                  e,
                ) => [e.MESSAGE, e[unitField], e.SYSLOG_IDENTIFIER]),
                said.map(([part, line]) => [
                  `${line}\n`,
                  `${name}-${part}.service`,
                  `systemd-${name}-${part}`,
                ]),
              );
              const times = entries.map((e) => Number(e.__REALTIME_TIMESTAMP));
              deepStrictEqual(times, [...times].sort((x, y) => x - y));
            },
          );

          await t.step(
            "-f prints a line written after it started, and ends on SIGINT",
            async () => {
              const out = `/tmp/${name}-follow.out`;
              const script = [
                `rm -f ${out}`,
                `(${
                  legerCommandLine(["service", "logs", name, "-f", "-n", "1"], {
                    timeoutSeconds: 60,
                  })
                }) > ${out} 2>&1 &`,
                // timeout's pid; leger (deno) is its child.
                "leger=$!",
                // The last line of the past, once printed, says journalctl
                // is done with the past and follows.
                `for i in $(seq 200); do grep -q 'line-5' ${out} 2>/dev/null && break; sleep 0.05; done`,
                `grep -q 'line-5' ${out} || { echo "nothing printed"; cat ${out}; exit 99; }`,
                `podman exec systemd-${name}-c /bin/busybox sh -c 'echo line-6 > /proc/1/fd/1'`,
                `for i in $(seq 200); do grep -q 'line-6' ${out} && break; sleep 0.05; done`,
                "deno=$(pgrep -P $leger)",
                "journal=$(pgrep -P $deno -x journalctl)",
                'echo "journalctl=$journal"',
                'kill -INT "$deno"',
                'wait $leger; echo "exit=$?"',
                // journalctl went with it.
                'if kill -0 "$journal" 2>/dev/null; then echo "journalctl still runs"; fi',
                `cat ${out}`,
              ].join("\n");
              const result = await hostExec(script, { user });
              match(result.stdout, /^journalctl=\d+$/m, describe(result));
              match(result.stdout, /^exit=0$/m, describe(result));
              strictEqual(result.stdout.includes("still runs"), false);
              match(result.stdout, new RegExp(`^${name}-b \\| line-5$`, "m"));
              match(result.stdout, new RegExp(`^${name}-c \\| line-6$`, "m"));
            },
          );

          await t.step("stop DEPLOYMENT stops them all", async () => {
            const stop = await leger(["service", "stop", name], { user });
            strictEqual(stop.code, 0, describe(stop));
            strictEqual(
              stop.stdout,
              services.map((s) => `${s}: inactive (dead)\n`).join(""),
            );
            for (const service of services) {
              strictEqual(await activeState(service, user), "inactive");
            }
          });

          await t.step("start DEPLOYMENT starts them all", async () => {
            const start = await leger(["service", "start", name, "--json"], {
              user,
            });
            strictEqual(start.code, 0, describe(start));
            deepStrictEqual(JSON.parse(start.stdout), {
              deployment: name,
              scope: scopeOf(user),
              services: services.map((service) => ({
                service,
                active_state: "active",
                sub_state: "running",
                // No health check: none to report.
                health: null,
              })),
            });
            for (const service of services) {
              strictEqual(await activeState(service, user), "active");
            }
          });

          await t.step("restart DEPLOYMENT restarts them all", async () => {
            const before = await containerIds(user, name);
            const restart = await leger(["service", "restart", name], {
              user,
            });
            strictEqual(restart.code, 0, describe(restart));
            strictEqual(
              restart.stdout,
              services.map((s) => `${s}: active (running)\n`).join(""),
            );
            const after = await containerIds(user, name);
            after.forEach((id, i) =>
              ok(id !== before[i], `${services[i]}: a new container`)
            );
          });

          await t.step("an unknown name lists the known ones", async () => {
            const result = await leger(["service", "logs", `${name}-q`], {
              user,
            });
            strictEqual(result.code, 1, describe(result));
            strictEqual(result.stdout, "");
            match(
              result.stderr,
              new RegExp(
                `Cannot find a service or deployment "${name}-q" in the ${
                  scopeOf(user)
                } scope`,
              ),
            );
            match(result.stderr, new RegExp(`deployments: ${name}\\n`));
            match(
              result.stderr,
              new RegExp(`services: ${services.join(", ")}\\n`),
            );
            match(result.stderr, /Did you mean `[^`]+`\?/);
            match(result.stderr, /\[ERR_SERVICE_NOT_FOUND\]/);
          });
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "leger service restart|start of a service that dies at once fails, up to start-limit-hit; a bad --since is ERR_USAGE (issue 13 findings 1, 13)",
  async (t) => {
    const user: User = "leger";
    const name = "e2e-ff";
    const service = `${name}1.service`;
    await cleanup(name, user);
    try {
      const source = await writeSource(name, {
        ".leger.yaml": `name: ${name}\nversion: "1"\n`,
        [`${name}1.container`]: containerUnit([
          `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; while :; do sleep 1; done & wait"`,
        ]),
      });
      const install = await installDeployment(name, source, { user });
      strictEqual(install.code, 0, describe(install));
      // The installed unit now runs a command that exits at once.
      const broken = await hostExec(
        `f=$(grep -rl 'sleep 1' ${
          quadletDir(user)
        } | grep '/${name}1\\.container$') && sed -i 's|^Exec=.*|Exec=/bin/busybox false|' "$f" && ${
          systemctl(user)
        } daemon-reload`,
        { user },
      );
      strictEqual(broken.code, 0, describe(broken));

      await t.step("every run fails, naming the service", async () => {
        let limited = false;
        for (let run = 0; run < 8 && !limited; run++) {
          const verb = run % 2 === 0 ? "restart" : "start";
          const result = await leger(["service", verb, `${name}1`], { user });
          strictEqual(result.code, 1, describe(result));
          match(
            result.stderr,
            /\[ERR_SERVICE_START_FAILED\]/,
            describe(result),
          );
          match(result.stderr, new RegExp(`Cannot start "${name}1\\.service"`));
          doesNotMatch(result.stdout, /active \(running\)/);
          limited = /start-limit-hit/.test(result.stderr);
          if (limited) {
            match(
              result.stderr,
              new RegExp(`systemctl --user reset-failed ${name}1\\.service`),
            );
          }
        }
        ok(limited, "systemd's start limit was never reached");
        strictEqual(await activeState(service, user), "failed");
      });

      await t.step("--since journalctl cannot read: ERR_USAGE", async () => {
        for (const word of [`${name}1`, name]) {
          const result = await leger(
            ["service", "logs", word, "--since", "garbage", "--json"],
            { user },
          );
          strictEqual(result.code, 2, describe(result));
          const { error } = JSON.parse(result.stdout);
          strictEqual(error.code, "ERR_USAGE");
          match(error.message, /--since "garbage"/);
          match(error.remedy, /`1h ago`/);
        }
        const fine = await leger(
          ["service", "logs", `${name}1`, "--since", "1 hour ago"],
          { user },
        );
        strictEqual(fine.code, 0, describe(fine));
      });
    } finally {
      await hostExec(`${systemctl(user)} reset-failed ${service} || true`, {
        user,
      });
      await cleanup(name, user);
    }
  },
);

e2eTest(
  "leger service … --scope system as a user other than root is ERR_PERMISSION_DENIED, as leger status says it (issue 13 finding 14)",
  async () => {
    const name = "e2e-rweb";
    await cleanup(name, "root");
    try {
      const source = await writeSource(name, {
        ".leger.yaml": `name: ${name}\nversion: "1"\n`,
        [`${name}.container`]: containerUnit([
          `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; while :; do sleep 1; done & wait"`,
        ]),
      });
      const install = await installDeployment(name, source, { user: "root" });
      strictEqual(install.code, 0, describe(install));
      for (
        const argv of [
          ["service", "stop", name, "--scope", "system"],
          ["service", "restart", name, "--scope", "system"],
          ["service", "logs", name, "--scope", "system"],
          ["status", name, "--scope", "system"],
        ]
      ) {
        const result = await leger(argv, { user: "leger" });
        strictEqual(result.code === 0, false, describe(result));
        match(result.stderr, /\[ERR_PERMISSION_DENIED\]/, describe(result));
        match(
          result.stderr,
          /Run the command with sudo \(`sudo leger …`\), or leave out --scope system/,
        );
      }
      strictEqual(await activeState(`${name}.service`, "root"), "active");
    } finally {
      await cleanup(name, "root");
    }
  },
);
