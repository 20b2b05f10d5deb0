import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { fakeRunner } from "../adapters/fake_runner.ts";
import { LegerError } from "../errors/leger_error.ts";
import type { HostFiles } from "./host_files.ts";
import { type DoctorHost, runDoctor } from "./run_doctor.ts";

const INFO = await Deno.readTextFile(
  new URL("../adapters/testdata/podman_info_root.out", import.meta.url),
);

/** A healthy root host, as files. */
const ROOT_HOST: Record<string, string> = {
  "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\n",
  "/etc/os-release": "ID=debian\n",
  "/usr/libexec/podman/quadlet": "",
  "/run/systemd/system": "",
  "/sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory pids\n",
  "/etc/containers/containers.conf": '[secrets]\ndriver = "pass"\n',
};

function files(
  texts: Record<string, string>,
  fail: Record<string, Error> = {},
): HostFiles {
  const read = (path: string) =>
    path in fail
      ? Promise.reject(fail[path])
      : Promise.resolve(texts[path] ?? null);
  return {
    readText: read,
    list: () => Promise.resolve(null),
    exists: (path) => Promise.resolve(path in texts),
  };
}

async function rootHost(
  changes: Partial<DoctorHost> = {},
): Promise<{ host: DoctorHost; home: string }> {
  const home = await Deno.makeTempDir();
  const runner = fakeRunner([
    {
      bin: "podman",
      args: ["info", "--format", "json"],
      result: { stdout: INFO },
    },
    {
      bin: "systemctl",
      args: ["is-system-running"],
      result: { stdout: "running\n" },
    },
  ]);
  return {
    home,
    host: {
      files: files(ROOT_HOST),
      runner,
      legerdHealth: () =>
        Promise.reject(
          new LegerError(
            "ERR_LEGERD_NOT_RUNNING",
            "Cannot reach legerd: it is not running",
          ),
        ),
      readTailscale: () =>
        Promise.reject(
          new LegerError(
            "ERR_TAILSCALE_NOT_INSTALLED",
            "Cannot read the Tailscale status: Tailscale is not installed",
          ),
        ),
      probeWritable: () => Promise.resolve(),
      ...changes,
    },
  };
}

Deno.test("runDoctor() checks the system scope as root: no linger or subordinate ids, two processes", async () => {
  const { host, home } = await rootHost();
  const report = await runDoctor(
    { scope: "system", uid: 0, home, env: () => undefined },
    host,
  );
  deepStrictEqual(
    report.checks.map((c) => [c.group, c.id, c.status]),
    [
      ["podman", "podman", "pass"],
      ["podman", "secrets-driver", "pass"],
      ["systemd", "systemd", "pass"],
      ["host", "cgroups", "pass"],
      ["leger", "folders", "pass"],
      ["leger", "tailscale", "warn"],
      ["leger", "legerd", "warn"],
      ["deployments", "deployments", "pass"],
    ],
  );
  deepStrictEqual(report.summary, { pass: 6, warn: 2, fail: 0, ok: true });
  (host.runner as ReturnType<typeof fakeRunner>).assertAllCalled();
  await Deno.remove(home, { recursive: true });
});

Deno.test("runDoctor() turns a fact it cannot read into a warning, and a bug into an error", async () => {
  const denied = new Deno.errors.PermissionDenied(
    'Permission denied (os error 13): readfile "/sys/fs/cgroup/cgroup.controllers"',
  );
  const { host, home } = await rootHost({
    files: files(ROOT_HOST, { "/sys/fs/cgroup/cgroup.controllers": denied }),
  });
  const report = await runDoctor(
    { scope: "system", uid: 0, home, env: () => undefined },
    host,
  );
  const cgroups = report.checks.find((c) => c.id === "cgroups")!;
  deepStrictEqual(
    [cgroups.status, cgroups.title, cgroups.detail],
    ["warn", "cgroups: cannot be checked", denied.message],
  );
  // Podman missing: a failed check, not a crash.
  const { host: noPodman } = await rootHost({
    runner: fakeRunner([
      {
        bin: "podman",
        args: ["info", "--format", "json"],
        error: new LegerError(
          "ERR_COMMAND_NOT_FOUND",
          'Cannot run "podman": it is not installed or not in PATH',
        ),
      },
      {
        bin: "systemctl",
        args: ["is-system-running"],
        result: { stdout: "running\n" },
      },
    ]),
  });
  const without = await runDoctor(
    { scope: "system", uid: 0, home, env: () => undefined },
    noPodman,
  );
  const podman = without.checks.find((c) => c.id === "podman")!;
  deepStrictEqual([podman.status, podman.fix], [
    "fail",
    "sudo apt-get install podman",
  ]);
  strictEqual(without.summary.ok, false);
  const { host: buggy } = await rootHost({
    legerdHealth: () => Promise.reject(new TypeError("x is not a function")),
  });
  await rejects(
    runDoctor({ scope: "system", uid: 0, home, env: () => undefined }, buggy),
    TypeError,
  );
  await Deno.remove(home, { recursive: true });
});
