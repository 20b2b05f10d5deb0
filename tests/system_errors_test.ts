/**
 * What a real host does to leger, through the real `leger` (a subprocess with
 * the binary's permission flags): a damaged state file, a file where a
 * folder should be, a folder the user may not read, a full or read-only
 * disk. Each ends in a catalogue code naming the file and the fix, never
 * ERR_INTERNAL.
 *
 * The mapping of every `Deno.errors.*` is checked in
 * lib/errors/from_system_error_test.ts; here the failures are provoked.
 *
 * @module
 */
import { match, ok, rejects, strictEqual } from "node:assert/strict";
import { dump } from "js-yaml";
import { pathExists } from "../lib/state/path_exists.ts";
import { writeFileAtomic } from "../lib/state/write_file_atomic.ts";
import { DENO_DIR, permissionFlags, ROOT, runLeger } from "./_leger.ts";
import { spawnCaptured } from "./_spawn.ts";
import { tempFolder } from "./_folders.ts";

const SHA = "ab".repeat(32);
const SETPRIV = "/usr/bin/setpriv";
const NOBODY = 65534;

/** An entry of deployments.yaml as leger writes it. */
const ENTRY = {
  name: "web",
  scope: "user",
  source: { type: "local", location: "/srv/web" },
  installed_at: "2025-10-16T12:00:00.000Z",
  files: [{ name: "web.container", sha256: SHA }],
  units: ["web.container"],
  services: ["web.service"],
  volumes: [],
};

function assertReported(
  result: { code: number; stdout: string; stderr: string },
  code: string,
  message: RegExp,
): void {
  const output = `exit ${result.code}\n${result.stderr}`;
  strictEqual(result.code, 1, output);
  match(result.stderr, message, output);
  ok(result.stderr.endsWith(`[${code}]\n`), output);
  ok(!result.stderr.includes("ERR_INTERNAL"), output);
  // A remedy precedes the code, as for every error.
  const lines = result.stderr.trimEnd().split("\n");
  ok(lines.length >= 3 && lines.at(-2)!.length > 10, output);
}

Deno.test("leger refuses a damaged deployments.yaml with ERR_STATE_INVALID naming the entry and the field", async (t) => {
  await using dir = await tempFolder();
  const env = {
    HOME: `${dir.path}/home`,
    XDG_DATA_HOME: `${dir.path}/data`,
    XDG_CONFIG_HOME: `${dir.path}/config`,
    XDG_RUNTIME_DIR: `${dir.path}/run`,
  };
  const file = `${dir.path}/data/leger/deployments.yaml`;
  await Deno.mkdir(`${dir.path}/data/leger`, { recursive: true });
  const cases: [string, string, string][] = [
    [
      "an entry that is null",
      "deployments:\n  - null\n",
      "deployments[0] must be a mapping, not null",
    ],
    [
      "services that are a string",
      dump({ deployments: [{ ...ENTRY, services: "web.service" }] }),
      'deployments[0] ("web").services must be a list, not "web.service"',
    ],
    [
      "a name that is a number",
      dump({ deployments: [{ ...ENTRY, name: 5 }] }),
      "deployments[0].name must be a non-empty string, not 5",
    ],
    [
      "a file outside the folder",
      dump({
        deployments: [{ ...ENTRY, files: [{ name: "../../x", sha256: SHA }] }],
      }),
      `deployments[0] ("web").files[0].name must be a path inside the deployment's folder, not "../../x"`,
    ],
  ];
  // As root, the default scope is the system's: name the user's.
  const commands = [
    ["deploy", "list", "--scope", "user"],
    ["service", "start", "web", "--scope", "user"],
  ];
  for (const [name, text, problem] of cases) {
    await Deno.writeTextFile(file, text);
    for (const args of commands) {
      await t.step(`${name}: leger ${args.join(" ")}`, async () => {
        const result = await runLeger(args, { env });
        assertReported(
          result,
          "ERR_STATE_INVALID",
          new RegExp(
            `^Error: Cannot read ${RegExp.escape(file)}: ${
              RegExp.escape(problem)
            }\n`,
          ),
        );
        match(
          result.stderr,
          /\nCorrect the entry by hand, or restore the file from a backup/,
        );
      });
    }
  }
});

Deno.test("leger names the path when a file stands where its state folder should be", async () => {
  await using dir = await tempFolder({ "data": "not a folder\n" });
  const result = await runLeger(["deploy", "list"], {
    env: { HOME: `${dir.path}/home`, XDG_DATA_HOME: `${dir.path}/data` },
  });
  assertReported(
    result,
    "ERR_PATH_TYPE",
    new RegExp(
      `^Error: Cannot read "${
        RegExp.escape(dir.path)
      }/data/leger/deployments\\.yaml": a part of the path is a file, not a folder\n`,
    ),
  );
});

Deno.test("leger says ERR_PERMISSION_DENIED, naming the file or folder, for what the user may not read", async (t) => {
  const asRoot = Deno.uid() === 0;
  const canDrop = asRoot && await pathExists(SETPRIV);
  if (asRoot && !canDrop) {
    await t.step({
      name: `needs ${SETPRIV} to run leger as an unprivileged user`,
      ignore: true,
      fn: () => {},
    });
    return;
  }
  await using dir = await tempFolder();
  // Readable to all but the folder under test, so that another user gets in.
  await Deno.chmod(dir.path, 0o755);
  const denoDir = `${dir.path}/deno`;
  if (asRoot) {
    // root's cache lives in a folder other users may not enter.
    await copyTree(`${DENO_DIR}/npm`, `${denoDir}/npm`);
  }
  await Deno.mkdir(`${dir.path}/home`, { mode: 0o777 });
  await Deno.chmod(`${dir.path}/home`, 0o777);
  await Deno.mkdir(`${dir.path}/secret/leger`, { recursive: true });
  await Deno.mkdir(`${dir.path}/secret/app`, { recursive: true });
  await Deno.chmod(`${dir.path}/secret`, 0o700);
  const env = {
    HOME: `${dir.path}/home`,
    XDG_DATA_HOME: `${dir.path}/secret`,
    NO_COLOR: "1",
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_DIR: asRoot ? denoDir : DENO_DIR,
  };
  const leger = (args: string[]) =>
    spawnCaptured(asRoot ? SETPRIV : Deno.execPath(), [
      ...(asRoot
        ? [
          `--reuid=${NOBODY}`,
          `--regid=${NOBODY}`,
          "--clear-groups",
          Deno.execPath(),
        ]
        : []),
      "run",
      "--quiet",
      ...permissionFlags("leger"),
      `${ROOT}/cli/main.ts`,
      ...args,
    ], { clearEnv: true, env });
  await t.step(
    "deploy list, whose state folder is not the user's",
    async () => {
      const path = `${dir.path}/secret/leger/deployments.yaml`;
      const result = await leger(["deploy", "list"]);
      assertReported(
        result,
        "ERR_PERMISSION_DENIED",
        new RegExp(
          `^Error: Cannot read "${RegExp.escape(path)}": permission denied\n`,
        ),
      );
      match(result.stderr, /\nRun leger as the user who owns .*`ls -ld /);
    },
  );
  await t.step("validate of a folder the user may not read", async () => {
    const app = `${dir.path}/secret/app`;
    const result = await leger(["validate", app]);
    strictEqual(result.code, 1, result.stderr);
    ok(result.stderr.endsWith("[ERR_PERMISSION_DENIED]\n"), result.stderr);
    ok(result.stderr.includes(`${dir.path}/secret`), result.stderr);
    ok(!result.stderr.includes("ERR_INTERNAL"), result.stderr);
  });
  await t.step(
    "validate of a folder holding a file the user may not read",
    async () => {
      const app = `${dir.path}/open/app`;
      await Deno.mkdir(app, { recursive: true });
      await Deno.chmod(`${dir.path}/open`, 0o755);
      await Deno.chmod(app, 0o755);
      await Deno.writeTextFile(
        `${app}/web.container`,
        "[Container]\nImage=x\n",
      );
      await Deno.chmod(`${app}/web.container`, asRoot ? 0o600 : 0o000);
      const result = await leger(["validate", app]);
      assertReported(
        result,
        "ERR_PERMISSION_DENIED",
        new RegExp(
          `^Error: Cannot read "${
            RegExp.escape(app)
          }/web\\.container": permission denied\n`,
        ),
      );
      await Deno.chmod(`${app}/web.container`, 0o644);
    },
  );
  await Deno.chmod(`${dir.path}/secret`, 0o755);
});

Deno.test("writeFileAtomic() names the folder of a full or read-only disk", async (t) => {
  await using dir = await tempFolder();
  const cases: [string, string, string, RegExp][] = [
    [
      "a full disk",
      "size=16k",
      "the disk is full (no space left on device)",
      /^Free some space on the disk that holds .*\/state \(`df -h /,
    ],
    [
      "a read-only disk",
      "ro,size=16k",
      "it is on a read-only file system",
      /^Make .*\/state writable \(remount it read-write/,
    ],
  ];
  for (const [name, options, reason, remedy] of cases) {
    const mountPoint = `${dir.path}/${name.replaceAll(" ", "-")}`;
    await Deno.mkdir(mountPoint);
    // Mounting needs root (CI runs as root); elsewhere the step is ignored.
    const mounted = Deno.uid() === 0 &&
      (await spawnCaptured("mount", [
          "-t",
          "tmpfs",
          "-o",
          options,
          "tmpfs",
          mountPoint,
        ]).catch(() => ({ code: -1 }))).code === 0;
    await t.step({
      name: mounted ? name : `${name} (needs root and a tmpfs mount)`,
      ignore: !mounted,
      fn: async () => {
        try {
          await rejects(
            writeFileAtomic(
              `${mountPoint}/state/deployments.yaml`,
              new Uint8Array(64 * 1024),
            ),
            {
              name: "LegerError",
              code: "ERR_STATE_UNWRITABLE",
              message: `Cannot write to "${mountPoint}/state": ${reason}`,
              remedy,
            },
          );
        } finally {
          await spawnCaptured("umount", [mountPoint]);
        }
      },
    });
  }
});

/** Copies a folder tree, readable to all. */
async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true, mode: 0o755 });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(source, target);
    else if (entry.isFile) {
      await Deno.copyFile(source, target);
      await Deno.chmod(target, 0o644);
    }
  }
}
