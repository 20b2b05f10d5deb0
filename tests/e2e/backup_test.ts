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
  curlInside,
  describe,
  e2eTest,
  hostExec,
  installDeployment,
  leger,
  legerCommandLine,
  podmanExists,
  quadletFiles,
  scopeOf,
  shellQuote,
  type User,
  USERS,
  writeSource,
} from "./_host.ts";

const PORTS = { root: 18291, leger: 18292 };

/** The backups folder of a user's scope, as a shell word. */
function backupsDir(user: User): string {
  return user === "root"
    ? "/var/lib/leger/bluebuild-quadlets/backups"
    : '"$HOME/.local/share/bluebuild-quadlets/backups"';
}

/** Runs a command inside and fails the test with its output when it fails. */
async function must(cmd: string, user: User): Promise<string> {
  const result = await hostExec(cmd, { user });
  strictEqual(result.code, 0, `${cmd}\n${describe(result)}`);
  return result.stdout;
}

/** The checksums of the files in the container's /data, one line each. */
async function dataChecksums(name: string, user: User): Promise<string> {
  return await must(
    `podman exec ${
      webNames(name).containerName
    } /bin/busybox sh -c 'cd /data && /bin/busybox sha256sum * | /bin/busybox sort'`,
    user,
  );
}

/** Installs the web deployment and writes a file and 5 MiB of random data into its volume. */
async function installWithData(name: string, user: User): Promise<string> {
  const source = await writeSource(
    name,
    webDeployment({ name, port: PORTS[user] }),
  );
  const install = await installDeployment(name, source, { user });
  strictEqual(install.code, 0, describe(install));
  await must(
    `podman exec ${
      webNames(name).containerName
    } /bin/busybox sh -c 'echo kept > /data/f && /bin/busybox dd if=/dev/urandom of=/data/blob bs=1M count=5 2>/dev/null'`,
    user,
  );
  return await dataChecksums(name, user);
}

/** `leger backup create NAME --json`, parsed. */
async function backUp(
  name: string,
  user: User,
): Promise<{
  id: string;
  size_bytes: number;
  volumes: { name: string; file: string; sha256: string; bytes: number }[];
  stopped_services: string[];
}> {
  const result = await leger(["backup", "create", name, "--json"], { user });
  strictEqual(result.code, 0, describe(result));
  return JSON.parse(result.stdout);
}

e2eTest(
  "leger backup: data backed up, the deployment removed with its volumes, restored with its data",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-backup-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          const before = await installWithData(name, user);
          const record = await backUp(name, user);
          deepStrictEqual(record.stopped_services, [names.service]);
          strictEqual(await activeState(names.service, user), "active");
          const [volume] = record.volumes;
          strictEqual(volume.name, names.volumeName);
          ok(volume.bytes > 5 << 20, String(volume.bytes));
          // The checksum taken while Podman wrote the archive is the file's.
          const archive = `${backupsDir(user)}/${record.id}/${volume.file}`;
          const [sum] = (await must(`sha256sum ${archive}`, user)).split(" ");
          strictEqual(sum, volume.sha256);
          strictEqual(
            Number(await must(`stat -c %s ${archive}`, user)),
            volume.bytes,
          );
          const list = await leger(["backup", "list", "--json"], { user });
          deepStrictEqual(
            JSON.parse(list.stdout).map((b: { id: string }) => b.id),
            [record.id],
          );

          const remove = await leger(
            ["deploy", "remove", name, "--remove-volumes", "--yes"],
            { user },
          );
          strictEqual(remove.code, 0, describe(remove));
          strictEqual(
            await podmanExists("volume", names.volumeName, user),
            false,
          );

          const restore = await leger(
            ["backup", "restore", record.id, "--yes"],
            { user },
          );
          strictEqual(restore.code, 0, describe(restore));
          strictEqual(restore.stdout, `Restored ${name} from ${record.id}\n`);
          strictEqual(await activeState(names.service, user), "active");
          const curl = await curlInside(
            `http://127.0.0.1:${PORTS[user]}/`,
            user,
          );
          strictEqual(curl.code, 0, curl.stderr);
          strictEqual(await dataChecksums(name, user), before);

          await t.step(
            "over the installed deployment, only the backup's data remains",
            async () => {
              await must(
                `podman exec ${names.containerName} /bin/busybox sh -c 'echo later > /data/later && echo changed > /data/f'`,
                user,
              );
              const again = await leger(
                ["backup", "restore", record.id, "--yes"],
                { user },
              );
              strictEqual(again.code, 0, describe(again));
              strictEqual(await dataChecksums(name, user), before);
              // No safety copy is left behind.
              strictEqual(
                (await must(`ls -A ${backupsDir(user)}`, user)).trim(),
                record.id,
              );
            },
          );
        } finally {
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "leger backup restore refuses a backup with one byte changed, and nothing changes",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async (t) => {
        const name = `e2e-backupbad-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          await installWithData(name, user);
          const record = await backUp(name, user);
          for (
            const file of [
              record.volumes[0].file,
              `files/${names.container}`,
            ]
          ) {
            await t.step(file, async () => {
              const dir = `${backupsDir(user)}/${record.id}`;
              await must(
                `cp ${dir}/${file} /tmp/${name}.keep && printf Z | dd of=${dir}/${file} bs=1 seek=3 conv=notrunc 2>/dev/null && ! cmp -s ${dir}/${file} /tmp/${name}.keep`,
                user,
              );
              await must(
                `podman exec ${names.containerName} /bin/busybox sh -c 'echo now > /data/f'`,
                user,
              );
              const data = await dataChecksums(name, user);
              const started = await must(
                `podman inspect --format '{{.State.StartedAt}}' ${names.containerName}`,
                user,
              );
              const files = await quadletFiles(user, name);
              const restore = await leger(
                ["backup", "restore", record.id, "--yes"],
                { user },
              );
              strictEqual(restore.code, 1, describe(restore));
              match(
                restore.stderr,
                new RegExp(
                  `Cannot trust the backup ${record.id}: ${
                    file.replaceAll(".", "\\.")
                  } does not match its checksum`,
                ),
              );
              match(restore.stderr, /Nothing was changed on this host\./);
              match(restore.stderr, /\[ERR_BACKUP_CORRUPT\]/);
              strictEqual(await dataChecksums(name, user), data);
              strictEqual(
                await must(
                  `podman inspect --format '{{.State.StartedAt}}' ${names.containerName}`,
                  user,
                ),
                started,
              );
              deepStrictEqual(await quadletFiles(user, name), files);
              await must(`cp /tmp/${name}.keep ${dir}/${file}`, user);
            });
          }
        } finally {
          await hostExec(`rm -f /tmp/${name}.keep`, { user });
          await cleanup(name, user);
        }
      });
    }
  },
);

e2eTest(
  "leger backup create stopped by SIGTERM keeps nothing and starts the services again",
  async (t) => {
    for (const user of USERS) {
      await t.step(`${user} (${scopeOf(user)} scope)`, async () => {
        const name = `e2e-backupterm-${user}`;
        const names = webNames(name);
        await cleanup(name, user);
        try {
          await installWithData(name, user);
          // Large enough that the export is still running when the signal comes.
          await must(
            `podman exec ${names.containerName} /bin/busybox dd if=/dev/urandom of=/data/big bs=1M count=400 2>/dev/null`,
            user,
          );
          const partial = `${backupsDir(user)}/.create-*/volumes/*.tar`;
          const script = [
            `(${
              legerCommandLine(["backup", "create", name])
            }) > /tmp/${name}.out 2> /tmp/${name}.err &`,
            "leger=$!",
            `for i in $(seq 400); do ls ${partial} >/dev/null 2>&1 && break; sleep 0.05; done`,
            `ls ${partial} >/dev/null 2>&1 || { echo "the export never started"; cat /tmp/${name}.err; exit 99; }`,
            // Anchored at deno itself: this very script's command line holds the words too.
            `pkill -TERM -f ${
              shellQuote(
                `^/leger/deno run .*cli/main.ts backup create ${name}$`,
              )
            }`,
            'wait $leger; echo "exit=$?"',
            `cat /tmp/${name}.err`,
            `echo "stdout: $(cat /tmp/${name}.out)"`,
          ].join("\n");
          const result = await hostExec(script, { user });
          match(result.stdout, /^exit=130$/m, describe(result));
          match(result.stdout, /SIGTERM: stopping the backup, please wait/);
          match(result.stdout, /Nothing of the backup was kept\./);
          match(
            result.stdout,
            new RegExp(
              `${names.service.replaceAll(".", "\\.")} is running again\\.`,
            ),
          );
          match(result.stdout, /^stdout: $/m);
          strictEqual(
            (await must(`ls -A ${backupsDir(user)}`, user)).trim(),
            "",
          );
          strictEqual(await activeState(names.service, user), "active");
          const curl = await curlInside(
            `http://127.0.0.1:${PORTS[user]}/`,
            user,
          );
          strictEqual(curl.code, 0, curl.stderr);
          // The next backup works.
          notStrictEqual((await backUp(name, user)).id, "");
        } finally {
          await hostExec(`rm -f /tmp/${name}.out /tmp/${name}.err`, { user });
          await cleanup(name, user);
        }
      });
    }
  },
);
