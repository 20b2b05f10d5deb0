import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { legerPaths } from "../state/paths.ts";
import { ERROR_CODES } from "./codes.ts";
import { fromSystemError, SYSTEM_SCOPE_PATHS } from "./from_system_error.ts";
import { LegerError } from "./leger_error.ts";

interface Case {
  /** What a command meets on a real host. */
  name: string;
  error: Error;
  options?: Parameters<typeof fromSystemError>[1];
  code: keyof typeof ERROR_CODES;
  message: string;
  /** A pattern the remedy must match; the code's own remedy when absent. */
  remedy?: RegExp;
}

const HOME = "/home/alice/.local/share/leger";

/** Deno's errors as a command meets them, with the messages Deno gives. */
const CASES: Case[] = [
  {
    name: "NotFound of a file",
    error: new Deno.errors.NotFound(
      "No such file or directory (os error 2): readdir '/srv/app'",
    ),
    code: "ERR_PATH_NOT_FOUND",
    message: 'Cannot use "/srv/app": it does not exist',
  },
  {
    name: "NotFound of a program",
    error: new Deno.errors.NotFound(
      "Failed to spawn 'podman': entity not found",
    ),
    options: { action: "run podman" },
    code: "ERR_COMMAND_NOT_FOUND",
    message: 'Cannot run podman: "podman" is not installed or not in PATH',
  },
  {
    name: "PermissionDenied reading leger's own file (Deno names no path)",
    error: new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
    options: { action: "read", path: `${HOME}/deployments.yaml` },
    code: "ERR_PERMISSION_DENIED",
    message: `Cannot read "${HOME}/deployments.yaml": permission denied`,
    remedy: new RegExp(
      `^Run leger as the user who owns ${HOME}/deployments\\.yaml \\(\`ls -ld `,
    ),
  },
  {
    name: "PermissionDenied on the system scope's state, as a normal user",
    error: new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
    options: { action: "read", path: "/var/lib/leger/deployments.yaml" },
    code: "ERR_PERMISSION_DENIED",
    message:
      `Cannot read "/var/lib/leger/deployments.yaml": permission denied (the system scope's files are root's)`,
    remedy:
      /^Run the command with sudo \(`sudo leger …`\), or leave out --scope system/,
  },
  {
    name: "PermissionDenied listing Podman's system quadlet folder",
    error: new Deno.errors.PermissionDenied(
      "Permission denied (os error 13): readdir '/etc/containers/systemd'",
    ),
    code: "ERR_PERMISSION_DENIED",
    message:
      `Cannot use "/etc/containers/systemd": permission denied (the system scope's files are root's)`,
    remedy: /sudo leger/,
  },
  {
    name: "EPERM (operation not permitted)",
    error: new Deno.errors.PermissionDenied(
      "Operation not permitted (os error 1): remove '/srv/x'",
    ),
    code: "ERR_PERMISSION_DENIED",
    message: 'Cannot use "/srv/x": the operation is not permitted',
    remedy: /owns \/srv\/x/,
  },
  {
    name: "PermissionDenied writing leger's state (write: true)",
    error: new Deno.errors.PermissionDenied(
      "Permission denied (os error 13): open '/srv/state/.deployments.yaml.tmp'",
    ),
    options: { path: "/srv/state/deployments.yaml", write: true },
    code: "ERR_STATE_UNWRITABLE",
    message: 'Cannot write to "/srv/state": permission denied',
    remedy: /^Run leger as the user who owns \/srv\/state /,
  },
  {
    name: "PermissionDenied writing the system scope's state (write: true)",
    error: new Deno.errors.PermissionDenied(
      "Permission denied (os error 13): mkdir '/var/lib/leger'",
    ),
    options: { path: "/var/lib/leger/deployments.yaml", write: true },
    code: "ERR_STATE_UNWRITABLE",
    message:
      `Cannot write to "/var/lib/leger": permission denied (the system scope's files are root's)`,
    remedy: /sudo leger/,
  },
  {
    name: "No space left on device",
    error: new Error(
      "No space left on device (os error 28): writefile '/srv/state/x.json'",
    ),
    code: "ERR_STATE_UNWRITABLE",
    message:
      'Cannot write to "/srv/state": the disk is full (no space left on device)',
    remedy: /^Free some space on the disk that holds \/srv\/state \(`df -h /,
  },
  {
    name: "No space left, path given by the caller",
    error: new Error("No space left on device (os error 28)"),
    options: { path: "/srv/state/deployments.yaml", write: true },
    code: "ERR_STATE_UNWRITABLE",
    message:
      'Cannot write to "/srv/state": the disk is full (no space left on device)',
    remedy: /df -h \/srv\/state/,
  },
  {
    name: "Disk quota exceeded",
    error: new Error("Disk quota exceeded (os error 122)"),
    options: { path: "/home/a/x.json", write: true },
    code: "ERR_STATE_UNWRITABLE",
    message: 'Cannot write to "/home/a": the disk quota is used up',
    remedy: /Free some space/,
  },
  {
    name: "Read-only file system",
    error: new Error(
      "Read-only file system (os error 30): mkdir '/usr/share/leger/staged'",
    ),
    code: "ERR_STATE_UNWRITABLE",
    message:
      'Cannot write to "/usr/share/leger": it is on a read-only file system',
    remedy: /^Make \/usr\/share\/leger writable \(remount it read-write/,
  },
  {
    name: "NotCapable for the network (a narrower --allow-net than leger's)",
    error: new Deno.errors.NotCapable(
      'Requires net access to "127.0.0.2:8080", run again with the --allow-net flag',
    ),
    options: { action: "fetch the deployment" },
    code: "ERR_NETWORK_NOT_ALLOWED",
    message:
      `Cannot fetch the deployment: Deno's network permission does not allow "127.0.0.2:8080"`,
    remedy:
      /^Run with `--allow-net` \(as leger's binaries do\) or one that names "127\.0\.0\.2:8080"; check LEGER_API_URL, LEGER_STATIC_URL/,
  },
  {
    name: "NotCapable for writing",
    error: new Deno.errors.NotCapable(
      'Requires write access to "/opt/x", run again with the --allow-write flag',
    ),
    code: "ERR_STATE_UNWRITABLE",
    message:
      `Cannot finish the command: leger's --allow-write permission does not cover "/opt/x"`,
  },
  {
    name: "NotCapable for writing (write: true)",
    error: new Deno.errors.NotCapable(
      'Requires write access to "/opt/x/a.json", run again with the --allow-write flag',
    ),
    options: { path: "/opt/x/a.json", write: true },
    code: "ERR_STATE_UNWRITABLE",
    message:
      `Cannot write to "/opt/x": leger's --allow-write permission does not cover it`,
  },
  {
    name: "NotCapable for running a program",
    error: new Deno.errors.NotCapable(
      'Requires run access to "docker", run again with the --allow-run flag',
    ),
    code: "ERR_PERMISSION_DENIED",
    message:
      `Cannot finish the command: leger's --allow-run permission does not cover "docker"`,
    remedy: /^Run leger with the permissions of the `leger` task in deno\.json/,
  },
  {
    name: "NotCapable for /proc",
    error: new Deno.errors.NotCapable(
      'Requires all access to "/proc/self/mem", run again with the --allow-all flag',
    ),
    code: "ERR_PERMISSION_DENIED",
    message:
      `Cannot finish the command: leger's --allow-all permission does not cover "/proc/self/mem"`,
    remedy: /report it as a bug/,
  },
  {
    name: "AlreadyExists",
    error: new Deno.errors.AlreadyExists(
      "File exists (os error 17): open '/srv/staged/web'",
    ),
    code: "ERR_PATH_EXISTS",
    message: 'Cannot use "/srv/staged/web": a file or folder is already there',
  },
  {
    name: "AlreadyExists of a folder leger creates (a file in its place)",
    error: new Deno.errors.AlreadyExists(
      "File exists (os error 17): mkdir '/srv/state/staged'",
    ),
    options: { path: "/srv/state/staged/web", write: true },
    code: "ERR_PATH_TYPE",
    message:
      'Cannot write "/srv/state/staged/web": "/srv/state/staged" is a file, where a folder must be',
  },
  {
    name: "NotADirectory (a path through a file)",
    error: new Deno.errors.NotADirectory("Not a directory (os error 20)"),
    options: { action: "read", path: "/etc/hostname/leger/deployments.yaml" },
    code: "ERR_PATH_TYPE",
    message:
      'Cannot read "/etc/hostname/leger/deployments.yaml": a part of the path is a file, not a folder',
  },
  {
    name: "IsADirectory",
    error: new Deno.errors.IsADirectory(
      "Is a directory (os error 21): readfile '/srv/app/web.container'",
    ),
    code: "ERR_PATH_TYPE",
    message: 'Cannot use "/srv/app/web.container": it is a folder, not a file',
  },
  {
    name: "FilesystemLoop",
    error: new Deno.errors.FilesystemLoop(
      "Too many levels of symbolic links (os error 40): stat '/srv/a'",
    ),
    code: "ERR_PATH_TYPE",
    message: 'Cannot use "/srv/a": its symbolic links form a loop',
    remedy: /looping symbolic link/,
  },
  {
    name: "Interrupted",
    error: new Deno.errors.Interrupted("Interrupted system call (os error 4)"),
    options: { action: "read the journal" },
    code: "ERR_IO_FAILED",
    message: "Cannot read the journal: a signal interrupted the operation",
    remedy: /^Run the command again$/,
  },
  {
    name: "BrokenPipe",
    error: new Deno.errors.BrokenPipe("Broken pipe (os error 32)"),
    options: { action: "write the output" },
    code: "ERR_IO_FAILED",
    message: "Cannot write the output: the reading end went away (broken pipe)",
    remedy: /`head` that quits early/,
  },
  {
    name: "UnexpectedEof",
    error: new Deno.errors.UnexpectedEof("unexpected end of file"),
    code: "ERR_IO_FAILED",
    message: "Cannot finish the command: the data ended early",
  },
  {
    name: "Busy",
    error: new Deno.errors.Busy(
      "Device or resource busy (os error 16): remove '/srv/mnt'",
    ),
    code: "ERR_IO_FAILED",
    message:
      'Cannot use "/srv/mnt": it is busy (in use by another process, or a mount point)',
    remedy: /fuser/,
  },
  {
    name: "NotSupported",
    error: new Deno.errors.NotSupported(
      "Operation not supported (os error 95)",
    ),
    code: "ERR_IO_FAILED",
    message:
      "Cannot finish the command: the file system does not support the operation",
    remedy: /local file system/,
  },
  {
    name: "an error of the system Deno has no class for (EIO)",
    error: new Error("Input/output error (os error 5): readfile '/srv/x'"),
    code: "ERR_IO_FAILED",
    message: 'Cannot use "/srv/x": Input/output error (os error 5)',
  },
  {
    name: "TimedOut",
    error: new Deno.errors.TimedOut("Connection timed out (os error 110)"),
    options: { action: "reach legerd" },
    code: "ERR_NETWORK_FAILED",
    message: "Cannot reach legerd: the connection timed out",
    remedy: /^Check the network connection/,
  },
  {
    name: "ConnectionRefused",
    error: new Deno.errors.ConnectionRefused(
      "Connection refused (os error 111)",
    ),
    options: { action: "reach legerd" },
    code: "ERR_NETWORK_FAILED",
    message:
      "Cannot reach legerd: the connection was refused (nothing listens there)",
  },
  {
    name: "ConnectionReset",
    error: new Deno.errors.ConnectionReset(
      "Connection reset by peer (os error 104)",
    ),
    code: "ERR_NETWORK_FAILED",
    message: "Cannot finish the command: the other end reset the connection",
  },
  {
    name: "ConnectionAborted",
    error: new Deno.errors.ConnectionAborted(
      "Software caused connection abort (os error 103)",
    ),
    code: "ERR_NETWORK_FAILED",
    message: "Cannot finish the command: the connection was aborted",
  },
  {
    name: "NotConnected",
    error: new Deno.errors.NotConnected(
      "Transport endpoint is not connected (os error 107)",
    ),
    code: "ERR_NETWORK_FAILED",
    message: "Cannot finish the command: the connection is closed",
  },
  {
    name: "AddrInUse",
    error: new Deno.errors.AddrInUse("Address already in use (os error 98)"),
    options: { action: "listen on /run/legerd.sock" },
    code: "ERR_NETWORK_FAILED",
    message:
      "Cannot listen on /run/legerd.sock: another process already uses the address",
    remedy: /^Stop the process that listens there \(`ss -ltnpx`/,
  },
  {
    name: "AddrNotAvailable",
    error: new Deno.errors.AddrNotAvailable(
      "Cannot assign requested address (os error 99)",
    ),
    code: "ERR_NETWORK_FAILED",
    message:
      "Cannot finish the command: the address is not available on this host",
  },
  {
    name: "NetworkUnreachable",
    error: new Deno.errors.NetworkUnreachable(
      "Network is unreachable (os error 101)",
    ),
    code: "ERR_NETWORK_FAILED",
    message: "Cannot finish the command: the network is unreachable",
    remedy: /network connection/,
  },
];

Deno.test("fromSystemError() gives every error of the host a catalogue code, its words and a remedy", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      const error = fromSystemError(c.error, c.options);
      ok(error instanceof LegerError, `${c.name}: no LegerError`);
      strictEqual(error.code, c.code);
      strictEqual(error.message, c.message);
      strictEqual(error.cause, c.error);
      ok(error.remedy.length > 0);
      if (c.remedy === undefined) {
        strictEqual(error.remedy, ERROR_CODES[c.code].remedy);
      } else {
        ok(c.remedy.test(error.remedy), error.remedy);
      }
      // "Cannot run again with --allow-…": never Deno's advice to the user.
      ok(!/run again with/.test(error.message + error.remedy), error.message);
    });
  }
});

Deno.test("fromSystemError() covers every class in Deno.errors a command can meet", () => {
  // The classes that mean a bug in leger, not a condition of the host.
  const bugs = new Set(["BadResource", "Http", "WouldBlock"]);
  const covered = new Set(
    CASES.map((c) => c.error.constructor.name),
  );
  const missing = Object.keys(Deno.errors).filter((name) =>
    !bugs.has(name) && !covered.has(name)
  );
  // WriteZero and InvalidData share ERR_IO_FAILED with UnexpectedEof: checked below.
  deepStrictEqual(missing.sort(), ["InvalidData", "WriteZero"]);
  for (const name of missing) {
    const type = Deno.errors[name as keyof typeof Deno.errors];
    strictEqual(fromSystemError(new type("x"))?.code, "ERR_IO_FAILED", name);
  }
});

Deno.test("fromSystemError() answers null for what is not the host's doing", () => {
  const cases: unknown[] = [
    new TypeError("Cannot read properties of null (reading 'name')"),
    new RangeError("Invalid array length"),
    new Error("a bug"),
    new Deno.errors.BadResource("Bad resource ID"),
    new Deno.errors.Http("connection closed before message completed"),
    new LegerError("ERR_USAGE", "Cannot parse flag"),
    "a string",
    undefined,
  ];
  for (const error of cases) strictEqual(fromSystemError(error), null);
});

Deno.test("SYSTEM_SCOPE_PATHS names the system scope's folders of legerPaths()", () => {
  const paths = legerPaths("system", { home: "/root", env: () => undefined });
  for (const dir of [paths.stateDir, paths.quadletDir, paths.workDir]) {
    ok(
      SYSTEM_SCOPE_PATHS.some((p) => dir === p || dir.startsWith(`${p}/`)),
      dir,
    );
  }
});
