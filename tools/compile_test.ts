/**
 * `deno task compile`: its command lines against the permission source
 * (deno.json's tasks, read by tools/permission_flags.ts) and the command
 * table, the checks of `DENORT_BIN`, the search for a denort, the build with
 * a fake `deno compile`, and the real task as a subprocess: without any
 * denort (exit 77), and with the deno CLI as DENORT_BIN (real `deno
 * compile` runs; the result is not leger and is refused).
 *
 * No test needs the network: the probe of dl.deno.land goes through
 * `HTTPS_PROXY`, pointed at a closed loopback port, or through an injected
 * `fetch`.
 *
 * @module
 */
import {
  deepStrictEqual,
  match,
  ok,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import { Buffer } from "node:buffer";
import denoJson from "../deno.json" with { type: "json" };
import { GROUPS, TOP_COMMANDS } from "../cli/spec.ts";
import { DENO_DIR, ROOT } from "../tests/_leger.ts";
import { listTree, tempFolder } from "../tests/_folders.ts";
import { spawnCaptured } from "../tests/_spawn.ts";
import { permissionFlags } from "./permission_flags.ts";
import {
  checkDenortBin,
  compileCommands,
  type CompileDeps,
  compileIncludes,
  elfMachine,
  EXIT_SKIPPED,
  findDenorts,
  parseCompileArgs,
  projectVersion,
  runCompile,
  SUPPORTED_TARGETS,
  type Target,
} from "./compile.ts";

const X86 = "x86_64-unknown-linux-gnu";
const ARM = "aarch64-unknown-linux-gnu";
const VERSION = denoJson.version;
const HOST_SUPPORTED = (SUPPORTED_TARGETS as readonly string[]).includes(
  Deno.build.target,
);

// --- the command lines ------------------------------------------------------

/** `import(new URL("<spec>", import.meta.url)…)`: the computed imports. */
const COMPUTED_IMPORT_REGEXP =
  /import\(\s*new URL\(\s*(["'`])(.*?)\1\s*,\s*import\.meta\.url\s*\)/gs;

/** The computed imports of a file under cli/, as specifiers. */
async function computedImports(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(`${ROOT}/${path}`);
  return [...text.matchAll(COMPUTED_IMPORT_REGEXP)].map((m) => m[2]);
}

/** The command table's modules, read here on their own. */
function tableModules(): string[] {
  const commands = [
    ...GROUPS.flatMap((group) => group.commands),
    ...TOP_COMMANDS,
  ];
  return commands.map((command) => command.module);
}

/** The includes the sources call for, found by reading cli/main.ts and cli/program.ts. */
async function includesFromSources(): Promise<string[]> {
  const fromMain = (await computedImports("cli/main.ts")).map((spec) => {
    ok(spec.startsWith("./") && !spec.includes("${"), spec);
    return `cli/${spec.slice(2)}`;
  });
  const fromProgram = (await computedImports("cli/program.ts")).flatMap(
    (spec) => {
      const template = /^\.\/commands\/\$\{\w+\}\.ts$/.exec(spec);
      ok(template, `cli/program.ts imports "${spec}": not a command module`);
      return tableModules().map((module) => `cli/commands/${module}.ts`);
    },
  );
  return [...fromMain, ...fromProgram];
}

/** Every non-test source file under cli/, daemon/ and lib/. */
async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(`${ROOT}/${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "testdata") await walk(path);
      else if (
        entry.isFile && path.endsWith(".ts") && !path.endsWith("_test.ts")
      ) files.push(path);
    }
  }
  for (const dir of ["cli", "daemon", "lib"]) await walk(dir);
  return files.sort();
}

Deno.test("compileIncludes() is the command table's modules plus the computed imports of cli/main.ts and cli/program.ts", async () => {
  const fromSources = await includesFromSources();
  const includes = compileIncludes();
  deepStrictEqual([...includes].sort(), [...new Set(fromSources)].sort());
  strictEqual(new Set(includes).size, includes.length, "an include twice");
  for (const module of tableModules()) {
    ok(includes.includes(`cli/commands/${module}.ts`), module);
  }
});

Deno.test("compileIncludes() covers every computed import: only cli/main.ts and cli/program.ts have any, all of the shape read above", async () => {
  const computed: string[] = [];
  for (const path of await sourceFiles()) {
    const text = await Deno.readTextFile(`${ROOT}/${path}`);
    // An import() whose argument is not a plain string: deno compile
    // cannot follow it, so it needs an --include.
    for (
      const m of text.matchAll(/\bimport\((?!\s*["'][^"'`$]*["']\s*[,)])/g)
    ) {
      computed.push(`${path}@${m.index}`);
    }
  }
  const files = [...new Set(computed.map((c) => c.split("@")[0]))];
  deepStrictEqual(files.sort(), ["cli/main.ts", "cli/program.ts"]);
  const readable = (await computedImports("cli/main.ts")).length +
    (await computedImports("cli/program.ts")).length;
  strictEqual(
    computed.length,
    readable,
    `computed imports not of the form import(new URL("./…", import.meta.url)): ${computed}`,
  );
});

Deno.test("compileIncludes() names existing source files, no test file or test data", async () => {
  for (const path of compileIncludes()) {
    ok(
      !/_test\.ts$|_bench\.ts$|\/testdata\/|\/_fixtures\.ts$/.test(path),
      path,
    );
    ok((await Deno.stat(`${ROOT}/${path}`)).isFile, path);
  }
});

Deno.test("compileCommands() builds each program with --frozen, exactly its task's permission flags, the target, the output, the includes and the entry", () => {
  for (const target of SUPPORTED_TARGETS) {
    const steps = compileCommands([target]);
    deepStrictEqual(steps.map((s) => [s.program, s.target, s.output]), [
      ["leger", target, "dist/leger"],
      ["legerd", target, "dist/legerd"],
    ]);
    const [leger, legerd] = steps;
    deepStrictEqual(leger.args, [
      "compile",
      "--frozen",
      ...permissionFlags("leger"),
      "--target",
      target,
      "--output",
      "dist/leger",
      ...compileIncludes().flatMap((path) => ["--include", path]),
      "cli/main.ts",
    ]);
    deepStrictEqual(legerd.args, [
      "compile",
      "--frozen",
      ...permissionFlags("legerd"),
      "--target",
      target,
      "--output",
      "dist/legerd",
      "daemon/main.ts",
    ]);
  }
});

Deno.test("compileCommands() takes the permission flags from deno.json's leger and legerd tasks, in their order", () => {
  for (const program of ["leger", "legerd"] as const) {
    const task = denoJson.tasks[program].split(/\s+/);
    const [step] = compileCommands([X86]).filter((s) => s.program === program);
    const flags = step.args.filter((word) =>
      /^--(allow|unstable)-|^--v8-flags=/.test(word)
    );
    deepStrictEqual(
      flags,
      task.filter((word) => /^--(allow|unstable)-|^--v8-flags=/.test(word)),
    );
    // No permission beyond the task's: nothing like --allow-all.
    ok(!step.args.includes("--allow-all") && !step.args.includes("-A"));
  }
});

Deno.test("compileCommands() puts each target's binaries in a folder of its own for --target all", () => {
  const { targets, all, outputDir } = parseCompileArgs(
    ["--target", "all", "--output", "out"],
    X86,
  );
  const steps = compileCommands(targets, { outputDir, perTarget: all });
  deepStrictEqual(steps.map((s) => [s.target, s.output]), [
    [X86, `out/${X86}/leger`],
    [X86, `out/${X86}/legerd`],
    [ARM, `out/${ARM}/leger`],
    [ARM, `out/${ARM}/legerd`],
  ]);
  for (const step of steps) {
    const at = step.args.indexOf("--target");
    strictEqual(step.args[at + 1], step.target);
    strictEqual(step.args[step.args.indexOf("--output") + 1], step.output);
  }
});

// --- the command line of the task --------------------------------------------

Deno.test("parseCompileArgs() builds this machine's target into dist by default", () => {
  for (const host of SUPPORTED_TARGETS) {
    deepStrictEqual(parseCompileArgs([], host), {
      targets: [host],
      all: false,
      outputDir: "dist",
      help: false,
    });
  }
  deepStrictEqual(parseCompileArgs(["--target", ARM], X86).targets, [ARM]);
});

Deno.test("parseCompileArgs() refuses what it cannot build, naming the two targets", () => {
  const cases: [string[], string, RegExp][] = [
    [[], "x86_64-apple-darwin", /this machine's target "x86_64-apple-darwin"/],
    [["--target", "riscv64gc-unknown-linux-gnu"], X86, /"riscv64gc-/],
    [["--target", "x86_64"], X86, /"x86_64"/],
  ];
  for (const [args, host, what] of cases) {
    throws(() => parseCompileArgs(args, host), (error: Error) => {
      strictEqual(error.name, "CompileError");
      strictEqual((error as { exitCode?: number }).exitCode, 2);
      match(error.message, what);
      match(error.message, new RegExp(`built for ${X86} and ${ARM} only`));
      match(error.message, /--target all/);
      return true;
    });
  }
});

Deno.test("parseCompileArgs() refuses an unknown flag, a stray argument and an empty --output with the usage", () => {
  for (const args of [["--bogus"], ["dist"], ["--output", ""], ["--target"]]) {
    throws(() => parseCompileArgs(args, X86), (error: Error) => {
      strictEqual((error as { exitCode?: number }).exitCode, 2);
      match(error.message, /usage: deno task compile \[--target/);
      return true;
    });
  }
});

Deno.test("projectVersion() refuses a deno.json without a usable version, naming the fix", () => {
  strictEqual(projectVersion(denoJson), VERSION);
  for (const config of [{}, { version: "" }, { version: 1 }]) {
    throws(() => projectVersion(config), {
      name: "CompileError",
      message: /deno.json has no "version"[\s\S]*Add "version": "0.1.0"/,
    });
  }
  throws(() => projectVersion({ version: "1.0-rc 1" }), {
    message: /"1.0-rc 1", which an RPM version cannot hold/,
  });
});

// --- DENORT_BIN ----------------------------------------------------------------

/** The first 64 bytes of an ELF file: 64-bit little-endian, of a type and machine. */
function elfHeader(machine: number, type = 3): Uint8Array {
  const header = new Uint8Array(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  new DataView(header.buffer).setUint16(16, type, true);
  new DataView(header.buffer).setUint16(18, machine, true);
  return header;
}

Deno.test("elfMachine() reads the machine of an ELF executable, big-endian too", () => {
  deepStrictEqual(elfMachine(elfHeader(62)), { machine: 62 });
  deepStrictEqual(elfMachine(elfHeader(183, 2)), { machine: 183 });
  const big = new Uint8Array(64);
  big.set([0x7f, 0x45, 0x4c, 0x46, 2, 2, 1]);
  big.set([0, 2, 0, 22], 16);
  deepStrictEqual(elfMachine(big), { machine: 22 });
  deepStrictEqual(elfMachine(elfHeader(62, 1)), {
    problem: "it is not an executable (ELF type 1)",
  });
  deepStrictEqual(elfMachine(elfHeader(62).subarray(0, 10)), {
    problem: "its ELF header is cut short",
  });
});

Deno.test("elfMachine() reads the real deno binary as this machine's", async () => {
  const bytes = await Deno.readFile(Deno.execPath());
  const machine = { x86_64: 62, aarch64: 183 }[Deno.build.arch];
  deepStrictEqual(elfMachine(bytes.subarray(0, 64)), { machine });
});

Deno.test("checkDenortBin() accepts an ELF executable for the target and refuses any other file, with the fix", async () => {
  await using dir = await tempFolder();
  const file = async (name: string, bytes: Uint8Array) => {
    await Deno.writeFile(`${dir.path}/${name}`, bytes);
    return `${dir.path}/${name}`;
  };
  const x86 = await file("denort-x86", elfHeader(62));
  const arm = await file("denort-arm", elfHeader(183, 2));
  await checkDenortBin(x86, X86);
  await checkDenortBin(arm, ARM);
  const zip = await file("denort.zip", new Uint8Array([0x50, 0x4b, 3, 4, 0]));
  const script = await file("deno.sh", new TextEncoder().encode("#!/bin/sh\n"));
  const object = await file("denort.o", elfHeader(62, 1));
  const s390 = await file("denort-s390", elfHeader(22));
  const cases: [string, Target, RegExp][] = [
    [
      arm,
      X86,
      new RegExp(
        `it runs on ${ARM}, not ${X86} \\(ELF machine 62\\)\\n  Pass --target ${ARM}, or set DENORT_BIN to the \`denort\` of Deno`,
      ),
    ],
    [
      x86,
      ARM,
      new RegExp(`it runs on ${X86}, not ${ARM} \\(ELF machine 183\\)`),
    ],
    [s390, X86, /it runs on ELF machine 22, not x86_64/],
    [
      zip,
      X86,
      /it is a zip archive, not the denort inside it\n {2}Unzip it \(`unzip .*denort\.zip` gives `denort`\)/,
    ],
    [
      script,
      X86,
      /it is not an ELF file\n {2}Set DENORT_BIN to the `denort` of Deno .* unzipped from denort-x86_64-unknown-linux-gnu.zip, or unset it/,
    ],
    [object, X86, /it is not an executable \(ELF type 1\)/],
    [`${dir.path}/nothing`, X86, /the file does not exist/],
    [dir.path, X86, /it is not a file/],
  ];
  for (const [path, target, message] of cases) {
    await rejects(checkDenortBin(path, target), (error: Error) => {
      strictEqual(error.name, "CompileError");
      strictEqual((error as { exitCode?: number }).exitCode, 1);
      ok(error.message.startsWith(`Cannot use DENORT_BIN "${path}": `));
      match(error.message, message);
      return true;
    });
  }
});

// --- finding a denort ------------------------------------------------------------

/** A fetch that fails the test if called. */
function noFetch(): Promise<Response> {
  throw new Error("fetch called");
}

Deno.test("findDenorts() takes DENORT_BIN for one target and refuses it for two", async () => {
  await using dir = await tempFolder();
  const bin = `${dir.path}/denort`;
  await Deno.writeFile(bin, elfHeader(62));
  deepStrictEqual(
    await findDenorts([X86], {
      denortBin: bin,
      denoDir: dir.path,
      fetch: noFetch,
    }),
    [{ kind: "DENORT_BIN", path: bin }],
  );
  await rejects(
    findDenorts([X86, ARM], {
      denortBin: bin,
      denoDir: dir.path,
      fetch: noFetch,
    }),
    (error: Error) => {
      strictEqual((error as { exitCode?: number }).exitCode, 2);
      match(error.message, /with DENORT_BIN set: Deno uses that one denort/);
      match(
        error.message,
        /Pass --target with the target of that denort, or unset DENORT_BIN/,
      );
      return true;
    },
  );
  // Deno reads an empty DENORT_BIN as a path too.
  await rejects(
    findDenorts([X86], { denortBin: "", denoDir: dir.path, fetch: noFetch }),
    { message: /DENORT_BIN "": the file does not exist/ },
  );
});

Deno.test("findDenorts() takes Deno's cache, else dl.deno.land when it answers HEAD", async () => {
  await using dir = await tempFolder();
  const cached = `${dir.path}/dl/release/v2.9.6/denort-${X86}.zip`;
  await Deno.mkdir(`${dir.path}/dl/release/v2.9.6`, { recursive: true });
  await Deno.writeFile(cached, new Uint8Array([0x50, 0x4b, 3, 4]));
  const asked: [string, string | undefined][] = [];
  const sources = await findDenorts([X86, ARM], {
    denoDir: dir.path,
    denoVersion: "2.9.6",
    fetch: (input, init) => {
      asked.push([String(input), init?.method]);
      return Promise.resolve(new Response(null, { status: 200 }));
    },
  });
  deepStrictEqual(sources, [
    { kind: "cache", path: cached },
    {
      kind: "download",
      url: `https://dl.deno.land/release/v2.9.6/denort-${ARM}.zip`,
    },
  ]);
  deepStrictEqual(asked, [[
    `https://dl.deno.land/release/v2.9.6/denort-${ARM}.zip`,
    "HEAD",
  ]]);
});

Deno.test("findDenorts() stops with exit 77 and says what is missing, why and the fix", async (t) => {
  await using dir = await tempFolder();
  const cases: {
    name: string;
    fetch: typeof fetch;
    summary: string;
    detail: RegExp;
    proxyVariable?: string;
  }[] = [
    {
      name: "unreachable",
      fetch: () =>
        Promise.reject(
          new TypeError("fetch failed", {
            cause: new Error(
              `error sending request for url (https://dl.deno.land/release/v2.9.6/denort-${X86}.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known`,
            ),
          }),
        ),
      summary: "dl.deno.land is unreachable",
      detail:
        /\.zip: dns error: failed to lookup address information: Name or service not known$/m,
    },
    {
      name: "through a proxy",
      fetch: () => Promise.reject(new TypeError("fetch failed")),
      summary: "dl.deno.land is unreachable",
      detail: /\.zip: fetch failed \(through the proxy HTTPS_PROXY names\)$/m,
      proxyVariable: "HTTPS_PROXY",
    },
    {
      name: "no such release",
      fetch: () =>
        Promise.resolve(
          new Response(null, { status: 404, statusText: "Not Found" }),
        ),
      summary: "dl.deno.land answered HTTP 404",
      detail: /\.zip: HTTP 404 Not Found$/m,
    },
    {
      name: "no answer in time",
      // Answers only when aborted: the 1 ms timeout of the probe.
      fetch: (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener(
            "abort",
            () => reject(init.signal?.reason),
          )
        ),
      summary: "dl.deno.land is unreachable",
      detail: /\.zip: no answer within 0.001 s$/m,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await rejects(
        findDenorts([X86], {
          denoDir: dir.path,
          denoVersion: "2.9.6",
          fetch: c.fetch,
          timeoutMs: 1,
          proxyVariable: c.proxyVariable,
        }),
        (error: Error) => {
          strictEqual((error as { exitCode?: number }).exitCode, EXIT_SKIPPED);
          const lines = error.message.split("\n");
          strictEqual(
            lines[0],
            `Cannot compile leger: no denort for ${X86} (DENORT_BIN is not set, Deno's cache has none, ${c.summary}), so nothing was built`,
          );
          ok(lines.includes(
            `  ${X86}: Deno's cache has no ${dir.path}/dl/release/v2.9.6/denort-${X86}.zip`,
          ));
          match(error.message, c.detail);
          strictEqual(
            lines.at(-1),
            `  Build on a machine that reaches dl.deno.land, or set DENORT_BIN to the \`denort\` of Deno 2.9.6 for that target, unzipped from denort-${X86}.zip (https://github.com/denoland/deno/releases/tag/v2.9.6)`,
          );
          return true;
        },
      );
    });
  }
});

// --- the build, with a fake deno compile ------------------------------------------

interface FakeMachine {
  deps: CompileDeps;
  compiled: string[];
  versioned: string[];
  out: string[];
  err: string[];
}

/**
 * Deps whose `deno compile` writes a small file at `--output` naming the
 * program and target, and whose binaries print `<program> <version>` (or
 * what `prints` says).
 */
function fakeMachine(options: {
  denoDir: string;
  env?: Record<string, string>;
  fetch?: typeof fetch;
  failCompile?: string;
  prints?: (program: string) => string;
}): FakeMachine {
  const machine: FakeMachine = {
    compiled: [],
    versioned: [],
    out: [],
    err: [],
    deps: {
      hostTarget: X86,
      env: (name) => options.env?.[name],
      denoDir: () => Promise.resolve(options.denoDir),
      fetch: options.fetch ??
        (() => Promise.resolve(new Response(null, { status: 200 }))),
      deno: async (args) => {
        strictEqual(args[0], "compile");
        const output = args[args.indexOf("--output") + 1];
        const target = args[args.indexOf("--target") + 1];
        const program = args.at(-1) === "cli/main.ts" ? "leger" : "legerd";
        machine.compiled.push(`${program} ${target}`);
        if (options.failCompile === program) return false;
        await Deno.writeTextFile(output, `${program} ${target}`);
        return true;
      },
      version: async (path) => {
        const [program] = (await Deno.readTextFile(path)).split(" ");
        machine.versioned.push(await Deno.readTextFile(path));
        const stdout = options.prints?.(program) ?? `${program} ${VERSION}\n`;
        return { code: 0, stdout };
      },
      out: (text) => machine.out.push(text),
      err: (text) => machine.err.push(text),
    },
  };
  return machine;
}

Deno.test("runCompile() builds dist/leger and dist/legerd for this machine, checks their version, and prints their paths", async () => {
  await using dir = await tempFolder();
  const machine = fakeMachine({ denoDir: dir.path });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), 0);
  deepStrictEqual(machine.compiled, [`leger ${X86}`, `legerd ${X86}`]);
  deepStrictEqual(machine.versioned, [`leger ${X86}`, `legerd ${X86}`]);
  deepStrictEqual(await listTree(out), ["leger", "legerd"]);
  strictEqual(await Deno.readTextFile(`${out}/legerd`), `legerd ${X86}`);
  deepStrictEqual(machine.out, [`${out}/leger\n${out}/legerd\n`]);
  match(
    machine.err.join(""),
    /denort to be downloaded \(https:\/\/dl\.deno\.land\//,
  );
});

Deno.test("runCompile() builds both targets with --target all, and runs only this machine's binaries", async () => {
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
});

Deno.test("runCompile() leaves no binary when one does not print deno.json's version", async (t) => {
  const cases: [string, (program: string) => string, RegExp][] = [
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
  await using dir = await tempFolder({ "dist/README": "kept\n" });
  const machine = fakeMachine({ denoDir: dir.path, failCompile: "legerd" });
  const out = `${dir.path}/dist`;
  strictEqual(await runCompile(["--output", out], machine.deps), 1);
  deepStrictEqual(machine.compiled, [`leger ${X86}`, `legerd ${X86}`]);
  match(
    machine.err.at(-1)!,
    new RegExp(
      `^Cannot compile legerd for ${X86}: \`deno compile\` failed \\(its output is above\\)\\n  Nothing was written to ${out}\\n$`,
    ),
  );
  deepStrictEqual(await listTree(out), ["README"]);
});

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
  await Deno.writeFile(`${dir.path}/denort`, elfHeader(183));
  const cases: [string[], number, RegExp][] = [
    [[], 1, new RegExp(`it runs on ${ARM}, not ${X86}`)],
    [["--target", "all"], 2, /with DENORT_BIN set/],
  ];
  for (const [args, code, message] of cases) {
    const machine = fakeMachine({
      denoDir: dir.path,
      env: { DENORT_BIN: `${dir.path}/denort` },
      fetch: noFetch,
    });
    strictEqual(
      await runCompile([...args, "--output", `${dir.path}/dist`], machine.deps),
      code,
    );
    match(machine.err.join(""), message);
    deepStrictEqual(machine.compiled, []);
  }
  // The target of that denort: built with it, not run (another machine).
  const machine = fakeMachine({
    denoDir: dir.path,
    env: { DENORT_BIN: `${dir.path}/denort` },
    fetch: noFetch,
  });
  strictEqual(
    await runCompile(
      ["--target", ARM, "--output", `${dir.path}/dist`],
      machine.deps,
    ),
    0,
  );
  deepStrictEqual(machine.compiled, [`leger ${ARM}`, `legerd ${ARM}`]);
  deepStrictEqual(machine.versioned, []);
  match(machine.err.join(""), /denort from DENORT_BIN/);
});

Deno.test("runCompile() prints its usage for --help and refuses a bad command line with exit 2", async () => {
  await using dir = await tempFolder();
  const help = fakeMachine({ denoDir: dir.path });
  strictEqual(await runCompile(["--help"], help.deps), 0);
  match(help.out.join(""), /^usage: deno task compile/);
  const bad = fakeMachine({ denoDir: dir.path });
  strictEqual(await runCompile(["--target", "arm64"], bad.deps), 2);
  deepStrictEqual(bad.compiled, []);
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
    "deno task compile without a denort exits 77, says why and builds nothing",
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
    "compileCommands()'s command lines, run by the real deno compile, give binaries exactly their task's permissions and deno.json's version",
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

Deno.test({
  name:
    "deno task compile refuses a binary that is not leger (the deno CLI as DENORT_BIN) and leaves nothing",
  ignore: !HOST_SUPPORTED,
  fn: async () => {
    await using dir = await tempFolder();
    const out = `${dir.path}/dist`;
    const result = await spawnCaptured(
      Deno.execPath(),
      ["task", "compile", "--output", out],
      { cwd: ROOT, env: { DENORT_BIN: Deno.execPath(), NO_COLOR: "1" } },
    );
    strictEqual(result.code, 1, result.stderr);
    strictEqual(result.stdout, "");
    // Real deno compile ran with the whole command line (includes and all).
    match(result.stderr, /Compile cli\/main\.ts to /);
    match(
      result.stderr,
      /Cannot use the compiled leger for .*: `leger --version` exited 0 and printed "deno \d/,
    );
    match(
      result.stderr,
      /The binary is the deno CLI: set DENORT_BIN to the `denort`/,
    );
    deepStrictEqual(await listTree(dir.path), []);
  },
});
