/**
 * `deno task compile` as a whole: {@linkcode runCompile} with a fake
 * machine (a `deno compile` that writes small files, binaries that answer
 * what each case says, stop signals sent by the test), and the real task as
 * a subprocess: without any denort (exit 77), with files that are not a
 * denort, with real `deno compile` (the deno CLI, its own mark blanked out,
 * stands in for denort: the result is not leger and is refused), and
 * stopped by SIGTERM while `deno compile` runs. The parts are tested beside
 * their modules in tools/compile/.
 *
 * No test needs the network: the probe of dl.deno.land goes through
 * `HTTPS_PROXY`, pointed at a closed loopback port, or through an injected
 * `fetch`.
 *
 * @module
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import denoJson from "../deno.json" with { type: "json" };
import { DENO_DIR, ROOT } from "../tests/_leger.ts";
import { listTree, tempFolder } from "../tests/_folders.ts";
import { spawnCaptured } from "../tests/_spawn.ts";
import { permissionFlags } from "./permission_flags.ts";
import { writeBlankedDenoCli, writeStandIn } from "./compile/_fixtures.ts";
import {
  compileCommands,
  type CompileDeps,
  EXIT_SKIPPED,
  runCompile,
  type StopSignal,
  SUPPORTED_TARGETS,
  type Target,
  VERSION_TIMEOUT_MS,
} from "./compile.ts";

const X86 = "x86_64-unknown-linux-gnu";
const ARM = "aarch64-unknown-linux-gnu";
const VERSION = denoJson.version;
const HOST_SUPPORTED = (SUPPORTED_TARGETS as readonly string[]).includes(
  Deno.build.target,
);
/** What the name of a test that needs a supported machine says elsewhere. */
const HOST_IGNORED = HOST_SUPPORTED
  ? ""
  : ` (ignored: leger is built on ${
    SUPPORTED_TARGETS.join(" or ")
  }, not ${Deno.build.target})`;

// --- the build, with a fake machine ------------------------------------------------

interface FakeMachine {
  deps: CompileDeps;
  compiled: string[];
  versioned: string[];
  out: string[];
  err: string[];
  /** The listener of stop signals, while one is registered. */
  stop?: (signal: StopSignal) => void;
}

/**
 * Deps for an x86_64 machine whose `deno compile` writes a small file at
 * `--output` naming the program and target, and whose binaries print
 * `<program> <version>` (or what `prints` says; `null`: no answer in time).
 */
function fakeMachine(options: {
  denoDir: string;
  env?: Record<string, string>;
  fetch?: typeof fetch;
  failCompile?: string;
  prints?: (program: string) => string | null;
  /** Called as `deno compile` of a program starts (to send a signal). */
  onCompile?: (machine: FakeMachine, program: string) => void;
}): FakeMachine {
  const machine: FakeMachine = {
    compiled: [],
    versioned: [],
    out: [],
    err: [],
    deps: {
      hostTarget: X86,
      env: (name) => options.env?.[name],
      cwd: () => "/nonexistent/cwd",
      denoDir: () => Promise.resolve(options.denoDir),
      fetch: options.fetch ??
        (() => Promise.resolve(new Response(null, { status: 200 }))),
      deno: async (args, { signal }) => {
        strictEqual(args[0], "compile");
        strictEqual(args[1], "--quiet");
        const output = args[args.indexOf("--output") + 1];
        const target = args[args.indexOf("--target") + 1];
        const program = args.at(-1) === "cli/main.ts" ? "leger" : "legerd";
        machine.compiled.push(`${program} ${target}`);
        options.onCompile?.(machine, program);
        // Stopped: deno compile leaves its temporary file behind.
        if (signal.aborted) {
          await Deno.writeTextFile(`${output}.tmp-1234`, "partial");
          return false;
        }
        if (options.failCompile === program) return false;
        await Deno.writeTextFile(output, `${program} ${target}`);
        return true;
      },
      version: async (path) => {
        const [program] = (await Deno.readTextFile(path)).split(" ");
        machine.versioned.push(await Deno.readTextFile(path));
        const stdout = options.prints
          ? options.prints(program)
          : `${program} ${VERSION}\n`;
        if (stdout === null) return { timedOutAfterMs: VERSION_TIMEOUT_MS };
        return { code: 0, stdout };
      },
      onStopSignal: (listener) => {
        machine.stop = listener;
        return () => machine.stop = undefined;
      },
      out: (text) => machine.out.push(text),
      err: (text) => machine.err.push(text),
    },
  };
  return machine;
}

Deno.test("runCompile() builds leger and legerd for this machine, checks their version, and prints their paths", async () => {
  await using dir = await tempFolder();
  const machine = fakeMachine({ denoDir: dir.path });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), 0);
  deepStrictEqual(machine.compiled, [`leger ${X86}`, `legerd ${X86}`]);
  deepStrictEqual(machine.versioned, [`leger ${X86}`, `legerd ${X86}`]);
  deepStrictEqual(await listTree(out), ["leger", "legerd"]);
  strictEqual(await Deno.readTextFile(`${out}/legerd`), `legerd ${X86}`);
  deepStrictEqual(machine.out, [`${out}/leger\n${out}/legerd\n`]);
  deepStrictEqual(machine.err, [
    `leger ${VERSION} for ${X86}: denort to be downloaded (https://dl.deno.land/release/v${Deno.version.deno}/denort-${X86}.zip)\n`,
    `Compiling leger for ${X86}\n`,
    `Compiling legerd for ${X86}\n`,
  ]);
  strictEqual(
    machine.stop,
    undefined,
    "the stop signals are listened to still",
  );
});

Deno.test("runCompile() replaces older binaries, leaving nothing else behind", async () => {
  await using dir = await tempFolder({
    "dist/leger": "old leger",
    "dist/legerd": "old legerd",
    "dist/README": "kept",
  });
  const machine = fakeMachine({ denoDir: dir.path });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), 0);
  deepStrictEqual(await listTree(out), ["README", "leger", "legerd"]);
  strictEqual(await Deno.readTextFile(`${out}/leger`), `leger ${X86}`);
});

Deno.test("runCompile() builds both targets with --target all, runs only this machine's binaries, and says the others were not run", async () => {
  await using dir = await tempFolder();
  const machine = fakeMachine({ denoDir: dir.path });
  const out = `${dir.path}/dist`;
  strictEqual(
    await runCompile(["--target", "all", "--output", out], machine.deps),
    0,
  );
  deepStrictEqual(machine.versioned, [`leger ${X86}`, `legerd ${X86}`]);
  deepStrictEqual(await listTree(out), [
    ARM,
    `${ARM}/leger`,
    `${ARM}/legerd`,
    X86,
    `${X86}/leger`,
    `${X86}/legerd`,
  ]);
  deepStrictEqual(machine.out, [
    [X86, ARM].flatMap((t) => [`${out}/${t}/leger\n`, `${out}/${t}/legerd\n`])
      .join(""),
  ]);
  strictEqual(
    machine.err.at(-1),
    `${out}/${ARM}/leger, ${out}/${ARM}/legerd: not run: built for ${ARM}, which this machine (${X86}) cannot run; run \`leger --version\` and \`legerd --version\` on a ${ARM} machine to check them\n`,
  );
});

Deno.test("runCompile() builds another target with a DENORT_BIN that holds a denort's marks, and says it was not run", async () => {
  await using dir = await tempFolder();
  const denort = await writeStandIn(`${dir.path}/denort`, 183);
  const machine = fakeMachine({
    denoDir: dir.path,
    env: { DENORT_BIN: denort },
    fetch: noFetch,
  });
  const out = `${dir.path}/dist`;
  strictEqual(
    await runCompile(["--target", ARM, "--output", out], machine.deps),
    0,
  );
  deepStrictEqual(machine.compiled, [`leger ${ARM}`, `legerd ${ARM}`]);
  deepStrictEqual(machine.versioned, []);
  const err = machine.err.join("");
  ok(
    err.includes(
      `leger ${VERSION} for ${ARM}: denort from DENORT_BIN (${denort}; checked without running it: an ELF executable for ${ARM}, not the deno CLI, holding "Deno/${Deno.version.deno}" and "${Deno.version.v8}")\n`,
    ),
    err,
  );
  match(
    err,
    new RegExp(
      `/dist/legerd: not run: built for ${ARM}, which this machine \\(${X86}\\) cannot run`,
    ),
  );
});

Deno.test("runCompile() leaves no binary when one does not print deno.json's version in time", async (t) => {
  const cases: [string, (program: string) => string | null, RegExp][] = [
    [
      "the deno CLI as denort",
      () => "deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)\n",
      /printed "deno 2\.9\.6 \(stable, release, x86_64-unknown-linux-gnu\)", not "legerd? [^"]+"\n {2}Nothing was written to .*\n {2}The binary is the deno CLI: set DENORT_BIN to the `denort` inside denort-x86_64-unknown-linux-gnu\.zip, not to `deno`\n$/,
    ],
    [
      "legerd of another version",
      (program) => `${program} ${program === "legerd" ? "0.0.9" : VERSION}\n`,
      /^Cannot use the compiled legerd for x86_64-unknown-linux-gnu: `legerd --version` exited 0 and printed "legerd 0\.0\.9", not "legerd [^"]+"/,
    ],
    ["nothing", () => "", /and printed nothing, not "leger /],
    [
      "no answer in time",
      () => null,
      /^Cannot use the compiled leger for x86_64-unknown-linux-gnu: `leger --version` did not answer within 30 s, so it was killed\n {2}Nothing was written to .*\n {2}Check that DENORT_BIN, if set, is the `denort` of this Deno's release/,
    ],
  ];
  for (const [name, prints, message] of cases) {
    await t.step(name, async () => {
      await using dir = await tempFolder();
      const machine = fakeMachine({ denoDir: dir.path, prints });
      const out = `${dir.path}/dist`;
      strictEqual(await runCompile(["--output", out], machine.deps), 1);
      match(machine.err.at(-1)!, message);
      deepStrictEqual(machine.out, []);
      // The folder it created is gone, with the hidden one it built in.
      deepStrictEqual(await listTree(dir.path), []);
    });
  }
});

Deno.test("runCompile() leaves no binary, and older ones as they were, when deno compile fails", async () => {
  await using dir = await tempFolder({
    "dist/README": "kept\n",
    "dist/leger": "old leger",
  });
  const machine = fakeMachine({ denoDir: dir.path, failCompile: "legerd" });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), 1);
  deepStrictEqual(machine.compiled, [`leger ${X86}`, `legerd ${X86}`]);
  strictEqual(
    machine.err.at(-1),
    `Cannot compile legerd for ${X86}: \`deno compile\` failed (its error is above)\n  Nothing was written to ${out}\n`,
  );
  deepStrictEqual(await listTree(out), ["README", "leger"]);
  strictEqual(await Deno.readTextFile(`${out}/leger`), "old leger");
});

Deno.test("runCompile() checks where the binaries go before building anything", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    setup?: (dir: string) => Promise<void>;
    output: string;
    message: (dir: string) => string;
  }[] = [
    {
      // The tester's case: an old leger beside a folder named legerd.
      name: "a folder where a binary goes",
      files: { "dist/leger": "OLD\n", "dist/legerd/x": "" },
      output: "dist",
      message: (d) =>
        `Cannot put legerd at ${d}/dist/legerd: a folder is there\n  Remove it (\`rm -r ${d}/dist/legerd\`), or pass --output another folder\n`,
    },
    {
      name: "an existing file as --output",
      files: { afile: "x\n" },
      output: "afile",
      message: (d) =>
        `Cannot put the binaries in ${d}/afile: it is a file, not a folder\n  Pass --output a folder (it is created if missing), or remove the file\n`,
    },
    {
      name: "a dangling symbolic link as --output",
      files: {},
      setup: (d) => Deno.symlink(`${d}/gone`, `${d}/dist`),
      output: "dist",
      message: (d) =>
        `Cannot put the binaries in ${d}/dist: it is a symbolic link to "${d}/gone", which does not exist\n  Create the folder it points to (\`mkdir -p ${d}/gone\`), or pass --output another folder\n`,
    },
    {
      name: "a file under which a folder goes",
      files: { afile: "x\n" },
      output: "afile/dist",
      message: (d) =>
        `Cannot put the binaries in ${d}/afile/dist: the folder cannot be created: Not a directory (os error 20)\n  Pass --output a folder this user may write to (it is created if missing)\n`,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using dir = await tempFolder(c.files);
      await c.setup?.(dir.path);
      const before = await listTree(dir.path);
      const machine = fakeMachine({ denoDir: dir.path });
      strictEqual(
        await runCompile(["--output", `${dir.path}/${c.output}`], machine.deps),
        1,
      );
      deepStrictEqual(machine.compiled, []);
      strictEqual(machine.err.at(-1), c.message(dir.path));
      deepStrictEqual(await listTree(dir.path), before);
      if (c.files["dist/leger"]) {
        strictEqual(await Deno.readTextFile(`${dir.path}/dist/leger`), "OLD\n");
      }
    });
  }
});

Deno.test("runCompile() takes a relative --output from the folder deno task was run in (INIT_CWD)", async () => {
  await using dir = await tempFolder({ "sub/.keep": "" });
  const machine = fakeMachine({
    denoDir: dir.path,
    env: { INIT_CWD: `${dir.path}/sub` },
  });
  strictEqual(await runCompile(["--output", "../out"], machine.deps), 0);
  deepStrictEqual(machine.out, [
    `${dir.path}/out/leger\n${dir.path}/out/legerd\n`,
  ]);
});

Deno.test("runCompile() removes the staging folders of killed builds", async () => {
  const child = new Deno.Command("true").spawn();
  await child.status;
  const stale = `.compile-${child.pid}-0abc`;
  await using dir = await tempFolder({
    [`dist/${stale}/leger.tmp-77`]: "partial",
  });
  const machine = fakeMachine({ denoDir: dir.path });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), 0);
  deepStrictEqual(await listTree(out), ["leger", "legerd"]);
  ok(machine.err.includes(
    `Removed ${out}/${stale}: left by a build that was killed (its process is gone)\n`,
  ));
});

Deno.test("runCompile() stops at a stop signal: deno compile is stopped, then nothing is left and it exits 128 + the signal", async (t) => {
  for (
    const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130], [
      "SIGHUP",
      129,
    ]] as const
  ) {
    await t.step(signal, async () => {
      await using dir = await tempFolder({ "dist/leger": "old leger" });
      const machine = fakeMachine({
        denoDir: dir.path,
        onCompile: (m, program) => {
          if (program === "leger") m.stop!(signal);
        },
      });
      const out = `${dir.path}/dist`;
      strictEqual(await runCompile(["--output", out], machine.deps), code);
      deepStrictEqual(machine.compiled, [`leger ${X86}`]);
      strictEqual(
        machine.err.at(-1),
        `Stopped by ${signal}: the build was stopped, and nothing was written to ${out}\n`,
      );
      deepStrictEqual(await listTree(out), ["leger"]);
      strictEqual(await Deno.readTextFile(`${out}/leger`), "old leger");
      strictEqual(machine.stop, undefined);
    });
  }
});

/** A fetch that fails the test if called. */
function noFetch(): Promise<Response> {
  throw new Error("fetch called");
}

Deno.test("runCompile() builds nothing without a denort: exit 77 before any deno compile", async () => {
  await using dir = await tempFolder();
  const machine = fakeMachine({
    denoDir: dir.path,
    fetch: () => Promise.resolve(new Response(null, { status: 404 })),
  });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), EXIT_SKIPPED);
  deepStrictEqual(machine.compiled, []);
  match(machine.err.join(""), /^Cannot compile leger: no denort for x86_64/);
  deepStrictEqual(await listTree(dir.path), []);
});

Deno.test("runCompile() checks DENORT_BIN before building anything", async () => {
  await using dir = await tempFolder();
  const arm = await writeStandIn(`${dir.path}/denort`, 183);
  const armProgram = await writeStandIn(`${dir.path}/arm64`, 183, ["hello"]);
  const cases: [string, string[], number, RegExp][] = [
    [
      arm,
      [],
      1,
      new RegExp(
        `it is built for ${ARM} \\(ELF machine 183\\), not for ${X86}`,
      ),
    ],
    [arm, ["--target", "all"], 2, /with DENORT_BIN set/],
    ["", [], 1, /^Cannot use DENORT_BIN "": it is set but empty/],
    [armProgram, ["--target", ARM], 1, /it is not a denort of Deno/],
  ];
  for (const [denortBin, args, code, message] of cases) {
    const machine = fakeMachine({
      denoDir: dir.path,
      env: { DENORT_BIN: denortBin },
      fetch: noFetch,
    });
    strictEqual(
      await runCompile([...args, "--output", `${dir.path}/dist`], machine.deps),
      code,
    );
    match(machine.err.join(""), message);
    deepStrictEqual(machine.compiled, []);
  }
  deepStrictEqual(await listTree(dir.path), ["arm64", "denort"]);
});

Deno.test("runCompile() prints its help for --help whatever else is given, and refuses a bad command line with exit 2", async () => {
  await using dir = await tempFolder();
  for (
    const args of [["--help"], ["--help", "--target", "bogus"], [
      "--target",
      "all",
      "--target",
      X86,
      "-h",
    ]]
  ) {
    const help = fakeMachine({ denoDir: dir.path });
    strictEqual(await runCompile(args, help.deps), 0);
    match(help.out.join(""), /^usage: deno task compile/);
    deepStrictEqual(help.compiled, []);
  }
  for (
    const args of [["--target", "arm64"], ["--target", "all", "--target", X86]]
  ) {
    const bad = fakeMachine({ denoDir: dir.path });
    strictEqual(await runCompile(args, bad.deps), 2);
    deepStrictEqual(bad.out, []);
    deepStrictEqual(bad.compiled, []);
  }
});

// --- the real task, as a subprocess -------------------------------------------------

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test({
  name:
    `deno task compile without a denort exits 77, says why and builds nothing${HOST_IGNORED}`,
  ignore: !HOST_SUPPORTED,
  fn: async () => {
    await using dir = await tempFolder();
    // An empty Deno cache, but for the npm packages deno.lock names, which
    // Deno would fetch at start otherwise.
    const denoDir = `${dir.path}/deno`;
    await Deno.mkdir(denoDir);
    await Deno.symlink(`${DENO_DIR}/npm`, `${denoDir}/npm`);
    const port = closedPort();
    const result = await spawnCaptured(
      Deno.execPath(),
      ["task", "compile", "--output", `${dir.path}/dist`],
      {
        cwd: ROOT,
        clearEnv: true,
        env: {
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          HOME: dir.path,
          DENO_DIR: denoDir,
          NO_COLOR: "1",
          // Deno's fetch takes the probe of dl.deno.land through this
          // proxy: a closed port, so the test needs no network either way.
          HTTPS_PROXY: `http://127.0.0.1:${port}`,
        },
      },
    );
    const target = Deno.build.target;
    strictEqual(result.code, EXIT_SKIPPED, result.stderr);
    strictEqual(result.stdout, "");
    match(
      result.stderr,
      new RegExp(
        `^Cannot compile leger: no denort for ${target} \\(DENORT_BIN is not set, Deno's cache has none, dl\\.deno\\.land is unreachable\\), so nothing was built$`,
        "m",
      ),
    );
    ok(result.stderr.includes(
      `  ${target}: Deno's cache has no ${denoDir}/dl/release/v${Deno.version.deno}/denort-${target}.zip\n`,
    ));
    match(
      result.stderr,
      new RegExp(
        `  ${target}: https://dl\\.deno\\.land/release/v${Deno.version.deno}/denort-${target}\\.zip: .*Connection refused.* \\(through the proxy HTTPS_PROXY names\\)\\n`,
      ),
    );
    match(result.stderr, /set DENORT_BIN to the `denort` of Deno /);
    deepStrictEqual(await listTree(`${dir.path}/dist`), []);
    ok(!(await listTree(dir.path)).includes("dist"));
  },
});

/**
 * The metadata `deno compile` (Deno 2.9) appends to a binary: the JSON
 * after `{"argv":`'s 8-byte little-endian length. The permissions, the V8
 * flags and the unstable features are those the binary runs with.
 */
async function standaloneMetadata(path: string): Promise<{
  permissions: Record<string, string[] | null | boolean>;
  v8_flags: string[];
  unstable_config: { features: string[] };
  entrypoint_key: string;
  app_version: string;
}> {
  const bytes = Buffer.from(await Deno.readFile(path));
  const at = bytes.lastIndexOf('{"argv":');
  ok(at > 8, `no deno compile metadata in ${path}: has Deno's format changed?`);
  const length = Number(bytes.readBigUInt64LE(at - 8));
  return JSON.parse(bytes.subarray(at, at + length).toString("utf8"));
}

/** What a program's task flags grant, in the metadata's terms. */
function grantedBy(flags: readonly string[]): {
  allow: Record<string, string[] | null>;
  v8: string[];
  unstable: string[];
} {
  const allow: Record<string, string[] | null> = {};
  for (const kind of ["env", "net", "ffi", "read", "run", "sys", "write"]) {
    allow[`allow_${kind}`] = null;
  }
  const v8: string[] = [];
  const unstable: string[] = [];
  for (const flag of flags) {
    const permission = /^--allow-(\w+)(?:=(.*))?$/.exec(flag);
    if (permission) {
      allow[`allow_${permission[1]}`] = permission[2]?.split(",") ?? [];
    } else if (flag.startsWith("--v8-flags=")) {
      v8.push(...flag.slice("--v8-flags=".length).split(","));
    } else if (flag.startsWith("--unstable-")) {
      unstable.push(flag.slice("--unstable-".length));
    } else throw new Error(`unexpected flag ${flag}`);
  }
  return { allow, v8, unstable };
}

Deno.test({
  name:
    `compileCommands()'s command lines, run by the real deno compile, give binaries exactly their task's permissions and deno.json's version${HOST_IGNORED}`,
  ignore: !HOST_SUPPORTED,
  fn: async () => {
    await using dir = await tempFolder();
    const steps = compileCommands([Deno.build.target as Target], {
      outputDir: dir.path,
    });
    for (const step of steps) {
      // The deno CLI stands in for denort (none can be downloaded here):
      // deno compile appends the same program and metadata to it.
      const result = await spawnCaptured(Deno.execPath(), step.args, {
        cwd: ROOT,
        env: { DENORT_BIN: Deno.execPath(), NO_COLOR: "1" },
      });
      strictEqual(result.code, 0, result.stderr);
      const metadata = await standaloneMetadata(step.output);
      const { allow, v8, unstable } = grantedBy(permissionFlags(step.program));
      for (const [kind, granted] of Object.entries(allow)) {
        deepStrictEqual(
          metadata.permissions[kind],
          granted,
          `${step.program} ${kind}`,
        );
      }
      for (const flag of v8) ok(metadata.v8_flags.includes(flag), flag);
      deepStrictEqual(metadata.unstable_config.features, unstable);
      strictEqual(metadata.entrypoint_key, step.args.at(-1));
      strictEqual(metadata.app_version, VERSION);
      await Deno.remove(step.output);
    }
  },
});

/** An environment without the caller's DENORT_BIN or proxies, whose probe of dl.deno.land meets a closed port. */
function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    DENO_DIR,
    NO_COLOR: "1",
    HTTPS_PROXY: `http://127.0.0.1:${closedPort()}`,
  };
}

Deno.test({
  name:
    `deno task compile stops with a message and its exit code, never a stack trace, for a bad DENORT_BIN, output or command line${HOST_IGNORED}`,
  ignore: !HOST_SUPPORTED,
  fn: async (t) => {
    await using dir = await tempFolder({ afile: "x\n", "d/leger/x": "" });
    const d = dir.path;
    await Deno.symlink(`${d}/gone`, `${d}/dangling`);
    const armProgram = await writeStandIn(`${d}/arm64`, 183, ["hello"]);
    const cases: {
      name: string;
      args: string[];
      env?: Record<string, string>;
      code: number;
      message: RegExp;
    }[] = [
      {
        name: "DENORT_BIN set but empty",
        args: [],
        env: { DENORT_BIN: "" },
        code: 1,
        message: /^Cannot use DENORT_BIN "": it is set but empty/,
      },
      {
        name: "a program for aarch64 that is not denort",
        args: ["--target", ARM],
        env: { DENORT_BIN: armProgram },
        code: 1,
        message: new RegExp(
          `^Cannot use DENORT_BIN "${armProgram}": it is not a denort of Deno ${Deno.version.deno}: its bytes lack "Deno/`,
        ),
      },
      {
        name: "an existing file as --output",
        args: ["--output", `${d}/afile`],
        code: 1,
        message: /: it is a file, not a folder\n/,
      },
      {
        name: "a dangling symbolic link as --output",
        args: ["--output", `${d}/dangling`],
        code: 1,
        message:
          /: it is a symbolic link to ".*\/gone", which does not exist\n/,
      },
      {
        name: "a folder where leger goes",
        args: ["--output", `${d}/d`],
        code: 1,
        message: new RegExp(
          `^Cannot put leger at ${d}/d/leger: a folder is there\n`,
        ),
      },
      {
        name: "--target twice",
        args: ["--target", "all", "--target", X86],
        code: 2,
        message: /^Cannot use --target more than once/,
      },
      {
        name: "--help among bad flags",
        args: ["--help", "--target", "bogus"],
        code: 0,
        message: /^$/,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const before = await listTree(d);
        const result = await spawnCaptured(
          Deno.execPath(),
          ["task", "-q", "compile", ...c.args],
          {
            cwd: ROOT,
            clearEnv: true,
            env: { ...isolatedEnv(d), ...c.env },
          },
        );
        strictEqual(result.code, c.code, result.stderr);
        match(result.stderr, c.message);
        ok(!/Uncaught|\n +at /.test(result.stderr), result.stderr);
        deepStrictEqual(await listTree(d), before);
        if (c.code === 0) match(result.stdout, /^usage: deno task compile/);
      });
    }
  },
});

Deno.test({
  name:
    `deno task compile runs real deno compile without its listing of embedded files, refuses a binary that is not leger, and leaves nothing (relative --output from the caller's folder)${HOST_IGNORED}`,
  ignore: !HOST_SUPPORTED,
  fn: async () => {
    await using dir = await tempFolder({ "sub/.keep": "" });
    const denort = await writeBlankedDenoCli(`${dir.path}/denort`);
    const result = await spawnCaptured(
      Deno.execPath(),
      [
        "task",
        "-q",
        "--config",
        `${ROOT}/deno.json`,
        "compile",
        "--output",
        "out",
      ],
      {
        cwd: `${dir.path}/sub`,
        clearEnv: true,
        env: { ...isolatedEnv(dir.path), DENORT_BIN: denort },
      },
    );
    strictEqual(result.code, 1, result.stderr);
    strictEqual(result.stdout, "");
    deepStrictEqual(result.stderr.split("\n"), [
      `leger ${VERSION} for ${Deno.build.target}: denort from DENORT_BIN (${denort}; checked without running it: an ELF executable for ${Deno.build.target}, not the deno CLI, holding "Deno/${Deno.version.deno}" and "${Deno.version.v8}")`,
      `Compiling leger for ${Deno.build.target}`,
      `Cannot use the compiled leger for ${Deno.build.target}: \`leger --version\` exited 0 and printed "deno ${Deno.version.deno} (stable, release, ${Deno.build.target})", not "leger ${VERSION}"`,
      `  Nothing was written to ${dir.path}/sub/out`,
      `  The binary is the deno CLI: set DENORT_BIN to the \`denort\` inside denort-${Deno.build.target}.zip, not to \`deno\``,
      "",
    ]);
    deepStrictEqual(await listTree(dir.path), ["denort", "sub", "sub/.keep"]);
  },
});

/** The children of a process, from /proc, with their command lines. */
async function children(
  pid: number,
): Promise<{ pid: number; argv: string[] }[]> {
  const found = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== pid) continue;
      const argv = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`))
        .split("\0");
      found.push({ pid: Number(entry.name), argv });
    } catch (error) {
      // It has exited meanwhile.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found;
}

Deno.test({
  name:
    "tools/compile.ts stopped by SIGTERM stops its deno compile child first, removes what it made and exits 143",
  ignore: !HOST_SUPPORTED || Deno.build.os !== "linux",
  fn: async () => {
    await using dir = await tempFolder();
    const denort = await writeBlankedDenoCli(`${dir.path}/denort`);
    const out = `${dir.path}/dist`;
    // The script itself, as the compile task runs it (not deno task, which
    // would be the process signalled).
    const words = denoJson.tasks.compile.split(/\s+/);
    strictEqual(words[0], "deno");
    const script = new Deno.Command(Deno.execPath(), {
      args: [...words.slice(1), "--output", out],
      cwd: ROOT,
      clearEnv: true,
      env: { ...isolatedEnv(dir.path), DENORT_BIN: denort },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Polled, 60 s at most: deno compile under way.
    let compile: { pid: number; argv: string[] } | undefined;
    for (const deadline = Date.now() + 60_000; compile === undefined;) {
      compile = (await children(script.pid)).find((c) =>
        c.argv[1] === "compile"
      );
      if (compile === undefined && Date.now() > deadline) {
        script.kill("SIGKILL");
        throw new Error("deno compile never started");
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    script.kill("SIGTERM");
    const { code, stdout, stderr } = await script.output();
    const err = new TextDecoder().decode(stderr);
    strictEqual(code, 143, err);
    strictEqual(new TextDecoder().decode(stdout), "");
    strictEqual(
      err.split("\n").at(-2),
      `Stopped by SIGTERM: the build was stopped, and nothing was written to ${out}`,
    );
    // Gone, and reaped by the script before it exited.
    strictEqual(
      await Deno.lstat(`/proc/${compile.pid}`).then(() => true, () => false),
      false,
      `deno compile (${compile.pid}) still runs`,
    );
    deepStrictEqual(await listTree(dir.path), ["denort"]);
  },
});
