import {
  deepStrictEqual,
  match,
  rejects,
  strictEqual,
} from "node:assert/strict";
import type { Runner } from "../adapters/run.ts";
import { sha256Hex } from "../source/sha256_hex.ts";
import { writeDeploymentFolder } from "../state/deployment_folder.ts";
import { writeDeployments } from "../state/deployments_file.ts";
import { installedDeployment } from "../../tests/fakes/installed_deployment.ts";
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

/** A user-scope doctor over a temporary home, with one deployment installed. */
async function userDoctor(
  setup: (paths: { work: string; quadlet: string; state: string }) => Promise<
    void
  >,
  units: Record<string, string>,
  options: { home?: string } = {},
) {
  const home = options.home ?? await Deno.makeTempDir();
  const paths = {
    work: `${home}/.local/share/bluebuild-quadlets`,
    quadlet: `${home}/.config/containers/systemd`,
    state: `${home}/.local/share/leger`,
  };
  const files = [...Object.entries(units)].map(([name, text]) => ({
    name,
    bytes: new TextEncoder().encode(text),
  }));
  const entries = await Promise.all(files.map(async (f) => ({
    name: f.name,
    sha256: await sha256Hex(f.bytes),
  })));
  await Deno.mkdir(paths.quadlet, { recursive: true });
  for (const f of files) {
    const path = `${paths.quadlet}/${f.name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, f.bytes);
  }
  await writeDeploymentFolder(
    `${paths.work}/active/hz`,
    {
      deployment: "hz",
      source: { type: "local", location: "/srv/h z" },
      fetched_at: "2026-11-30T12:00:00.000Z",
      files: entries,
      normalisations: [],
    },
    new Map(files.map((f) => [f.name, f.bytes])),
  );
  await writeDeployments(paths.state, [{
    ...installedDeployment("hz", ["web.service"]),
    source: { type: "local", location: "/srv/h z" },
    files: entries,
  }]);
  await setup(paths);
  const runner: Runner = (bin, args) => {
    const stdout = bin === "podman" && args[0] === "info"
      ? INFO
      : bin === "podman"
      ? "[]"
      : bin === "cat"
      ? "  sl  local_address rem_address   st\n"
      : "running\n";
    return Promise.resolve({ code: 0, stdout, stderr: "" });
  };
  const report = await runDoctor(
    { scope: "user", uid: 1000, home, env: () => undefined },
    { ...(await rootHost()).host, runner },
  );
  if (options.home === undefined) await Deno.remove(home, { recursive: true });
  return new Map(report.checks.map((c) => [c.id, c]));
}

const WEB = "[Container]\nImage=localhost/bb:latest\nPublishPort=23181:80\n";

Deno.test("runDoctor() never passes a deployment whose copy is damaged or gone, and its fix moves the copy out of active/", async () => {
  const damaged = await userDoctor(
    ({ work }) => Deno.remove(`${work}/active/hz/web.container`),
    { "web.container": WEB },
  );
  const drift = damaged.get("drift:hz")!;
  deepStrictEqual([drift.status, drift.title], [
    "fail",
    "hz: leger's copy of what it installed is damaged",
  ]);
  const [move, install] = drift.fix!.split("\n");
  match(
    move,
    /^mkdir -p \S+\/bluebuild-quadlets\/damaged && mv \S+\/bluebuild-quadlets\/active\/hz "\$\(mktemp -d \S+\/bluebuild-quadlets\/damaged\/hz-\$\(date \+%Y%m%dT%H%M%S\)-XXXXXX\)" {3}#/,
  );
  match(install, /^leger deploy install hz --source '\/srv\/h z' {3}#/);
  // Said once: no ports check repeating the reason and the fix.
  strictEqual(damaged.has("ports:hz"), false);
  match(drift.detail, /Its ports are not checked either/);
  // After the move: still no pass, and only the install is left to do.
  const moved = await userDoctor(
    ({ work }) => Deno.rename(`${work}/active/hz`, `${work}/hz-elsewhere`),
    { "web.container": WEB },
  );
  const after = moved.get("drift:hz")!;
  deepStrictEqual([after.status, after.title, moved.has("ports:hz")], [
    "fail",
    "hz: leger's copy of what it installed is missing",
    false,
  ]);
  strictEqual(after.fix, install);
});

Deno.test("runDoctor()'s fix for a damaged copy, pasted in sh, works for the same deployment again", async () => {
  const home = await Deno.makeTempDir({ prefix: "leger_" });
  try {
    for (const time of [1, 2]) {
      const checks = await userDoctor(
        ({ work }) => Deno.remove(`${work}/active/hz/web.container`),
        { "web.container": WEB },
        { home },
      );
      const fix = checks.get("drift:hz")!.fix!.split("\n");
      // Every line but the install, which needs leger and a source.
      const moves = fix.filter((line) => !line.startsWith("leger "));
      strictEqual(moves.length, 1);
      const { code, stderr } = await new Deno.Command("sh", {
        args: ["-c", moves.join("\n")],
        stderr: "piped",
      }).output();
      strictEqual(code, 0, new TextDecoder().decode(stderr));
      const work = `${home}/.local/share/bluebuild-quadlets`;
      strictEqual(
        (await Array.fromAsync(Deno.readDir(`${work}/active`))).length,
        0,
      );
      strictEqual(
        (await Array.fromAsync(Deno.readDir(`${work}/damaged`))).length,
        time,
      );
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("runDoctor() warns of each drop-in leger did not install, naming the units it changes, as Podman applies it", async (t) => {
  const units = {
    "web.container": WEB,
    "web.container.d/10-port.conf": "[Container]\nPublishPort=23182:81\n",
    "web-db.container": "[Container]\nImage=localhost/bb:latest\n",
    "data.volume": "[Volume]\n",
  };
  const cases: {
    name: string;
    add: Record<string, string>;
    changes: [string, string][];
  }[] = [
    {
      name: "none added: leger's own drop-in is no warning",
      add: {},
      changes: [],
    },
    {
      name: "the unit's own folder",
      add: { "web.container.d/zz.conf": "[Container]\nEnvironment=A=1\n" },
      changes: [["web.container.d/zz.conf", "web.container"]],
    },
    {
      name: "Podman's type-wide container.d applies to every .container",
      add: { "container.d/zz.conf": "[Container]\nEnvironment=A=1\n" },
      changes: [["container.d/zz.conf", "web.container, web-db.container"]],
    },
    {
      name: "a dash-prefix folder applies to web-db, not web",
      add: { "web-.container.d/zz.conf": "[Container]\nEnvironment=A=1\n" },
      changes: [["web-.container.d/zz.conf", "web-db.container"]],
    },
    {
      name: "volume.d applies to the .volume",
      add: { "volume.d/zz.conf": "[Volume]\nLabel=a=1\n" },
      changes: [["volume.d/zz.conf", "data.volume"]],
    },
    {
      name:
        "a type-wide file hidden by leger's of its name in web's folder changes only web-db",
      add: { "container.d/10-port.conf": "[Container]\nEnvironment=A=1\n" },
      changes: [["container.d/10-port.conf", "web-db.container"]],
    },
    {
      name:
        "another unit's folder, a file not .conf, a folder below a .d: none",
      add: {
        "db.container.d/zz.conf": "[Container]\n",
        "web.container.d/README": "notes\n",
        "web.container.d/old/zz.conf": "[Container]\n",
      },
      changes: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const checks = await userDoctor(async ({ quadlet }) => {
        for (const [name, text] of Object.entries(c.add)) {
          const path = `${quadlet}/${name}`;
          await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), {
            recursive: true,
          });
          await Deno.writeTextFile(path, text);
        }
      }, units);
      const drift = checks.get("drift:hz")!;
      if (c.changes.length === 0) {
        deepStrictEqual([drift.status, drift.title], [
          "pass",
          "hz: its 4 files are as leger installed them",
        ]);
        return;
      }
      deepStrictEqual([drift.status, drift.title], [
        "warn",
        "hz: 1 drop-in leger did not install changes its units",
      ]);
      const [path, changed] = c.changes[0];
      match(
        drift.detail,
        new RegExp(
          `Drop-in not installed by leger: \\S+/\\.config/containers/systemd/${
            path.replaceAll(".", "\\.")
          } changes ${changed.replaceAll(".", "\\.")} \\(`,
        ),
      );
      const fix = drift.fix!.split("\n");
      match(
        fix[0],
        new RegExp(
          `^rm \\S+/containers/systemd/${
            path.replaceAll(".", "\\.")
          } && systemctl --user daemon-reload && leger service restart hz {3}# drops it$`,
        ),
      );
      strictEqual(fix[1], "# or keep it (added on purpose): nothing to do");
    });
  }
});

Deno.test("runDoctor() reports a drop-in that changes several deployments once, with one fix that restarts each", async () => {
  const api = "[Container]\nImage=localhost/bb:latest\n";
  const checks = await userDoctor(async ({ work, quadlet, state }) => {
    const bytes = new TextEncoder().encode(api);
    const files = [{ name: "api.container", sha256: await sha256Hex(bytes) }];
    await Deno.writeFile(`${quadlet}/api.container`, bytes);
    await writeDeploymentFolder(
      `${work}/active/blog`,
      {
        deployment: "blog",
        source: { type: "local", location: "/srv/blog" },
        fetched_at: "2026-11-30T12:00:00.000Z",
        files,
        normalisations: [],
      },
      new Map([["api.container", bytes]]),
    );
    const hz = {
      ...installedDeployment("hz", ["web.service"]),
      source: { type: "local" as const, location: "/srv/h z" },
      files: [{
        name: "web.container",
        sha256: await sha256Hex(new TextEncoder().encode(WEB)),
      }],
    };
    await writeDeployments(state, [
      hz,
      { ...installedDeployment("blog", ["api.service"]), files },
    ]);
    await Deno.mkdir(`${quadlet}/container.d`);
    await Deno.writeTextFile(
      `${quadlet}/container.d/zz.conf`,
      "[Container]\nEnvironment=A=1\n",
    );
  }, { "web.container": WEB });
  const naming = [...checks.values()].filter((c) =>
    `${c.detail}\n${c.fix}`.includes("container.d/zz.conf")
  );
  // By the first deployment it changes, in leger's order (by name).
  deepStrictEqual(naming.map((c) => [c.id, c.status]), [[
    "drift:blog",
    "warn",
  ]]);
  match(
    naming[0].detail,
    /container\.d\/zz\.conf changes api\.container, web\.container \(of blog and hz\)/,
  );
  const [rm] = naming[0].fix!.split("\n");
  match(
    rm,
    /^rm \S+\/container\.d\/zz\.conf && systemctl --user daemon-reload && leger service restart blog && leger service restart hz {3}# drops it$/,
  );
  strictEqual(checks.get("drift:hz")!.status, "pass");
});

Deno.test("runDoctor() fixes a corrupt deployments.yaml at the line that is wrong, not with an install", async () => {
  const checks = await userDoctor(
    ({ state }) =>
      Deno.writeTextFile(
        `${state}/deployments.yaml`,
        "deployments: [oops\n  - : :\n",
      ),
    {},
  );
  const check = checks.get("deployments")!;
  strictEqual(check.status, "fail");
  const [edit, comment] = check.fix!.split("\n");
  match(edit, /^\$\{EDITOR:-vi\} \+\d+ \S+\/deployments\.yaml {3}# correct/);
  match(comment, /^# Correct the entry by hand/);
  strictEqual(
    check.fix!.split("\n").some((l) => l.startsWith("leger ")),
    false,
  );
});

Deno.test("runDoctor() checks the ports of every instance a template runs as, %i resolved", async () => {
  const checks = await userDoctor(() => Promise.resolve(), {
    "w@.container":
      "[Container]\nImage=localhost/bb:latest\nPublishPort=127.0.0.1:2317%i:8080\n\n[Install]\nDefaultInstance=1\n",
    "w@2.container":
      "[Container]\nImage=localhost/bb:latest\nPublishPort=127.0.0.1:2317%i:8080\n",
    "late.container":
      "[Unit]\nWants=w@3.container\n\n[Container]\nImage=localhost/bb:latest\n",
  });
  strictEqual(
    checks.get("ports:hz")!.title,
    "hz: ports 23171/tcp, 23172/tcp, 23173/tcp are free or its own",
  );
});
