/**
 * The update timer's service on the real host, in both scopes:
 * `leger-update.service` from `systemd/`, installed as a package would
 * install it, with a drop-in that runs the test build of leger (`deno run`
 * with the `leger` task's flags, `_test_build.ts`) in place of
 * `/usr/bin/leger` and the rest of its command line as the unit gives it. A deployment whose source
 * folder changed is updated by the service, and `deploy list` shows the
 * automatic update; a change whose unit dies is rolled back, the previous
 * version serves, the journal and `deploy list` say why.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { ROOT } from "../_leger.ts";
import {
  activeState,
  cleanup,
  curlInside,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  journalctl,
  leger,
  PROJECT_INSIDE,
  scopeOf,
  systemctl,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";
import { testBuildDropIn } from "./_test_build.ts";
import { webDeployment, webNames } from "./_deployments.ts";

const PORTS = { root: 18261, leger: 18262 };

const SERVICE = "leger-update.service";
const TIMER = "leger-update.timer";

/** Where a package would put the units, for each user. */
function unitDir(user: User): string {
  return user === "root"
    ? "/etc/systemd/system"
    : "/home/leger/.config/systemd/user";
}

/**
 * Installs leger-update.service and .timer from systemd/ into the host, with
 * a drop-in that runs this checkout's leger with the unit's own arguments.
 */
async function installUnits(user: User): Promise<void> {
  const dir = unitDir(user);
  const scope = scopeOf(user);
  const dropIn = testBuildDropIn(
    await Deno.readTextFile(`${ROOT}/systemd/${scope}/${SERVICE}`),
  );
  const result = await hostExec(
    `mkdir -p ${dir}/${SERVICE}.d && ` +
      `cp ${PROJECT_INSIDE}/systemd/${scope}/${SERVICE} ${PROJECT_INSIDE}/systemd/${scope}/${TIMER} ${dir}/ && ` +
      `cat > ${dir}/${SERVICE}.d/e2e.conf && ${systemctl(user)} daemon-reload`,
    { user, stdin: dropIn },
  );
  strictEqual(result.code, 0, describe(result));
}

/** Removes the units and the drop-in, leaving the host as it was. */
async function removeUnits(user: User): Promise<void> {
  const sc = systemctl(user);
  const dir = unitDir(user);
  await hostExec(
    `${sc} stop ${TIMER} ${SERVICE} >/dev/null 2>&1; ${sc} reset-failed ${SERVICE} >/dev/null 2>&1; ` +
      `rm -rf ${dir}/${SERVICE} ${dir}/${TIMER} ${dir}/${SERVICE}.d; ${sc} daemon-reload; true`,
    { user },
  );
}

/** The properties of the service systemd shows. */
async function show(
  user: User,
  unit: string,
  properties: readonly string[],
): Promise<Record<string, string>> {
  const result = await hostExec(
    `${systemctl(user)} show ${
      properties.map((p) => `-p ${p}`).join(" ")
    } ${unit}`,
    { user },
  );
  strictEqual(result.code, 0, describe(result));
  return Object.fromEntries(
    result.stdout.trim().split("\n").map((line) => [
      line.slice(0, line.indexOf("=")),
      line.slice(line.indexOf("=") + 1),
    ]),
  );
}

/**
 * Starts the service as the timer does (without waiting on the job) and
 * polls, for at most `seconds`, until that run has ended: its start job is
 * gone (it is queued before `systemctl start --no-block` returns, and ends
 * when the oneshot does). Returns how it ended (`Result`, `ExecMainStatus`;
 * systemd unloads a oneshot that ended well, so those are then defaults).
 */
async function runService(
  user: User,
  seconds = 300,
): Promise<{ state: string; result: string; status: string }> {
  const sc = systemctl(user);
  const started = await hostExec(`${sc} start --no-block ${SERVICE}`, {
    user,
  });
  strictEqual(started.code, 0, describe(started));
  const deadline = Date.now() + seconds * 1000;
  while (true) {
    const jobs = await hostExec(`${sc} list-jobs --no-legend ${SERVICE}`, {
      user,
    });
    strictEqual(jobs.code, 0, describe(jobs));
    const now = await show(user, SERVICE, [
      "ActiveState",
      "Result",
      "ExecMainStatus",
    ]);
    if (jobs.stdout.trim() === "" && now.ActiveState !== "activating") {
      return {
        state: now.ActiveState,
        result: now.Result,
        status: now.ExecMainStatus,
      };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Gave up after ${seconds} s waiting for ${SERVICE} to finish: ${
          JSON.stringify(now)
        }, jobs: ${jobs.stdout}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** What the service's runs logged, from the journal. */
async function serviceLog(user: User): Promise<string> {
  const result = await hostExec(
    `${journalctl(user)} -u ${SERVICE} --no-pager -o cat`,
    { user },
  );
  strictEqual(result.code, 0, describe(result));
  return result.stdout;
}

interface Listed {
  deployment: string;
  version: string | null;
  last_auto_update: {
    outcome: string;
    from: string | null;
    to: string | null;
    restarted: string[];
    error: { code: string; message: string } | null;
  } | null;
}

async function listed(user: User, name: string): Promise<Listed> {
  const result = await leger(["deploy", "list", "--json"], { user });
  strictEqual(result.code, 0, describe(result));
  const entry = (JSON.parse(result.stdout) as Listed[]).find((d) =>
    d.deployment === name
  );
  ok(entry, `deploy list lost "${name}":\n${result.stdout}`);
  return entry;
}

/** The deployment's files, with a line added to its container at `version`. */
function changed(
  name: string,
  port: number,
  version: string,
  options: { broken?: boolean } = {},
): Record<string, string> {
  const files = webDeployment({ name, port, version, ...options });
  const { container } = webNames(name);
  files[container] = files[container].replace(
    "Image=localhost/bb:latest",
    `Image=localhost/bb:latest\nEnvironment=VERSION=${version}`,
  );
  return files;
}

e2eTest(
  "leger-update.service updates a deployment whose source changed, and rolls back one whose unit dies",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-tmr-${user}`;
        const port = PORTS[user];
        const url = `http://127.0.0.1:${port}/`;
        const { service } = webNames(name);
        await cleanup(name, user);
        await removeUnits(user);
        try {
          const source = await writeSource(
            name,
            webDeployment({ name, port, version: "1" }),
          );
          const installed = await installDeployment(name, source, { user });
          strictEqual(installed.code, 0, describe(installed));
          await installUnits(user);
          const loaded = await show(user, TIMER, ["LoadState", "Triggers"]);
          deepStrictEqual(loaded, {
            LoadState: "loaded",
            Triggers: SERVICE,
          });

          await t.step(
            "the source changed: the service updates it",
            async () => {
              await writeSource(name, changed(name, port, "2"));
              const run = await runService(user);
              deepStrictEqual(run, {
                state: "inactive",
                result: "success",
                status: "0",
              });
              const entry = await listed(user, name);
              strictEqual(entry.version, "2");
              const last = entry.last_auto_update;
              ok(last, "no last_auto_update");
              deepStrictEqual(
                [last.outcome, last.from, last.to, last.restarted, last.error],
                ["updated", "1", "2", [service], null],
              );
              strictEqual(await activeState(service, user), "active");
              const served = await curlInside(url, user);
              strictEqual(served.code, 0, describe(served));
              match(
                await serviceLog(user),
                new RegExp(
                  `leger-update: updated "${name}" \\(${
                    scopeOf(user)
                  } scope\\) \\(1 → 2\\): restarted ${service}`,
                ),
              );
            },
          );

          await t.step(
            "a change whose unit dies: rolled back, the previous version serves, the journal and deploy list say why",
            async () => {
              await writeSource(
                name,
                changed(name, port, "3", { broken: true }),
              );
              const run = await runService(user);
              // leger exits 1 when an update failed: the run is "failed".
              deepStrictEqual(run, {
                state: "failed",
                result: "exit-code",
                status: "1",
              });
              const entry = await listed(user, name);
              strictEqual(
                entry.version,
                "2",
                "the previous version is installed",
              );
              const last = entry.last_auto_update;
              ok(last, "no last_auto_update");
              deepStrictEqual(
                [last.outcome, last.from, last.to, last.error?.code],
                ["rolled-back", "2", "3", "ERR_SERVICE_START_FAILED"],
              );
              match(
                last.error!.message,
                new RegExp(service.replace(".", "\\.")),
              );
              strictEqual(await activeState(service, user), "active");
              const served = await curlInside(url, user);
              strictEqual(served.code, 0, describe(served));
              match(
                await serviceLog(user),
                new RegExp(
                  `leger-update: the update of "${name}" .* was rolled back; the previous version runs: .*\\[ERR_SERVICE_START_FAILED\\]`,
                ),
              );
              const table = await leger(["deploy", "list"], { user });
              strictEqual(table.code, 0, describe(table));
              match(table.stdout, /\trolled-back \S+, 2 → 3\n/);
              match(
                table.stderr,
                new RegExp(
                  `the last automatic update of "${name}" \\(\\S+, 2 → 3\\) was rolled back, and the previous version runs: .*\\[ERR_SERVICE_START_FAILED\\]`,
                ),
              );
            },
          );
        } finally {
          await removeUnits(user);
          await cleanup(name, user);
        }
      });
    }
  },
);
