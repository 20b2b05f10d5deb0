/**
 * `legerd` as a real process, with exactly the flags of deno.json's
 * `legerd` task: `--version` and `--help` through `deno task legerd`, and a
 * daemon run from start to SIGTERM against the loopback leger.run, with
 * `podman` and `systemctl` replaced by scripts on PATH, in a temporary
 * runtime folder, with a fake systemd notify socket.
 *
 * legerd serves the user scope only for a user other than root. Run as root
 * (CI containers), the daemon runs in a user namespace that maps uid 1000
 * onto root (`unshare --user --map-user=1000`): it sees itself as uid 1000
 * and the kernel still lets it read root's Deno cache. Without `unshare`
 * (or user namespaces) those tests are ignored, saying why.
 *
 * @module
 */
import { pathExists } from "../lib/state/path_exists.ts";
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { saveAuthState } from "../lib/auth/save_auth_state.ts";
import { LegerdClient } from "../lib/secrets/legerd_client.ts";
import { DENO_DIR, permissionFlags, ROOT } from "./_leger.ts";
import { spawnCaptured } from "./_spawn.ts";
import { LegerRunServer } from "./leger_run_server.ts";

const UUID = "f44a09fc-90d1-5f2b-bf2c-7380100ec435";
const VALUE = "s3cret-value-never-shown";

/** How to run a program as a user other than root, or why it cannot be. */
function asUser(): { prefix: string[] } | { reason: string } {
  if (Deno.build.os !== "linux") return { reason: "legerd runs on Linux only" };
  if (Deno.uid() !== 0) return { prefix: [] };
  try {
    const probe = new Deno.Command("unshare", {
      args: ["--user", "--map-user=1000", "--map-group=1000", "true"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    if (probe.success) {
      return {
        prefix: ["unshare", "--user", "--map-user=1000", "--map-group=1000"],
      };
    }
    return {
      reason:
        "running as root and `unshare --user` fails here (no user namespaces)",
    };
  } catch {
    return { reason: "running as root and `unshare` is not installed" };
  }
}

const USER = asUser();
/** The tests that need another user say why they are ignored, in their name. */
const IGNORED = "reason" in USER ? ` (ignored: ${USER.reason})` : "";

Deno.test("deno task legerd --version and --help print and exit 0", async () => {
  const env = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/root",
    DENO_DIR,
    NO_COLOR: "1",
  };
  const version = await spawnCaptured(Deno.execPath(), [
    "task",
    "-q",
    "legerd",
    "--version",
  ], {
    cwd: ROOT,
    clearEnv: true,
    env,
  });
  strictEqual(version.code, 0, version.stderr);
  match(version.stdout, /^legerd \d+\.\d+\.\d+\S*\n$/);
  const help = await spawnCaptured(Deno.execPath(), [
    "task",
    "-q",
    "legerd",
    "--help",
  ], {
    cwd: ROOT,
    clearEnv: true,
    env,
  });
  strictEqual(help.code, 0, help.stderr);
  match(help.stdout, /^legerd \S+: keeps the Podman secrets/);
  match(
    help.stdout,
    /legerd \[--scope user\|system\] \[--config PATH\] \[--version\] \[--help\]/,
  );
  const bad = await spawnCaptured(Deno.execPath(), [
    "task",
    "-q",
    "legerd",
    "--scop",
    "user",
  ], {
    cwd: ROOT,
    clearEnv: true,
    env,
  });
  strictEqual(bad.code, 2);
  match(
    bad.stderr,
    /^Error: Cannot run legerd: unknown option '--scop' \(did you mean '--scope'\?\)\n/m,
  );
});

/** A sandbox: a temporary home, runtime folder, fake podman and systemctl, a login and a unit. */
async function sandbox(server: LegerRunServer) {
  const root = await Deno.makeTempDir({ prefix: "leger_legerd_" });
  const dirs = {
    bin: `${root}/bin`,
    home: `${root}/home`,
    config: `${root}/config`,
    data: `${root}/data`,
    runtime: `${root}/run`,
  };
  for (const dir of Object.values(dirs)) {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  }
  const calls = `${root}/calls.log`;
  // podman: an empty secret store that accepts writes (the value on stdin is
  // read and dropped); systemctl: no unit running. Both note their arguments.
  await Deno.writeTextFile(
    `${dirs.bin}/podman`,
    `#!/bin/sh
echo "podman $*" >> "${calls}"
case "$1 $2" in
  "secret ls") exit 0 ;;
  "secret inspect") echo "[]"; exit 0 ;;
  "secret create") cat > /dev/null; echo 80b4ad420c8e52d6a9fde0172; exit 0 ;;
  *) exit 0 ;;
esac
`,
  );
  await Deno.writeTextFile(
    `${dirs.bin}/systemctl`,
    `#!/bin/sh\necho "systemctl $*" >> "${calls}"\nexit 0\n`,
  );
  await Deno.chmod(`${dirs.bin}/podman`, 0o755);
  await Deno.chmod(`${dirs.bin}/systemctl`, 0o755);
  const quadletDir = `${dirs.config}/containers/systemd`;
  await Deno.mkdir(quadletDir, { recursive: true });
  await Deno.writeTextFile(
    `${quadletDir}/web.container`,
    "[Container]\nImage=localhost/web:latest\nSecret=api_token,type=env,target=API_TOKEN\n",
  );
  await saveAuthState(`${dirs.data}/leger/auth.json`, {
    token: await server.issueToken({ user_uuid: UUID }),
    token_type: "Bearer",
    expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    user_uuid: UUID,
    login_name: "alice@github",
    tailnet: "alice@github",
    device_hostname: "workstation",
    api_url: server.apiUrl,
  });
  // systemd's notify socket, as the user manager makes it.
  await Deno.mkdir(`${dirs.runtime}/systemd`);
  const notifyPath = `${dirs.runtime}/systemd/notify`;
  const notify = Deno.listenDatagram({
    transport: "unixpacket",
    path: notifyPath,
  });
  const messages: string[] = [];
  (async () => {
    try {
      for (;;) {
        messages.push(new TextDecoder().decode((await notify.receive())[0]));
      }
    } catch {
      // closed
    }
  })();
  const env: Record<string, string> = {
    PATH: `${dirs.bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_RUNTIME_DIR: dirs.runtime,
    NOTIFY_SOCKET: notifyPath,
    LEGER_API_URL: server.apiUrl,
    LEGER_WEB_URL: server.webUrl,
    DENO_DIR,
    NO_COLOR: "1",
  };
  return {
    root,
    dirs,
    env,
    messages,
    socketPath: `${dirs.runtime}/leger/legerd.sock`,
    configFile: `${dirs.config}/leger/legerd.yaml`,
    calls: () => Deno.readTextFile(calls).catch(() => ""),
    async [Symbol.asyncDispose]() {
      notify.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Polls a condition with a bound (the daemon is a separate process). */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test({
  name:
    `legerd runs as a daemon: serves health, reloads on SIGHUP, exits 0 on SIGTERM and removes its socket${IGNORED}`,
  ignore: "reason" in USER,
  fn: async () => {
    if ("reason" in USER) return;
    await using server = await LegerRunServer.start();
    server.putSecret(UUID, "api_token", VALUE);
    await using box = await sandbox(server);
    const child = new Deno.Command(USER.prefix[0] ?? Deno.execPath(), {
      args: [
        ...USER.prefix.slice(1),
        ...(USER.prefix.length > 0 ? [Deno.execPath()] : []),
        "run",
        "--quiet",
        ...permissionFlags("legerd"),
        `${ROOT}/daemon/main.ts`,
      ],
      cwd: box.root,
      clearEnv: true,
      env: box.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let stderr = "";
    const reading = (async () => {
      for await (
        const chunk of child.stderr.pipeThrough(new TextDecoderStream())
      ) stderr += chunk;
    })();
    const stdout = new Response(child.stdout).text();
    try {
      await until(
        "the socket",
        async () =>
          (await Deno.lstat(box.socketPath).catch(() => null))?.isSocket ||
          undefined,
      );
      await until(
        "READY=1",
        () => box.messages.find((m) => m.startsWith("READY=1")),
      );
      const client = new LegerdClient(box.socketPath, { scope: "user" });
      const health = await client.health();
      strictEqual(health.scope, "user");
      strictEqual(health.status, "ok", stderr);
      strictEqual(health.poll_interval_ms, 300_000);
      strictEqual(health.leger_run.api_url, server.apiUrl);
      ok(health.next_poll_at !== null);
      // The first sync wrote the unit's secret, its value on stdin only.
      const calls = await box.calls();
      match(calls, /^podman secret create .*-- api_token -$/m);
      deepStrictEqual(
        await client.secrets().then((list) =>
          list.map((s) => [s.name, s.used_by])
        ),
        [
          ["api_token", ["web.container"]],
        ],
      );

      await Deno.mkdir(`${box.dirs.config}/leger`, { recursive: true });
      await Deno.writeTextFile(
        box.configFile,
        "poll_interval: 45s\nrestart: never\n",
      );
      Deno.kill(child.pid, "SIGHUP");
      const reloaded = await until("the reload", async () => {
        const now = await client.health();
        return now.poll_interval_ms === 45_000 ? now : undefined;
      });
      strictEqual(reloaded.restart, "never");

      Deno.kill(child.pid, "SIGTERM");
      const status = await child.status;
      await reading;
      strictEqual(status.code, 0, stderr);
      strictEqual(await stdout, "", "legerd writes nothing on stdout");
      strictEqual(
        await Deno.lstat(box.socketPath).then(() => "present", () => "gone"),
        "gone",
      );
      ok(box.messages.includes("STOPPING=1"), box.messages.join(" | "));
      const lines = stderr.trimEnd().split("\n");
      match(
        lines[0],
        /^legerd serving the user scope \(uid 1000, pid \d+\) on .*\/run\/leger\/legerd\.sock/,
      );
      ok(
        lines.some((line) =>
          /^reloaded .*legerd\.yaml: poll_interval 45s, restart never$/.test(
            line,
          )
        ),
        stderr,
      );
      strictEqual(lines.at(-1), "stopped");
      for (const text of [stderr, calls, JSON.stringify(box.messages)]) {
        strictEqual(text.includes(VALUE), false, "the value never shows");
      }
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // exited
      }
      await child.status;
      await reading.catch(() => {});
    }
  },
});

/** Runs `deno task legerd` as the test's user (uid 1000 under root) until it exits. */
async function legerdExit(env: Record<string, string>, cwd: string) {
  const prefix = "prefix" in USER ? USER.prefix : [];
  return await spawnCaptured(prefix[0] ?? Deno.execPath(), [
    ...prefix.slice(1),
    ...(prefix.length > 0 ? [Deno.execPath()] : []),
    "task",
    "-q",
    "--cwd",
    ROOT,
    "legerd",
  ], { cwd, clearEnv: true, env });
}

Deno.test({
  name:
    `legerd refuses to serve the user scope outside a login session, naming XDG_RUNTIME_DIR, and exits 78 so that systemd does not restart it${IGNORED}`,
  ignore: "reason" in USER,
  fn: async (t) => {
    if ("reason" in USER) return;
    await using server = await LegerRunServer.start();
    await using box = await sandbox(server);
    const uid = USER.prefix.length > 0 ? 1000 : Deno.uid()!;
    // Another user's folder: root's under a plain user; one of uid 4242 (no
    // one, inside the namespace) when root runs the test as uid 1000.
    let foreign = "/";
    let owner = 0;
    if (USER.prefix.length > 0) {
      foreign = `${box.root}/foreign`;
      await Deno.mkdir(foreign, { mode: 0o700 });
      await Deno.chown(foreign, 4242, 4242);
      owner = 65534;
    }
    const cases: [string, string | undefined, string][] = [
      ["empty", "", "empty"],
      ["relative", "run", '"run", not an absolute path'],
      [
        "a missing folder",
        `${box.root}/nope`,
        `"${box.root}/nope", which does not exist`,
      ],
      [
        "another user's folder",
        foreign,
        `"${foreign}", a folder of uid ${owner}, not of uid ${uid}`,
      ],
    ];
    // Unset, legerd takes /run/user/UID, as systemctl --user does: refused
    // where this host has none.
    if (!(await pathExists(`/run/user/${uid}`))) {
      cases.push([
        "unset",
        undefined,
        `unset and /run/user/${uid} does not exist`,
      ]);
    }
    for (const [name, value, why] of cases) {
      await t.step(name, async () => {
        const env = { ...box.env };
        delete env.NOTIFY_SOCKET;
        if (value === undefined) delete env.XDG_RUNTIME_DIR;
        else env.XDG_RUNTIME_DIR = value;
        const result = await legerdExit(env, box.root);
        strictEqual(result.code, 78, result.stderr);
        strictEqual(
          result.stderr,
          [
            `Error: Cannot start legerd for the user scope: XDG_RUNTIME_DIR is ${why}, so this is not a login session of uid ${uid}`,
            `  systemctl --user, rootless Podman and legerd's socket need /run/user/${uid}, the runtime folder systemd makes for each login session of uid ${uid} (or for good, with linger)`,
            "Log in as the user (not with su or sudo -u), or run `loginctl enable-linger $USER` and `export XDG_RUNTIME_DIR=/run/user/$(id -u)`",
            "[ERR_SYSTEMD_NOT_RUNNING]",
            "",
          ].join("\n"),
        );
      });
    }
  },
});

Deno.test({
  name:
    `legerd exits 78, naming the file or variable and the key, when its configuration names a host leger may not reach${IGNORED}`,
  ignore: "reason" in USER,
  fn: async (t) => {
    if ("reason" in USER) return;
    await using server = await LegerRunServer.start();
    await using box = await sandbox(server);
    const configYaml = `${box.dirs.config}/leger/config.yaml`;
    await Deno.mkdir(`${box.dirs.config}/leger`, { recursive: true });
    await t.step("config.yaml's api_url", async () => {
      await Deno.writeTextFile(configYaml, "api_url: http://evil.test:18788\n");
      const env = { ...box.env };
      delete env.LEGER_API_URL;
      const result = await legerdExit(env, box.root);
      strictEqual(result.code, 78, result.stderr);
      match(
        result.stderr,
        new RegExp(
          `^Error: Cannot use api_url in ${
            configYaml.replaceAll(".", "\\.")
          } "http://evil\\.test:18788": leger may connect only to .*, not to "evil\\.test"\n`,
        ),
      );
      match(result.stderr, /\[ERR_NETWORK_NOT_ALLOWED\]\n$/);
      await Deno.remove(configYaml);
    });
    await t.step("LEGER_API_URL", async () => {
      const result = await legerdExit(
        { ...box.env, LEGER_API_URL: "https://evil.test" },
        box.root,
      );
      strictEqual(result.code, 78, result.stderr);
      match(
        result.stderr,
        /^Error: Cannot use LEGER_API_URL "https:\/\/evil\.test": leger may connect only to /,
      );
      match(
        result.stderr,
        /\nUnset LEGER_API_URL, or point it at one of those hosts/,
      );
      match(result.stderr, /\[ERR_NETWORK_NOT_ALLOWED\]\n$/);
    });
  },
});
