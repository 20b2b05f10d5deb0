// `leger doctor` on the real Podman 5.8 + systemd 262 host (issue 13), in
// both scopes: a healthy host with a deployment passes (warnings allowed)
// and exits 0; then things are broken for real — a quadlet file edited
// behind leger's back, a unit deleted, a published port taken by another
// program, and a user without linger, a systemd session or subordinate ids
// — and each check fails with its fix, which the test then runs as a user
// would paste it (`sudo` dropped: the test already runs those as root),
// until doctor passes again.
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { legerCommands } from "../_shell_commands.ts";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  describe,
  e2eTest,
  type ExecResult,
  hostExec,
  installDeployment,
  leger,
  legerCommandLine,
  parseJsonOutput,
  quadletDir,
  scopeOf,
  shellQuote,
  systemctl,
  type User,
  USERS,
  waitInside,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18711, leger: 18712 };

// deno-lint-ignore no-explicit-any
type Json = any;

interface Check {
  id: string;
  group: string;
  title: string;
  status: "pass" | "warn" | "fail";
  detail: string;
  fix: string | null;
}

interface Doctor {
  result: ExecResult;
  checks: Map<string, Check>;
  doc: Json;
  /** The wall time of `leger doctor` inside the host, in milliseconds. */
  ms: number;
}

/** Runs `leger doctor --json` inside the host, timed there. */
async function doctor(user: User, prefix = ""): Promise<Doctor> {
  return parseDoctor(
    await hostExec(timed(prefix + legerCommandLine(["doctor", "--json"])), {
      user,
    }),
  );
}

/** A shell command line that prints its wall time on stderr's last line. */
function timed(command: string): string {
  return `s=$(date +%s%N); (${command}); code=$?; ` +
    `echo "doctor-ms=$(( ($(date +%s%N) - s) / 1000000 ))" >&2; exit $code`;
}

function parseDoctor(result: ExecResult): Doctor {
  const doc = parseJsonOutput<Json>(result, "leger doctor --json");
  const ms = Number(/doctor-ms=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  return {
    result,
    doc,
    ms,
    checks: new Map(doc.checks.map((c: Check) => [c.id, c])),
  };
}

function failed(report: Doctor): string[] {
  return [...report.checks.values()].filter((c) => c.status === "fail").map(
    (c) => c.id,
  );
}

/**
 * Runs a fix as a user pastes it, line by line: a `leger` line as leger
 * itself, a `sudo` line as root (the host has no sudo: the test is root
 * already), any other as the user; `#` comments are left out.
 */
async function runFix(fix: string, user: User): Promise<void> {
  for (const raw of fix.split("\n")) {
    const line = raw.replace(/(^|\s+)#.*$/, "");
    if (line.trim() === "") continue;
    const [argv] = legerCommands(line);
    const result = line.startsWith("leger ")
      ? await leger(argv, { user })
      : line.startsWith("sudo ")
      ? await hostExec(line.slice("sudo ".length), { user: "root" })
      : await hostExec(line, { user });
    strictEqual(result.code, 0, `${line}\n${describe(result)}`);
  }
}

e2eTest(
  "leger doctor passes a healthy host, and fails a quadlet edited or deleted behind leger's back and a port taken, each with a fix that works (issue 13)",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (u) => {
        const name = `e2e-doctor-${user}`;
        const names = webNames(name);
        const port = PORTS[user];
        const dir = quadletDir(user);
        await cleanup(name, user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port }),
          );
          const install = await installDeployment(name, source, { user });
          strictEqual(install.code, 0, describe(install));

          await u.step(
            "a healthy host passes, in well under a second",
            async () => {
              const report = await doctor(user);
              strictEqual(report.result.code, 0, describe(report.result));
              deepStrictEqual(failed(report), []);
              strictEqual(report.doc.scope, scopeOf(user));
              const expected: Record<string, string> = {
                "podman": "pass",
                "systemd": "pass",
                "folders": "pass",
                [`ports:${name}`]: "pass",
                [`drift:${name}`]: "pass",
                // Podman's default file driver: said plainly, as a warning.
                "secrets-driver": "warn",
                ...(user === "leger"
                  ? { "linger": "pass", "sub-ids": "pass" }
                  : {}),
              };
              deepStrictEqual(
                Object.fromEntries(
                  Object.keys(expected).map((
                    id,
                  ) => [id, report.checks.get(id)?.status]),
                ),
                expected,
              );
              match(
                report.checks.get("podman")!.detail,
                new RegExp(
                  `^leger installs units with \`podman quadlet install --replace\` into `,
                ),
              );
              match(
                report.checks.get("secrets-driver")!.detail,
                /unencrypted, readable only by .* \(mode 0600\), in \/.*\/secrets\/filedriver\/secretsdata\.json/,
              );
              // The e2e host's kernel keeps its controllers on cgroup v1, and
              // its containers.conf turns Podman's process limit off.
              const cgroups = report.checks.get("cgroups")!;
              deepStrictEqual(
                [cgroups.status, cgroups.title],
                ["warn", "cgroup v2: no controller"],
              );
              ok(
                report.checks.get(`ports:${name}`)!.title.includes(
                  `${port}/tcp`,
                ),
              );
              ok(report.ms < 1000, `leger doctor took ${report.ms} ms`);
              // deno-lint-ignore no-console
              console.log(`leger doctor (${user}): ${report.ms} ms`);
              const text = await leger(["doctor"], { user });
              strictEqual(text.code, 0, describe(text));
              match(text.stdout, /^Podman\n {2}pass Podman 5\.8\.\d+\n/);
              match(
                text.stdout,
                new RegExp(
                  `\\n\\d+ checks in the ${
                    scopeOf(user)
                  } scope: \\d+ passed, \\d+ warnings, 0 failed\\n$`,
                ),
              );
            },
          );

          await u.step(
            "a quadlet file edited behind leger's back fails, and its fix puts leger's copy back",
            async () => {
              const edit = await hostExec(
                `printf '# edited by hand\\n' >> ${dir}/${names.container}`,
                { user },
              );
              strictEqual(edit.code, 0, describe(edit));
              const report = await doctor(user);
              strictEqual(report.result.code, 1, describe(report.result));
              deepStrictEqual(failed(report), [`drift:${name}`]);
              const drift = report.checks.get(`drift:${name}`)!;
              match(
                drift.detail,
                new RegExp(`^Changed outside leger: ${names.container}\\.`),
              );
              const [diff, ...restore] = drift.fix!.split("\n");
              // The diff of the fix shows the edit (and exits 1: they differ).
              const shown = await hostExec(diff.replace(/\s+#.*$/, ""), {
                user,
              });
              strictEqual(shown.code, 1, describe(shown));
              match(shown.stdout, /^\+# edited by hand$/m);
              // As the detail says, an update from the same source keeps it.
              const update = await leger([
                "deploy",
                "update",
                name,
                "--yes",
                "--json",
              ], { user });
              strictEqual(
                JSON.parse(update.stdout).outcome,
                "unchanged",
                describe(update),
              );
              strictEqual(
                (await doctor(user)).checks.get(`drift:${name}`)!.status,
                "fail",
              );
              await runFix(restore.join("\n"), user);
              const after = await doctor(user);
              deepStrictEqual(failed(after), [], describe(after.result));
              strictEqual(
                (await hostExec(
                  `grep -c 'edited by hand' ${dir}/${names.container}; true`,
                  { user },
                )).stdout.trim(),
                "0",
              );
              strictEqual(await activeState(names.service, user), "active");
            },
          );

          await u.step(
            "a unit deleted outside leger fails, and its fix puts it back",
            async () => {
              const rm = await hostExec(
                `rm ${dir}/${names.network} && ${
                  systemctl(user)
                } daemon-reload`,
                { user },
              );
              strictEqual(rm.code, 0, describe(rm));
              const report = await doctor(user);
              strictEqual(report.result.code, 1);
              const drift = report.checks.get(`drift:${name}`)!;
              deepStrictEqual(
                [drift.status, drift.title],
                ["fail", `${name}: 1 removed outside leger`],
              );
              match(
                drift.detail,
                new RegExp(`Removed outside leger: ${names.network} `),
              );
              await runFix(drift.fix!, user);
              deepStrictEqual(failed(await doctor(user)), []);
              strictEqual(
                (await hostExec(
                  `${
                    systemctl(user)
                  } is-active ${name}-net-network.service; true`,
                  { user },
                )).stdout.trim(),
                "active",
              );
            },
          );

          await u.step(
            "a published port taken by another program fails, naming the port and the deployment",
            async () => {
              const stop = await hostExec(
                `${systemctl(user)} stop ${names.service}`,
                { user },
              );
              strictEqual(stop.code, 0, describe(stop));
              const listener = await hostExec(
                `setsid /bin/busybox httpd -f -p 127.0.0.1:${port} -h /tmp ` +
                  `>/dev/null 2>&1 < /dev/null & echo $!`,
                { user },
              );
              const pid = listener.stdout.trim();
              ok(/^\d+$/.test(pid), describe(listener));
              try {
                await waitInside(
                  `ss -ltn 'sport = :${port}' | grep -q LISTEN`,
                  { user },
                );
                const report = await doctor(user);
                strictEqual(report.result.code, 1);
                deepStrictEqual(failed(report), [`ports:${name}`]);
                const ports = report.checks.get(`ports:${name}`)!;
                strictEqual(ports.title, `${name}: 1 of its ports is taken`);
                strictEqual(
                  ports.detail,
                  `Port ${port}/tcp of ${names.container} line 9 (PublishPort=127.0.0.1:${port}:8080) is held by another process: ${names.service} cannot start until it is free.`,
                );
                const [ss, restart] = ports.fix!.split("\n");
                // The ss of the fix names the program that holds the port.
                const holder = await hostExec(
                  ss.replace(/^sudo /, "").replace(/\s+#.*$/, ""),
                );
                match(holder.stdout, /busybox/, describe(holder));
                strictEqual(
                  (await hostExec(`kill ${pid}`, { user })).code,
                  0,
                );
                await waitInside(
                  `! ss -ltn 'sport = :${port}' | grep -q LISTEN`,
                  { user },
                );
                match(restart, new RegExp(`^leger service restart ${name} `));
                await runFix(restart, user);
              } finally {
                await hostExec(`kill ${pid} 2>/dev/null; true`, { user });
              }
              const after = await doctor(user);
              deepStrictEqual(failed(after), [], describe(after.result));
              strictEqual(after.checks.get(`ports:${name}`)!.status, "pass");
            },
          );
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

/** A second rootless user, made for the test: uid 1001. */
const NEW_USER = "doctor2";
const NEW_UID = 1001;

/** Runs a command as the new user the way `sudo -u` or `su` would: no session, no XDG_RUNTIME_DIR. */
async function asNewUser(command: string): Promise<ExecResult> {
  return await hostExec(
    `runuser -u ${NEW_USER} -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ` +
      `HOME=/home/${NEW_USER} sh -c ${shellQuote(`cd && ${command}`)}`,
  );
}

async function removeNewUser(): Promise<void> {
  await hostExec(
    [
      `loginctl disable-linger ${NEW_USER} 2>/dev/null`,
      `systemctl stop user@${NEW_UID}.service 2>/dev/null`,
      // Rootless Podman's pause process, by its id.
      `for f in /run/user/${NEW_UID}/libpod/tmp/pause.pid /tmp/podman-run-${NEW_UID}/libpod/tmp/pause.pid /tmp/storage-run-${NEW_UID}/libpod/tmp/pause.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done`,
      `id ${NEW_USER} >/dev/null 2>&1 && userdel -r -f ${NEW_USER} >/dev/null 2>&1`,
      `sed -i '/^${NEW_USER}:/d' /etc/subuid /etc/subgid`,
      "true",
    ].join("; "),
  );
}

e2eTest(
  "leger doctor fails a new rootless user without linger, a systemd session or subordinate ids, and its fixes make it pass (issue 13)",
  async () => {
    await removeNewUser();
    try {
      // useradd gives the user subordinate ids: take them away, as on a
      // host whose /etc/subuid was written before the user existed.
      const add = await hostExec(
        `useradd -m -u ${NEW_UID} -s /bin/bash ${NEW_USER} && ` +
          `sed -i '/^${NEW_USER}:/d' /etc/subuid /etc/subgid`,
      );
      strictEqual(add.code, 0, describe(add));
      const before = parseDoctor(
        await asNewUser(timed(legerCommandLine(["doctor", "--json"]))),
      );
      strictEqual(before.result.code, 1, describe(before.result));
      const systemd = before.checks.get("systemd")!;
      const linger = before.checks.get("linger")!;
      const subIds = before.checks.get("sub-ids")!;
      deepStrictEqual(
        [systemd.status, linger.status, subIds.status],
        ["fail", "fail", "fail"],
      );
      match(systemd.detail, /^XDG_RUNTIME_DIR is not set/);
      match(systemd.detail, new RegExp(`no /run/user/${NEW_UID}/bus`));
      strictEqual(linger.fix, `sudo loginctl enable-linger ${NEW_USER}`);
      match(
        subIds.detail,
        new RegExp(`^/etc/subuid and /etc/subgid give ${NEW_USER} no range`),
      );
      // Podman says why it cannot run: its own error line.
      const podman = before.checks.get("podman")!;
      strictEqual(podman.status, "fail");
      match(podman.detail, /^`podman info` failed: Error: /);

      // The fixes, as the user pastes them: linger and the user manager,
      // the subordinate ids, then the session's variables and Podman.
      await runFixAsNewUser(linger.fix!);
      await waitInside(`test -S /run/user/${NEW_UID}/bus`, { attempts: 30 });
      const [usermod, ...migrateLines] = subIds.fix!.split("\n");
      // Pasted together: the line that notes the running services, the
      // migrate that stops them, and the line that starts them again.
      deepStrictEqual(migrateLines.map((l) => l.split(" ")[0]), [
        "running=$(podman",
        "podman",
        "[",
      ]);
      const migrate = migrateLines.map((l) => l.replace(/\s+#.*$/, ""))
        .join("; ");
      match(
        usermod,
        new RegExp(
          `^sudo usermod --add-subuids 165536-231071 --add-subgids 165536-231071 ${NEW_USER}$`,
        ),
      );
      await runFixAsNewUser(usermod);
      const exportLine = systemd.fix!.split("\n").find((l) =>
        l.startsWith("export ")
      )!;
      strictEqual(
        exportLine,
        `export XDG_RUNTIME_DIR=/run/user/${NEW_UID} DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/${NEW_UID}/bus`,
      );
      await runFixAsNewUser(`${exportLine}; ${migrate}`);
      const after = parseDoctor(
        await asNewUser(
          timed(`${exportLine}; ${legerCommandLine(["doctor", "--json"])}`),
        ),
      );
      strictEqual(after.result.code, 0, describe(after.result));
      deepStrictEqual(
        ["podman", "systemd", "linger", "sub-ids"].map((id) =>
          after.checks.get(id)!.status
        ),
        ["pass", "pass", "pass", "pass"],
      );
    } finally {
      await removeNewUser();
    }
  },
);

/** A fix line for the new user: `sudo` ones as root, the others as the user. */
async function runFixAsNewUser(line: string): Promise<void> {
  const command = line.replace(/\s+#.*$/, "");
  const result = command.startsWith("sudo ")
    ? await hostExec(command.slice("sudo ".length))
    : await asNewUser(command);
  strictEqual(result.code, 0, `${command}\n${describe(result)}`);
}
