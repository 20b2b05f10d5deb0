import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { CommandError } from "./command_error.ts";
import { fakeRunner } from "./fake_runner.ts";
import { processesInFolder } from "./processes_in_folder.ts";

/** A real process working in `cwd` until `end()` closes its stdin (`cat`). */
function catIn(cwd: string): { pid: number; end(): Promise<void> } {
  const child = new Deno.Command("cat", {
    cwd,
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    pid: child.pid,
    async end() {
      await child.stdin.close().catch(() => {});
      await child.status;
    },
  };
}

/** Real processes in, under and beside a folder: what each way of reading finds. */
async function findsRealProcesses(): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "leger_proc_" });
  // A name ls must quote: a space, a quote, a backslash, an arrow, a newline, é.
  const staged = `${root}/.web "c1\\ -> \n é`;
  await Deno.mkdir(`${staged}/sub`, { recursive: true });
  await Deno.mkdir(`${staged}2`);
  const inside = catIn(staged);
  const under = catIn(`${staged}/sub`);
  const beside = catIn(`${staged}2`);
  try {
    const found = await processesInFolder(staged);
    // Deno starts a program by its path on PATH (`/usr/bin/cat`).
    deepStrictEqual(
      found.map((p) => ({
        ...p,
        commandLine: p.commandLine.split("/").at(-1),
      })),
      [
        { pid: inside.pid, cwd: staged, commandLine: "cat" },
        { pid: under.pid, cwd: `${staged}/sub`, commandLine: "cat" },
      ].sort((a, b) => a.pid - b.pid),
    );
    // A trailing slash names the same folder.
    strictEqual((await processesInFolder(`${staged}/`)).length, 2);
    await inside.end();
    await under.end();
    deepStrictEqual(await processesInFolder(staged), []);
  } finally {
    await Promise.all([inside.end(), under.end(), beside.end()]);
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test(
  "processesInFolder() finds the real processes working in a folder or under it, read by Deno",
  findsRealProcesses,
);

Deno.test(
  {
    name:
      "processesInFolder() finds them with ls and cat when Deno may not read /proc (leger's own permissions)",
    // Without --allow-all Deno reads nothing under /proc.
    permissions: { read: true, write: true, run: ["cat", "ls"] },
  },
  async () => {
    await rejects(
      Array.fromAsync(Deno.readDir("/proc")),
      Deno.errors.NotCapable,
    );
    await findsRealProcesses();
  },
);

Deno.test("processesInFolder() matches a folder by its real path, and a deleted one", async () => {
  const root = await Deno.makeTempDir({ prefix: "leger_proc_" });
  const staged = `${root}/real/.web.c1`;
  await Deno.mkdir(staged, { recursive: true });
  // As /home -> /var/home on Fedora Atomic: the kernel names the real path.
  await Deno.symlink(`${root}/real`, `${root}/link`);
  const proc = `${root}/proc`;
  const processes: [string, string][] = [
    ["101", staged],
    ["102", `${staged} (deleted)`],
    ["103", `${staged}0`],
    ["104", "/"],
  ];
  for (const [pid, cwd] of processes) {
    await Deno.mkdir(`${proc}/${pid}`, { recursive: true });
    await Deno.symlink(cwd, `${proc}/${pid}/cwd`);
    await Deno.writeTextFile(`${proc}/${pid}/cmdline`, `prog\0${pid}\0`);
  }
  // Not a process; one that ends as it is read (no cmdline any more).
  await Deno.mkdir(`${proc}/self`);
  await Deno.mkdir(`${proc}/105`);
  await Deno.symlink(staged, `${proc}/105/cwd`);
  try {
    deepStrictEqual(
      await processesInFolder(`${root}/link/.web.c1`, { procDir: proc }),
      [
        { pid: 101, cwd: staged, commandLine: "prog 101" },
        { pid: 102, cwd: `${staged} (deleted)`, commandLine: "prog 102" },
      ],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("processesInFolder() finds nothing without a /proc", async () => {
  deepStrictEqual(
    await processesInFolder("/staged/.web.c1", {
      procDir: "/nonexistent/proc",
    }),
    [],
  );
});

Deno.test(
  {
    name:
      "processesInFolder() reads ls's quoting and skips what ls cannot read",
    permissions: { read: false },
  },
  async () => {
    const runner = fakeRunner([
      {
        bin: "ls",
        args: ["-1", "-U", "--", "/proc"],
        result: { stdout: "fs\n1\n7\n8\n9\n10\nself\n" },
      },
      {
        bin: "ls",
        args: [
          "-l",
          "-d",
          "-n",
          "--quoting-style=c",
          "--",
          "/proc/1/cwd",
          "/proc/7/cwd",
          "/proc/8/cwd",
          "/proc/9/cwd",
          "/proc/10/cwd",
        ],
        result: {
          code: 2,
          stdout: [
            'lrwxrwxrwx 1 0 0 0 Dec  1 00:01 "/proc/1/cwd"',
            'lrwxrwxrwx 1 0 0 0 Dec  1 00:01 "/proc/7/cwd" -> "/s/.w \\"c1\\\\ -> \\n \\303\\251/sub"',
            'lrwxrwxrwx 1 0 0 0 Dec  1 00:01 "/proc/8/cwd" -> "/s/.w \\"c1\\\\ -> \\n \\303\\251"',
            'lrwxrwxrwx 1 0 0 0 Dec  1 00:01 "/proc/9/cwd" -> "/s/.w \\"c1\\\\ -> \\n \\303\\2512"',
            "",
          ].join("\n"),
          stderr: [
            "/usr/bin/ls: cannot read symbolic link '/proc/1/cwd': Permission denied",
            "/usr/bin/ls: cannot access '/proc/10/cwd': No such file or directory",
            "",
          ].join("\n"),
        },
      },
      {
        bin: "cat",
        args: ["/proc/7/cmdline"],
        result: { stdout: "podman\0quadlet\0install\0--\0web.container\0" },
      },
      {
        bin: "cat",
        args: ["/proc/8/cmdline"],
        // It ended between the two reads.
        result: {
          code: 1,
          stderr: "cat: /proc/8/cmdline: No such file or directory\n",
        },
      },
    ]);
    deepStrictEqual(
      await processesInFolder('/s/.w "c1\\ -> \n é', { runner }),
      [{
        pid: 7,
        cwd: '/s/.w "c1\\ -> \n é/sub',
        commandLine: "podman quadlet install -- web.container",
      }],
    );
    runner.assertAllCalled();
    strictEqual(
      runner.calls.every((call) => call.options.env?.LC_ALL === "C"),
      true,
      "ls and cat must speak the C locale, whose messages are matched",
    );
  },
);

Deno.test(
  {
    name:
      "processesInFolder() finds nothing when ls finds no /proc, and reports any other ls failure",
    permissions: { read: false },
  },
  async () => {
    const missing = fakeRunner([{
      bin: "ls",
      args: ["-1", "-U", "--", "/proc"],
      result: {
        code: 2,
        stderr: "ls: cannot access '/proc': No such file or directory\n",
      },
    }]);
    deepStrictEqual(
      await processesInFolder("/s", { runner: missing }),
      [],
    );
    const old = fakeRunner([
      {
        bin: "ls",
        args: ["-1", "-U", "--", "/proc"],
        result: { stdout: "7\n" },
      },
      {
        bin: "ls",
        args: ["-l", "-d", "-n", "--quoting-style=c", "--", "/proc/7/cwd"],
        result: {
          code: 2,
          stderr: "ls: unrecognized option '--quoting-style=c'\n",
        },
      },
    ]);
    await rejects(
      processesInFolder("/s", { runner: old }),
      (error: unknown) =>
        error instanceof CommandError &&
        /unrecognized option/.test(error.message),
    );
  },
);
