/**
 * What users really install: the built-in demo, config files that sort
 * before their units, an image that cannot be pulled, and state folders
 * leger cannot write — on the real host, in both scopes.
 *
 * @module
 */
import {
  deepStrictEqual,
  match,
  notStrictEqual,
  ok,
  strictEqual,
} from "node:assert/strict";
import { webDeployment, webNames } from "./_deployments.ts";
import {
  activeState,
  cleanup,
  deployList,
  describe,
  e2eTest,
  hostExec,
  INSIDE,
  installDeployment,
  leger,
  loadedUnits,
  podmanExists,
  quadletDir,
  quadletFiles,
  scopeOf,
  SHARE,
  systemctl,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18261, leger: 18262 };
const DEMO = "leger-demo-reader";
const DEMO_FILES = [
  "Caddyfile",
  "caddy.container",
  "miniflux.container",
  "miniflux.container.d",
  "miniflux.env",
  "postgres.container",
  "reader-db.volume",
  "reader.network",
];
const DEMO_IMAGES = [
  "docker.io/library/caddy:2.8-alpine",
  "docker.io/miniflux/miniflux:2.2.6",
  "docker.io/library/postgres:16-alpine",
];

const DEMO_SECRETS = [
  "reader_admin_password",
  "reader_database_url",
  "reader_db_password",
];
/** What legerd would do with the demo's secrets from leger.run. */
const createDemoSecrets = DEMO_SECRETS.map((name) =>
  `printf 'e2e-value' | podman secret create ${name} - >/dev/null`
).join(" && ");

/** Removes whatever a demo run left, by leger and by hand. */
async function cleanDemo(user: User): Promise<void> {
  await leger([
    "deploy",
    "remove",
    DEMO,
    "--remove-volumes",
    "--yes",
    "--force",
  ], { user });
  await cleanup("e2e-demo", user);
  await hostExec(
    `cd ${quadletDir(user)} 2>/dev/null && rm -rf ${DEMO_FILES.join(" ")}; ${
      systemctl(user)
    } daemon-reload`,
    { user },
  );
}

/** Nothing of the demo is on the host: files, units, volume, network, record, staged copy. */
async function assertNoDemo(user: User): Promise<void> {
  const files = await hostExec(
    `cd ${quadletDir(user)} 2>/dev/null && ls -A`,
    { user },
  );
  const left = files.stdout.split("\n").filter((f) =>
    DEMO_FILES.includes(f) || /^\.(caddy|miniflux|postgres|reader)/.test(f)
  );
  deepStrictEqual(left, [], "demo files left in the quadlet folder");
  for (const prefix of ["caddy", "miniflux", "postgres", "reader"]) {
    deepStrictEqual(
      await loadedUnits(user, prefix),
      [],
      `${prefix} units left`,
    );
  }
  strictEqual(await podmanExists("volume", "systemd-reader-db", user), false);
  strictEqual(await podmanExists("network", "systemd-reader", user), false);
  deepStrictEqual(
    (await deployList(user)).filter((d) => d.deployment === DEMO),
    [],
  );
  const staged = await hostExec(
    user === "root"
      ? "ls -A /var/lib/leger/bluebuild-quadlets/staged 2>/dev/null"
      : 'ls -A "$HOME/.local/share/bluebuild-quadlets/staged" 2>/dev/null',
    { user },
  );
  strictEqual(staged.stdout, "", "a staged copy was left");
}

/**
 * Stand-ins for the demo's three images, built from the host's busybox
 * (the host cannot pull): Caddy serves HTTP on port 80, Miniflux and
 * PostgreSQL sleep, and their health commands (`/usr/bin/miniflux
 * -healthcheck auto`, `pg_isready …`) pass, so that `Notify=healthy`
 * reports them up. Tagged with the demo's image names, so that the demo
 * finds them and pulls nothing.
 */
async function buildDemoStandIns(user: User): Promise<void> {
  const dir = `demo-images-${user}`;
  await Deno.mkdir(`${SHARE}/${dir}`, { recursive: true });
  const health = "#!/bin/sh\nexit 0\n";
  await Deno.writeTextFile(`${SHARE}/${dir}/healthy`, health);
  const prepare = [
    "FROM localhost/bb:latest",
    "COPY --chmod=755 healthy /usr/bin/miniflux",
    "COPY --chmod=755 healthy /usr/bin/pg_isready",
    // No RUN (crun cannot set rlimits as root in the host): busybox as sh.
    "COPY --from=localhost/bb:latest /bin/busybox /bin/sh",
  ];
  await Deno.writeTextFile(
    `${SHARE}/${dir}/web`,
    [...prepare, 'CMD ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/"]']
      .join("\n") + "\n",
  );
  await Deno.writeTextFile(
    `${SHARE}/${dir}/sleep`,
    [...prepare, 'CMD ["/bin/busybox", "sleep", "1000000"]'].join("\n") +
      "\n",
  );
  const [caddy, miniflux, postgres] = DEMO_IMAGES;
  const at = `${INSIDE}/${dir}`;
  const result = await hostExec(
    [
      `podman build -q -f ${at}/web -t ${caddy} ${at} >/dev/null`,
      `podman build -q -f ${at}/sleep -t ${miniflux} ${at} >/dev/null`,
      `podman tag ${miniflux} ${postgres}`,
    ].join(" && "),
    { user },
  );
  strictEqual(result.code, 0, describe(result));
}

/** The demo's Caddy (its stand-in) answers on its published port. */
async function assertCaddyServes(user: User): Promise<void> {
  const served = await hostExec(
    "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8480/etc/hostname",
    { user },
  );
  strictEqual(served.stdout, "200", describe(served));
}

/** Whether the scope's services get the memory controller (cgroup v2). */
async function hasMemoryController(user: User): Promise<boolean> {
  const cgroup = user === "root"
    ? "/sys/fs/cgroup"
    : "/sys/fs/cgroup/user.slice/user-$(id -u).slice/user@$(id -u).service";
  const result = await hostExec(`cat "${cgroup}/cgroup.subtree_control"`, {
    user,
  });
  return result.stdout.split(/\s+/).includes("memory");
}

e2eTest(
  "deno task demo reaches the image pull and, offline, leaves nothing",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        await cleanDemo(user);
        try {
          const result = await leger([], { user, entry: "cli/demo.ts" });
          strictEqual(result.code, 1, describe(result));
          match(result.stderr, /\[ERR_IMAGE_PULL_FAILED\]/);
          ok(
            DEMO_IMAGES.some((image) =>
              result.stderr.includes(`Cannot pull "${image}"`)
            ),
            describe(result),
          );
          await assertNoDemo(user);
        } finally {
          await cleanDemo(user);
        }
      });
      await t.step(
        `${user} (${
          scopeOf(user)
        } scope), with its images: starts nothing that waits for a secret, then all once they exist`,
        async () => {
          await cleanDemo(user);
          await buildDemoStandIns(user);
          try {
            const result = await leger([], { user, entry: "cli/demo.ts" });
            strictEqual(result.code, 0, describe(result));
            match(
              result.stderr,
              /Not starting caddy\.service, miniflux\.service, postgres\.service until the secrets they need exist/,
            );
            // Caddy wants Miniflux, which requires PostgreSQL: starting
            // Caddy would start both without their secrets.
            for (const service of ["caddy", "miniflux", "postgres"]) {
              strictEqual(
                await activeState(`${service}.service`, user),
                "inactive",
                service,
              );
            }
            const created = await hostExec(createDemoSecrets, { user });
            strictEqual(created.code, 0, describe(created));
            const started = await leger(["service", "start", DEMO], { user });
            // Miniflux's drop-in limits its memory: without the memory
            // controller (this host delegates none), crun cannot, and the
            // start fails saying so.
            if (!(await hasMemoryController(user))) {
              strictEqual(started.code, 1, describe(started));
              match(started.stderr, /miniflux\.service[\s\S]*memory\.max/);
              match(started.stderr, /\[ERR_SERVICE_START_FAILED\]/);
              // The others started with their secrets: PostgreSQL (healthy,
              // as Notify=healthy waits for) and Caddy, which serves.
              for (const service of ["postgres", "caddy"]) {
                strictEqual(
                  await activeState(`${service}.service`, user),
                  "active",
                  service,
                );
              }
              await assertCaddyServes(user);
              return;
            }
            strictEqual(started.code, 0, describe(started));
            const status = await leger(["status", DEMO, "--json"], { user });
            strictEqual(status.code, 0, describe(status));
            await assertCaddyServes(user);
          } finally {
            await cleanDemo(user);
            await hostExec(
              `podman secret rm ${DEMO_SECRETS.join(" ")}; podman rmi ${
                DEMO_IMAGES.join(" ")
              }`,
              { user },
            );
          }
        },
      );
      await t.step(
        `${user} (${
          scopeOf(user)
        } scope), --no-pull with its secrets: installs every unit, systemd cannot pull at start, then undoes`,
        async () => {
          await cleanDemo(user);
          try {
            // With the secrets there, every service starts, and systemd's
            // pull at start fails offline.
            const created = await hostExec(createDemoSecrets, { user });
            strictEqual(created.code, 0, describe(created));
            const result = await leger(["--no-pull"], {
              user,
              entry: "cli/demo.ts",
            });
            strictEqual(result.code, 1, describe(result));
            match(result.stderr, /Installing the units…/);
            match(
              result.stderr,
              /Undone: nothing of "leger-demo-reader" is installed/,
            );
            await assertNoDemo(user);
          } finally {
            await cleanDemo(user);
            await hostExec(`podman secret rm ${DEMO_SECRETS.join(" ")}`, {
              user,
            });
          }
        },
      );
    }
  },
);

e2eTest(
  "config files that sort before their unit are installed and seen by the container",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-conf-${user}`;
        await cleanup(name, user);
        try {
          const source = await writeSource(name, {
            "Config.txt": "upper\n",
            "a.conf": "lower\n",
            "app.env": "GREETING=hello\n",
            [`${name}-web.container`]: [
              "[Container]",
              "Image=localhost/bb:latest",
              `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; sleep 1000 & wait"`,
              "Volume=./Config.txt:/etc/config.txt:ro",
              "Volume=./a.conf:/etc/a.conf:ro",
              "EnvironmentFile=./app.env",
              "",
            ].join("\n"),
          });
          const result = await installDeployment(name, source, { user });
          strictEqual(result.code, 0, describe(result));
          const seen = await hostExec(
            `podman exec systemd-${name}-web /bin/busybox sh -c '/bin/busybox cat /etc/config.txt /etc/a.conf; echo "$GREETING"'`,
            { user },
          );
          strictEqual(seen.stdout, "upper\nlower\nhello\n", describe(seen));
          const removed = await leger(["deploy", "remove", name, "--yes"], {
            user,
          });
          strictEqual(removed.code, 0, describe(removed));
          deepStrictEqual(await quadletFiles(user, name), []);
          deepStrictEqual(
            (await hostExec(
              `ls -A ${
                quadletDir(user)
              } | grep -E '^(Config.txt|a.conf|app.env|\\.)' || true`,
              { user },
            )).stdout,
            "",
            "config files or Podman markers left",
          );
        } finally {
          await cleanup(name, user);
          await hostExec(
            `rm -f ${quadletDir(user)}/Config.txt ${quadletDir(user)}/a.conf ${
              quadletDir(user)
            }/app.env`,
            { user },
          );
        }
      });
    }
  },
);

e2eTest(
  "a reinstall whose image cannot be pulled never stops the running version",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-pull-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          const v1 = webDeployment({ name, port: PORTS[user] });
          const source = await writeSource(name, v1);
          strictEqual(
            (await installDeployment(name, source, { user })).code,
            0,
          );
          const invocation = () =>
            hostExec(
              `${
                systemctl(user)
              } show -p InvocationID --value ${names.service}`,
              { user },
            );
          const before = (await invocation()).stdout;
          await writeSource(name, {
            ...v1,
            [names.container]: v1[names.container].replace(
              "Image=localhost/bb:latest",
              "Image=registry.invalid/leger/nosuch:1",
            ),
          });
          const result = await installDeployment(name, source, { user });
          strictEqual(result.code, 1, describe(result));
          match(
            result.stderr,
            /Cannot pull "registry\.invalid\/leger\/nosuch:1"/,
          );
          match(result.stderr, /\[ERR_IMAGE_PULL_FAILED\]/);
          strictEqual(await activeState(names.service, user), "active");
          strictEqual(
            (await invocation()).stdout,
            before,
            "the service was restarted",
          );
          notStrictEqual(before.trim(), "");
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "a read-only or full state folder is refused before any change",
  async (t) => {
    for (const user of USERS) {
      for (const kind of ["read-only", "full"] as const) {
        await t.step(`${user} (${scopeOf(user)} scope): ${kind}`, async () => {
          const name = `e2e-ro-${user}`;
          await cleanup(name, user);
          const dir = user === "root"
            ? "/var/lib/leger"
            : "/home/leger/.local/share/leger";
          const owner = user === "root" ? "uid=0,gid=0" : "uid=1000,gid=1000";
          const mount = kind === "read-only"
            ? `mount -t tmpfs -o ro,size=1m,${owner},mode=0755 tmpfs ${dir}`
            : `mount -t tmpfs -o size=64k,${owner},mode=0755 tmpfs ${dir} && dd if=/dev/zero of=${dir}/fill bs=1k count=100 2>/dev/null; chown ${user} ${dir}/fill`;
          try {
            const source = await writeSource(
              name,
              webDeployment({ name, port: PORTS[user] }),
            );
            const mounted = await hostExec(
              `mkdir -p ${dir} && chown ${user} ${dir} && ${mount}; findmnt ${dir}`,
            );
            match(mounted.stdout, /tmpfs/, describe(mounted));
            const result = await installDeployment(name, source, { user });
            strictEqual(result.code, 1, describe(result));
            match(result.stderr, new RegExp(`Cannot write to ${dir}`));
            match(
              result.stderr,
              kind === "read-only"
                ? /read-only file system/
                : /the disk is full/,
            );
            match(result.stderr, /\[ERR_STATE_UNWRITABLE\]/);
            deepStrictEqual(await quadletFiles(user, name), []);
            deepStrictEqual(await loadedUnits(user, name), []);
          } finally {
            await hostExec(`umount ${dir} 2>/dev/null; true`);
            await cleanup(name, user);
          }
        });
      }
    }
  },
);
