/**
 * The kill matrix: `leger deploy install` and `leger deploy remove` get
 * SIGKILL, SIGTERM or SIGINT at each progress line they print; afterwards the
 * next leger command that takes the lock finishes or undoes the change, and
 * the host is either as before or fully installed and recorded — never in
 * between, and with nothing left in leger's working folders.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  deployList,
  describe,
  e2eTest,
  type ExecResult,
  hostExec,
  installDeployment,
  leger,
  legerCommandLine,
  loadedUnits,
  podmanExists,
  quadletFiles,
  scopeOf,
  shellQuote,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18251, leger: 18252 };
const SIGNALS = ["KILL", "TERM", "INT"] as const;
const INSTALL_LINES = [
  "Staging the files",
  "Installing the units",
  "Starting ",
  "Checking that they stay up",
];
const REINSTALL_LINES = [
  "Staging the files",
  "Stopping the installed version",
  "Installing the units over the installed version",
  "Starting ",
  "Checking that they stay up",
];
const REMOVE_LINES = ["Stopping ", "Removing the units"];

/**
 * Runs leger in the background inside the host, waits until its stderr shows
 * `line`, sends it `signal`, and returns how it ended (with its stderr).
 */
async function signalAt(
  args: string[],
  options: { user: User; line: string; signal: string; tag: string },
): Promise<ExecResult> {
  const { user, line, signal, tag } = options;
  const err = `/tmp/leger-kill-${tag}.err`;
  const script = [
    `rm -f ${err}`,
    `(${legerCommandLine(args)}) 2> ${err} &`,
    "leger=$!",
    `for i in $(seq 600); do grep -qF ${
      shellQuote(line)
    } ${err} && break; sleep 0.02; done`,
    `grep -qF ${
      shellQuote(line)
    } ${err} || { echo "never printed: ${line}"; cat ${err}; exit 99; }`,
    // Anchored at deno itself: this script's own command line holds the words too.
    `pkill -${signal} -f ${
      shellQuote(`^/leger/deno run .*cli/main.ts ${args.slice(0, 2).join(" ")}`)
    }`,
    'wait $leger; echo "exit=$?"',
    `cat ${err}`,
  ].join("\n");
  return await hostExec(script, { user });
}

/** Nothing of the deployment is on the host, in Podman, systemd or leger's state. */
async function assertNothingOf(name: string, user: User): Promise<void> {
  const names = webNames(name);
  deepStrictEqual(await quadletFiles(user, name), [], "quadlet files left");
  deepStrictEqual(await loadedUnits(user, name), [], "units left loaded");
  strictEqual(
    await podmanExists("container", names.containerName, user),
    false,
  );
  strictEqual(await podmanExists("network", names.networkName, user), false);
  deepStrictEqual(
    (await deployList(user)).filter((d) => d.deployment === name),
    [],
    "still recorded",
  );
}

/** The deployment is installed, recorded and running. */
async function assertInstalled(name: string, user: User): Promise<void> {
  const names = webNames(name);
  strictEqual(await activeState(names.service, user), "active");
  const [listed] = (await deployList(user)).filter((d) =>
    d.deployment === name
  );
  ok(listed !== undefined, "not recorded");
  strictEqual(listed.services[0].active_state, "active");
}

/** leger's working folders hold no temporary copies and no journal. */
async function assertNoDebris(user: User): Promise<void> {
  const [state, work] = user === "root"
    ? ["/var/lib/leger", "/var/lib/leger/bluebuild-quadlets"]
    : [
      '"$HOME/.local/share/leger"',
      '"$HOME/.local/share/bluebuild-quadlets"',
    ];
  const result = await hostExec(
    [
      `ls -A ${state} 2>/dev/null | grep -E '^(journal\\.json|\\.leger-probe-)' || true`,
      `ls -A ${work}/staged ${work}/active 2>/dev/null | grep -E '^\\.' || true`,
    ].join("\n"),
    { user },
  );
  strictEqual(result.stdout, "", "debris left in leger's folders");
}

e2eTest(
  "a deploy install ended by SIGKILL, SIGTERM or SIGINT at any step leaves the host as before or fully installed",
  async (t) => {
    for (const user of USERS) {
      for (const signal of SIGNALS) {
        for (const line of INSTALL_LINES) {
          await t.step(
            `${user} (${scopeOf(user)}): SIG${signal} at "${line.trim()}"`,
            async () => {
              const name = `e2e-kill-${user}`;
              await cleanup(name, user);
              try {
                const source = await writeSource(
                  name,
                  webDeployment({ name, port: PORTS[user] }),
                );
                const ended = await signalAt(
                  ["deploy", "install", "--source", source, "--yes"],
                  { user, line, signal, tag: name },
                );
                if (signal !== "KILL") {
                  // SIGTERM and SIGINT undo at once, unless the install got
                  // through before the signal arrived.
                  ok(/exit=(130|0)$/m.test(ended.stdout), describe(ended));
                }
                // The next command that takes the lock finishes the change.
                const next = await leger(["staged", "discard"], { user });
                strictEqual(next.code, 0, describe(next));
                const installed = (await deployList(user)).some((d) =>
                  d.deployment === name
                );
                if (installed) await assertInstalled(name, user);
                else await assertNothingOf(name, user);
                await assertNoDebris(user);
                // And installing works afterwards.
                const again = await installDeployment(name, source, { user });
                strictEqual(again.code, 0, describe(again));
                await assertInstalled(name, user);
              } finally {
                await cleanup(name, user);
              }
            },
          );
        }
      }
    }
  },
);

e2eTest(
  "a reinstall interrupted at any step leaves the previous version running",
  async (t) => {
    for (const user of USERS) {
      for (const line of REINSTALL_LINES) {
        await t.step(
          `${user} (${scopeOf(user)}): SIGINT at "${line.trim()}"`,
          async () => {
            const name = `e2e-reint-${user}`;
            const names = webNames(name);
            await cleanup(name, user);
            try {
              const v1 = webDeployment({ name, port: PORTS[user] });
              const source = await writeSource(name, v1);
              strictEqual(
                (await installDeployment(name, source, { user })).code,
                0,
              );
              await writeSource(name, { ...v1, "v2.txt": "version 2\n" });
              const ended = await signalAt(
                ["deploy", "install", "--source", source, "--yes"],
                { user, line, signal: "INT", tag: name },
              );
              match(ended.stdout, /^exit=(130|0)$/m, describe(ended));
              if (/^exit=130$/m.test(ended.stdout)) {
                match(
                  ended.stdout,
                  /previous version of .* is installed and .* running again/,
                );
                deepStrictEqual(
                  (await quadletFiles(user, name)).filter((f) =>
                    f === "v2.txt"
                  ),
                  [],
                );
              }
              strictEqual(await activeState(names.service, user), "active");
              await assertNoDebris(user);
            } finally {
              await cleanup(name, user);
            }
          },
        );
      }
    }
  },
);

e2eTest(
  "a deploy remove ended by a signal at any step is finished by the next leger",
  async (t) => {
    for (const user of USERS) {
      for (const signal of SIGNALS) {
        for (const line of REMOVE_LINES) {
          await t.step(
            `${user} (${scopeOf(user)}): SIG${signal} at "${line.trim()}"`,
            async () => {
              const name = `e2e-rmkill-${user}`;
              await cleanup(name, user);
              try {
                const source = await writeSource(
                  name,
                  webDeployment({ name, port: PORTS[user] }),
                );
                strictEqual(
                  (await installDeployment(name, source, { user })).code,
                  0,
                );
                await signalAt(["deploy", "remove", name, "--yes"], {
                  user,
                  line,
                  signal,
                  tag: name,
                });
                const next = await leger(["staged", "discard"], { user });
                strictEqual(next.code, 0, describe(next));
                await assertNothingOf(name, user);
                await assertNoDebris(user);
                // Removing it again says it is not installed, without failing on leftovers.
                const again = await leger(["deploy", "remove", name, "--yes"], {
                  user,
                });
                match(again.stderr, /ERR_DEPLOYMENT_NOT_FOUND/);
              } finally {
                await cleanup(name, user);
              }
            },
          );
        }
      }
    }
  },
);
