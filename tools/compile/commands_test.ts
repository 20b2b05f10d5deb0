import {
  deepStrictEqual,
  ok,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { GROUPS, TOP_COMMANDS } from "../../cli/spec.ts";
import { permissionFlags } from "../permission_flags.ts";
import { parseCompileArgs } from "./args.ts";
import {
  checkIncludes,
  compileCommands,
  compileIncludes,
  PROJECT_ROOT as ROOT,
  projectVersion,
} from "./commands.ts";
import { SUPPORTED_TARGETS } from "./targets.ts";

const X86 = "x86_64-unknown-linux-gnu";
const ARM = "aarch64-unknown-linux-gnu";
const VERSION = denoJson.version;

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

Deno.test("compileCommands() builds each program with --quiet, --frozen, exactly its task's permission flags, the target, the output, the includes and the entry", () => {
  for (const target of SUPPORTED_TARGETS) {
    const steps = compileCommands([target]);
    deepStrictEqual(steps.map((s) => [s.program, s.target, s.output]), [
      ["leger", target, "dist/leger"],
      ["legerd", target, "dist/legerd"],
    ]);
    const [leger, legerd] = steps;
    deepStrictEqual(leger.args, [
      "compile",
      "--quiet",
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
      "--quiet",
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
  const { targets, all, output } = parseCompileArgs(
    ["--target", "all", "--output", "out"],
    X86,
  );
  const steps = compileCommands(targets, { outputDir: output, perTarget: all });
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

Deno.test("checkIncludes() accepts the includes and refuses a missing file or a folder, naming where the name comes from", async () => {
  await checkIncludes(compileIncludes());
  for (const path of ["cli/commands/nothing.ts", "cli/commands"]) {
    await rejects(checkIncludes([...compileIncludes(), path]), {
      name: "CompileError",
      message: new RegExp(
        `^Cannot include "${path}" in leger: the file does not exist\\n  Fix the command's module in cli/spec.ts, or MAIN_COMPUTED_IMPORTS in tools/compile/commands.ts$`,
      ),
    });
  }
});
