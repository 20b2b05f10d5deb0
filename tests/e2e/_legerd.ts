/**
 * legerd on the e2e host: the loopback leger.run run inside it (a transient
 * service), a user's login and config, legerd's unit from `systemd/` with
 * this checkout's daemon, its socket and health. Shared by the legerd test
 * and its measurements.
 *
 * @module
 */
import { strictEqual } from "node:assert/strict";
import { ROOT } from "../_leger.ts";
import {
  describe,
  hostExec,
  INSIDE,
  leger,
  PROJECT_INSIDE,
  scopeOf,
  systemctl,
  type User,
  waitInside,
} from "./_host.ts";
import { testBuildDropIn } from "./_test_build.ts";

/** The loopback leger.run's port inside the host. */
export const PORT = 18787;
/** Where it writes its logins, config and `ready`. */
export const SERVER_OUT = "/run/leger-e2e-run";
/** The transient service it runs as (SIGUSR1: down, SIGUSR2: back). */
export const SERVER_UNIT = "leger-e2e-run.service";

/** Stops the loopback leger.run. */
export async function stopServer(): Promise<void> {
  await hostExec(`systemctl stop ${SERVER_UNIT} >/dev/null 2>&1; true`);
}

/** Starts the loopback leger.run inside the host as a transient service. */
export async function startServer(): Promise<void> {
  await hostExec(
    `systemctl stop ${SERVER_UNIT} >/dev/null 2>&1; systemctl reset-failed ${SERVER_UNIT} >/dev/null 2>&1; rm -rf ${SERVER_OUT}; true`,
  );
  const started = await hostExec(
    `systemd-run --quiet --unit=${SERVER_UNIT} --setenv=DENO_DIR=${INSIDE}/deno-dir --setenv=NO_COLOR=1 ` +
      `${INSIDE}/deno run --quiet --allow-all ${PROJECT_INSIDE}/tests/e2e/serve_leger_run.ts ${PORT} ${SERVER_OUT}`,
  );
  strictEqual(started.code, 0, describe(started));
  const ready = await waitInside(`test -f ${SERVER_OUT}/ready`, {
    attempts: 100,
    intervalSeconds: 0.2,
  });
  strictEqual(ready.code, 0, "the loopback leger.run did not start");
}

/** Puts the login and leger's config (the loopback API) in place for a user. */
export async function login(
  user: User,
  pollSeconds: number,
): Promise<void> {
  const owner = user === "root" ? "root" : "leger";
  const home = user === "root" ? "/root" : "/home/leger";
  const result = await hostExec(
    `install -d -o ${owner} -g ${owner} -m 0700 ${home}/.local ${home}/.local/share ${home}/.local/share/leger ${home}/.config ${home}/.config/leger && ` +
      `install -o ${owner} -g ${owner} -m 0600 ${SERVER_OUT}/${user}.auth.json ${home}/.local/share/leger/auth.json && ` +
      `install -o ${owner} -g ${owner} -m 0644 ${SERVER_OUT}/config.yaml ${home}/.config/leger/config.yaml && ` +
      `mkdir -p /etc/leger && printf 'poll_interval: ${pollSeconds}s\\n' > ${
        legerdConfig(user)
      } && chown ${owner}: ${legerdConfig(user)}`,
  );
  strictEqual(result.code, 0, describe(result));
}

export function legerdConfig(user: User): string {
  return user === "root"
    ? "/etc/leger/legerd.yaml"
    : "/home/leger/.config/leger/legerd.yaml";
}

/** Sets a secret's value on leger.run through its API, as the web UI does. */
export async function setSecret(
  user: User,
  name: string,
  value: string,
): Promise<void> {
  const result = await hostExec(
    `token=$(sed -n 's/.*"token": "\\(.*\\)".*/\\1/p' ${SERVER_OUT}/${user}.auth.json) && ` +
      `curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' ` +
      `--data-binary @- http://127.0.0.1:${PORT}/secrets/${name}`,
    { stdin: JSON.stringify({ value }) },
  );
  strictEqual(result.code, 0, describe(result));
}

/** Installs legerd's unit from systemd/, runs the test build of legerd (`_test_build.ts`), starts it. */
export async function startLegerd(user: User): Promise<void> {
  const dir = unitDir(user);
  const unit = `systemd/${scopeOf(user)}/legerd.service`;
  // The unit as the RPM installs it, with ExecStart= pointed at the test build.
  const dropIn = testBuildDropIn(await Deno.readTextFile(`${ROOT}/${unit}`));
  const result = await hostExec(
    `mkdir -p ${dir}/legerd.service.d && ` +
      `cp ${PROJECT_INSIDE}/${unit} ${dir}/ && ` +
      `cat > ${dir}/legerd.service.d/e2e.conf && ` +
      `${systemctl(user)} daemon-reload && ${
        systemctl(user)
      } restart legerd.service`,
    { user, stdin: dropIn },
  );
  strictEqual(result.code, 0, describe(result));
  await waitFor(user, async () => {
    const active = await hostExec(
      `${systemctl(user)} is-active legerd.service`,
      { user },
    );
    return active.stdout.trim() === "active";
  }, {
    seconds: 30,
    what: "legerd.service to be active (Type=notify: READY=1)",
  });
}

/**
 * Stops legerd and removes its unit and the test's drop-in, so that the
 * host is left as it was (a unit left behind would point at a project copy
 * that is gone).
 */
export async function stopLegerd(user: User): Promise<void> {
  const sc = systemctl(user);
  await hostExec(
    `${sc} stop legerd.service >/dev/null 2>&1; ${sc} reset-failed legerd.service >/dev/null 2>&1; ` +
      `rm -rf ${unitDir(user)}/legerd.service ${
        unitDir(user)
      }/legerd.service.d; ${sc} daemon-reload; true`,
    { user },
  );
}

function unitDir(user: User): string {
  return user === "root"
    ? "/etc/systemd/system"
    : "/home/leger/.config/systemd/user";
}

export async function mainPid(user: User): Promise<number> {
  const result = await hostExec(
    `${systemctl(user)} show -P MainPID legerd.service`,
    { user },
  );
  return Number(result.stdout.trim()) || 0;
}

export interface Listed {
  secrets: { name: string; state: string; used_by: string[] }[];
  legerd: { status: string };
}

export async function secretsList(user: User): Promise<Listed> {
  const result = await leger(["secrets", "list", "--json"], { user });
  strictEqual(result.code, 0, describe(result));
  return JSON.parse(result.stdout);
}

export function socketPath(user: User): string {
  return user === "root"
    ? "/run/leger/legerd.sock"
    : "/run/user/1000/leger/legerd.sock";
}

export async function health(user: User): Promise<{ status: string }> {
  const result = await hostExec(
    `curl -fsS --max-time 5 --unix-socket ${
      socketPath(user)
    } http://legerd/v1/health`,
    { user },
  );
  if (result.code !== 0) return { status: `unreachable: ${result.stderr}` };
  return JSON.parse(result.stdout);
}

/** Polls `check` once a second until it holds, for at most `seconds`. */
export async function waitFor(
  _user: User,
  check: () => Promise<boolean>,
  options: { seconds: number; what: string },
): Promise<void> {
  const deadline = Date.now() + options.seconds * 1000;
  while (true) {
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Gave up after ${options.seconds} s waiting for ${options.what}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
