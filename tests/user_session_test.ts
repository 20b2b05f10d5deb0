/**
 * `leger status` in the user scope, through the real `leger` (a subprocess
 * with the binary's permission flags), when `XDG_RUNTIME_DIR` is no login
 * session of the user: empty, relative, a missing folder, another user's.
 * A `systemctl` on PATH answers as the real one does: from the runtime
 * folder's `systemd/private` socket (here a file), or, with the variable
 * unset, as systemd 262 does by taking `/run/user/UID`; else it fails with
 * systemd's "Failed to connect to user scope bus". leger names the variable,
 * its value, why and the fix (`ERR_SYSTEMD_NOT_RUNNING`), as legerd does;
 * unset, it works as before.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { dump } from "js-yaml";
import { tempFolder } from "./_folders.ts";
import { runLeger } from "./_leger.ts";

const BUS_FAILURE =
  "Failed to connect to user scope bus via local transport: No such file or directory";

/** A host with one installed user deployment, `web`, and fake `systemctl` and `podman`. */
async function userHost(dir: string) {
  const bin = `${dir}/bin`;
  const calls = `${dir}/systemctl.log`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    `${bin}/systemctl`,
    `#!/bin/sh
echo "\${XDG_RUNTIME_DIR-(unset)} $*" >> "${calls}"
if [ -n "\${XDG_RUNTIME_DIR+set}" ] && [ ! -e "$XDG_RUNTIME_DIR/systemd/private" ]; then
  echo "${BUS_FAILURE}" >&2
  exit 1
fi
case "$2" in
  list-units) echo "web.service loaded active running web" ;;
  show) printf 'Id=web.service\\nLoadState=loaded\\nActiveState=active\\nSubState=running\\nResult=success\\nActiveEnterTimestamp=@1796064081\\nStateChangeTimestamp=@1796064081\\n' ;;
esac
`,
    { mode: 0o755 },
  );
  await Deno.writeTextFile(`${bin}/podman`, "#!/bin/sh\necho '[]'\n", {
    mode: 0o755,
  });
  const data = `${dir}/data`;
  await Deno.mkdir(`${data}/leger`, { recursive: true });
  await Deno.writeTextFile(
    `${data}/leger/deployments.yaml`,
    dump({
      deployments: [{
        name: "web",
        scope: "user",
        source: { type: "local", location: "/srv/web" },
        installed_at: "2025-10-16T12:00:00.000Z",
        files: [{ name: "web.container", sha256: "ab".repeat(32) }],
        units: ["web.container"],
        services: ["web.service"],
        volumes: [],
      }],
    }),
  );
  return {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      HOME: `${dir}/home`,
      XDG_DATA_HOME: data,
      XDG_CONFIG_HOME: `${dir}/config`,
    },
    calls: () => Deno.readTextFile(calls).catch(() => ""),
  };
}

Deno.test("leger status names XDG_RUNTIME_DIR when it is no login session of the user (ERR_SYSTEMD_NOT_RUNNING), and works with it unset", async (t) => {
  await using dir = await tempFolder();
  const host = await userHost(dir.path);
  const uid = Deno.uid()!;
  // Another user's folder: one of uid 4242 when root runs the tests, else root's /.
  let foreign = "/";
  let owner = 0;
  if (uid === 0) {
    foreign = `${dir.path}/foreign`;
    await Deno.mkdir(foreign);
    await Deno.chown(foreign, 4242, 4242);
    owner = 4242;
  }
  const cases: [string, string, string][] = [
    ["empty", "", "empty"],
    ["relative", "run/user", '"run/user", not an absolute path'],
    [
      "a missing folder",
      `${dir.path}/gone`,
      `"${dir.path}/gone", which does not exist`,
    ],
    [
      "another user's folder",
      foreign,
      `"${foreign}", a folder of uid ${owner}, not of uid ${uid}`,
    ],
  ];
  for (const [name, value, why] of cases) {
    await t.step(name, async () => {
      const env = { ...host.env, XDG_RUNTIME_DIR: value };
      const result = await runLeger(["status", "--scope", "user"], { env });
      strictEqual(result.code, 1, result.stderr);
      const lines = result.stderr.trimEnd().split("\n");
      deepStrictEqual(
        [lines[0], lines[1], lines.at(-2), lines.at(-1)],
        [
          `Error: Cannot reach the user's systemd (systemctl --user): XDG_RUNTIME_DIR is ${why}, so this is not a login session of uid ${uid}`,
          `  systemctl --user, rootless Podman and legerd's socket need /run/user/${uid}, the runtime folder systemd makes for each login session of uid ${uid} (or for good, with linger)`,
          "Log in as the user (not with su or sudo -u), or run `loginctl enable-linger $USER` and `export XDG_RUNTIME_DIR=/run/user/$(id -u)`",
          "[ERR_SYSTEMD_NOT_RUNNING]",
        ],
        result.stderr,
      );
      // systemctl's own words stay, as the cause.
      match(
        result.stderr,
        new RegExp(
          `\\n {2}cause: Cannot run "systemctl --user [^"]*web\\.service": it exited with code 1: ${BUS_FAILURE}\\n`,
        ),
      );
      ok(!result.stderr.includes("ERR_COMMAND_FAILED"), result.stderr);
      // --json: the same error, as the one document on stdout.
      const json = await runLeger(["status", "--scope", "user", "--json"], {
        env,
      });
      strictEqual(json.code, 1, json.stderr);
      const { error } = JSON.parse(json.stdout);
      strictEqual(error.code, "ERR_SYSTEMD_NOT_RUNNING");
      strictEqual(error.message, lines[0].slice("Error: ".length));
    });
  }

  await t.step("a folder of the user's where no manager answers", async () => {
    const runtime = `${dir.path}/run-${uid}`;
    await Deno.mkdir(runtime);
    const env = { ...host.env, XDG_RUNTIME_DIR: runtime };
    const result = await runLeger(["status", "--scope", "user"], { env });
    strictEqual(result.code, 1, result.stderr);
    match(
      result.stderr,
      new RegExp(
        `^Error: Cannot reach the user's systemd \\(systemctl --user\\): the systemd user manager of uid ${uid} does not answer at XDG_RUNTIME_DIR "${runtime}"\\n`,
      ),
    );
    match(result.stderr, /\[ERR_SYSTEMD_NOT_RUNNING\]\n$/);
  });

  await t.step(
    "unset: systemctl takes /run/user/UID, and leger works as before",
    async () => {
      const before = (await host.calls()).split("\n").length;
      const result = await runLeger(["status", "--scope", "user", "--json"], {
        env: host.env,
      });
      ok(!result.stderr.includes("[ERR_"), result.stderr);
      const doc = JSON.parse(result.stdout);
      strictEqual(doc.error, undefined);
      deepStrictEqual(
        doc.deployments[0].services.map((s: { active_state: string }) =>
          s.active_state
        ),
        ["active"],
      );
      const unset = (await host.calls()).split("\n").slice(before - 1);
      ok(
        unset.some((line) => line.startsWith("(unset) --user ")),
        unset.join("\n"),
      );
    },
  );

  await t.step("a session whose manager answers: status works", async () => {
    const runtime = `${dir.path}/session`;
    await Deno.mkdir(`${runtime}/systemd`, { recursive: true });
    await Deno.writeTextFile(`${runtime}/systemd/private`, "");
    const result = await runLeger(["status", "--scope", "user", "--json"], {
      env: { ...host.env, XDG_RUNTIME_DIR: runtime },
    });
    ok(!result.stderr.includes("[ERR_"), result.stderr);
    strictEqual(
      JSON.parse(result.stdout).deployments[0].services[0].active_state,
      "active",
    );
  });
});
