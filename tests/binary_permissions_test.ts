/**
 * What Deno lets leger's two programs do, with exactly the flags the
 * binaries are compiled with (deno.json's `leger` and `legerd` tasks, read
 * by `tools/permission_flags.ts`), as the systemd units' comments describe
 * it: only the programs they run and the system information they read are
 * listed. The network is not: Deno names a unix socket by its exact path
 * only, and a user's sockets (legerd's, systemd's notify socket) are under
 * `/run/user/UID`, which one binary for every user cannot name. Which hosts
 * leger talks to is leger's own rule (`lib/api/check_allowed_url_test.ts`,
 * `tests/network_not_allowed_test.ts`).
 *
 * @module
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { permissionFlags } from "./_leger.ts";
import { tempFolder } from "./_folders.ts";

/** One permission to ask Deno about, as `Deno.permissions.querySync` takes it. */
type Descriptor =
  | { name: "net"; host: string }
  | { name: "run"; command: string }
  | { name: "sys"; kind: string };

/** Runs a script with a task's flags that answers, for each descriptor, whether Deno grants it. */
async function granted(
  task: "leger" | "legerd",
  descriptors: readonly Descriptor[],
): Promise<boolean[]> {
  await using dir = await tempFolder();
  const bin = `${dir.path}/bin`;
  await Deno.mkdir(bin);
  for (const d of descriptors) {
    if (d.name === "run" && !d.command.includes("/")) {
      await Deno.writeTextFile(`${bin}/${d.command}`, "#!/bin/sh\n", {
        mode: 0o755,
      });
    }
  }
  const script = `${dir.path}/probe.ts`;
  await Deno.writeTextFile(
    script,
    `const descriptors = JSON.parse(Deno.args[0]);
const states = descriptors.map((d: Deno.PermissionDescriptor) => Deno.permissions.querySync(d).state === "granted");
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(states)));
`,
  );
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...permissionFlags(task),
      script,
      JSON.stringify(descriptors),
    ],
    clearEnv: true,
    // Deno resolves a program's name on PATH when it starts: a PATH of
    // stand-ins makes the answer the same wherever the test runs.
    env: { PATH: bin, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  strictEqual(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** The cases of one task: a descriptor and whether Deno must grant it. */
async function check(
  task: "leger" | "legerd",
  cases: readonly [Descriptor, boolean][],
): Promise<void> {
  const states = await granted(task, cases.map(([d]) => d));
  deepStrictEqual(
    cases.map(([d], i) => [d, states[i]]),
    cases.map(([d, expected]) => [d, expected]),
  );
}

/** Unix sockets of any user, and hosts: the network has no list. */
const ANY_NETWORK: [Descriptor, boolean][] = [
  { name: "net", host: "unix:/run/user/1000/leger/legerd.sock" },
  { name: "net", host: "unix:/run/user/4242/leger/legerd.sock" },
  { name: "net", host: "unix:/run/leger/legerd.sock" },
  { name: "net", host: "unix:/run/tailscale/tailscaled.sock" },
  { name: "net", host: "local-tailscaled.sock" },
  { name: "net", host: "api.leger.run" },
  { name: "net", host: "127.0.0.1:8787" },
  { name: "net", host: "example.com" },
].map((d) => [d as Descriptor, true]);

Deno.test("the leger binary may run only its programs and read only uid, hostname and statfs; the network has no list", async () => {
  await check("leger", [
    ...ANY_NETWORK,
    ...[
      "podman",
      "systemctl",
      "journalctl",
      "git",
      "tailscale",
      "cat",
      "ls",
      "/usr/libexec/podman/quadlet",
      "/usr/lib/podman/quadlet",
    ].map((command): [Descriptor, boolean] => [
      { name: "run", command },
      true,
    ]),
    ...["sh", "bash", "curl", "sudo"].map((command): [Descriptor, boolean] => [
      { name: "run", command },
      false,
    ]),
    [{ name: "sys", kind: "uid" }, true],
    [{ name: "sys", kind: "hostname" }, true],
    [{ name: "sys", kind: "statfs" }, true],
    [{ name: "sys", kind: "osRelease" }, false],
    [{ name: "sys", kind: "networkInterfaces" }, false],
  ]);
});

Deno.test("the legerd binary may run only podman and systemctl and read only uid and hostname; the network has no list", async () => {
  await check("legerd", [
    ...ANY_NETWORK,
    [{ name: "net", host: "unix:/run/user/1000/systemd/notify" }, true],
    [{ name: "net", host: "unix:/run/user/1000/leger/notify.sock" }, true],
    [{ name: "run", command: "podman" }, true],
    [{ name: "run", command: "systemctl" }, true],
    ...["git", "tailscale", "journalctl", "sh"].map((
      command,
    ): [Descriptor, boolean] => [{ name: "run", command }, false]),
    [{ name: "sys", kind: "uid" }, true],
    [{ name: "sys", kind: "hostname" }, true],
    [{ name: "sys", kind: "statfs" }, false],
  ]);
});
