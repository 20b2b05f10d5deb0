/**
 * The `deno compile` command lines that build leger's binaries, what they
 * include, and the version they carry.
 *
 * @module
 */
import denoJson from "../../deno.json" with { type: "json" };
import { GROUPS, TOP_COMMANDS } from "../../cli/spec.ts";
import { permissionFlags, type ProgramTask } from "../permission_flags.ts";
import { CompileError } from "./compile_error.ts";
import type { Target } from "./targets.ts";

export type { ProgramTask };

/** The project root, as an absolute path without a final slash. */
export const PROJECT_ROOT: string = decodeURIComponent(
  new URL("../../", import.meta.url).pathname,
).replace(/\/$/, "");

/** deno.json's content, whose version the binaries carry. */
export const DENO_JSON: { version?: unknown } = denoJson;

/**
 * The modules cli/main.ts imports by a computed URL (so that `leger
 * --version` loads none of them), relative to the project root. cli/program.ts
 * imports `cli/commands/<module>.ts` for each command of the table the same
 * way: {@linkcode compileIncludes} adds those.
 */
export const MAIN_COMPUTED_IMPORTS: readonly string[] = [
  "cli/commands/complete.ts",
  "cli/prefetch.ts",
  "cli/program.ts",
];

/**
 * The version the binaries carry: deno.json's `version`, which
 * cli/version.ts imports (so `leger --version` and `legerd --version` print
 * it).
 *
 * @param config deno.json's content.
 * @returns The version, such as `0.1.0`.
 * @throws {CompileError} With exit code 1 when the version is missing, empty
 *   or has characters an RPM version cannot hold (`-`, spaces).
 *
 * @example Usage
 * ```ts
 * import { strictEqual, throws } from "node:assert/strict";
 * import { projectVersion } from "./commands.ts";
 *
 * strictEqual(projectVersion({ version: "1.2.3" }), "1.2.3");
 * throws(() => projectVersion({}), /deno.json has no "version"/);
 * ```
 */
export function projectVersion(config: { version?: unknown }): string {
  const { version } = config;
  if (typeof version !== "string" || version === "") {
    throw new CompileError(
      `Cannot compile leger: deno.json has no "version" (current value: ${
        JSON.stringify(version ?? null)
      })\n  Add "version": "0.1.0" (the release's version) to deno.json`,
      1,
    );
  }
  if (!/^[0-9][0-9A-Za-z.+~]*$/.test(version)) {
    throw new CompileError(
      `Cannot compile leger: deno.json's "version" is "${version}", which an RPM version cannot hold\n  Use digits, letters, dots, "+" and "~" only, such as "0.1.0"`,
      1,
    );
  }
  return version;
}

/**
 * The modules `deno compile` must be told to include (`--include`), relative
 * to the project root: cli/main.ts's computed imports
 * ({@linkcode MAIN_COMPUTED_IMPORTS}), then `cli/commands/<module>.ts` for
 * each command of the command table (`cli/spec.ts`), which cli/program.ts
 * imports by a computed URL; each once, in that order. legerd has none.
 *
 * @returns The paths, such as `cli/commands/deploy/install.ts`.
 *
 * @example Usage
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { compileIncludes } from "./commands.ts";
 *
 * ok(compileIncludes().includes("cli/commands/status.ts"));
 * ```
 */
export function compileIncludes(): string[] {
  const modules = [
    ...GROUPS.flatMap((group) => group.commands),
    ...TOP_COMMANDS,
  ]
    .map((command) => `cli/commands/${command.module}.ts`);
  return [...new Set([...MAIN_COMPUTED_IMPORTS, ...modules])];
}

/** One `deno compile` run: a program for a target. */
export interface CompileStep {
  /** `leger` or `legerd` (also the deno.json task its flags come from). */
  program: ProgramTask;
  /** The target it runs on. */
  target: Target;
  /** The binary's path: `<outputDir>/<program>` or `<outputDir>/<target>/<program>`. */
  output: string;
  /** The arguments of `deno` (starting with `compile`), run from the project root. */
  args: string[];
}

/** Options for {@linkcode compileCommands}. */
export interface CompileCommandsOptions {
  /**
   * The folder that receives the binaries.
   *
   * @default {"dist"}
   */
  outputDir?: string;
  /**
   * Put each target's binaries in a folder of its own (`--target all`).
   *
   * @default {false}
   */
  perTarget?: boolean;
}

/**
 * The `deno compile` command lines that build leger's binaries: for each
 * target, `leger` (cli/main.ts, with {@linkcode compileIncludes}) and
 * `legerd` (daemon/main.ts), each with `--quiet`, `--frozen` and exactly its task's
 * permission flags (`permissionFlags`).
 *
 * @param targets The targets to build.
 * @param options Where the binaries go.
 * @returns One step per binary, leger before legerd, target by target.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { compileCommands } from "./commands.ts";
 *
 * deepStrictEqual(
 *   compileCommands(["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"], {
 *     outputDir: "out",
 *     perTarget: true,
 *   }).map((step) => step.output),
 *   [
 *     "out/x86_64-unknown-linux-gnu/leger",
 *     "out/x86_64-unknown-linux-gnu/legerd",
 *     "out/aarch64-unknown-linux-gnu/leger",
 *     "out/aarch64-unknown-linux-gnu/legerd",
 *   ],
 * );
 * ```
 */
export function compileCommands(
  targets: readonly Target[],
  options: CompileCommandsOptions = {},
): CompileStep[] {
  const { outputDir = "dist", perTarget = false } = options;
  const programs: [ProgramTask, string, string[]][] = [
    ["leger", "cli/main.ts", compileIncludes()],
    ["legerd", "daemon/main.ts", []],
  ];
  return targets.flatMap((target) =>
    programs.map(([program, entry, includes]) => {
      const output = perTarget
        ? `${outputDir}/${target}/${program}`
        : `${outputDir}/${program}`;
      return {
        program,
        target,
        output,
        args: [
          "compile",
          // Without it, deno compile lists every embedded file (~270
          // lines a binary); its errors show all the same.
          "--quiet",
          "--frozen",
          ...permissionFlags(program),
          "--target",
          target,
          "--output",
          output,
          ...includes.flatMap((path) => ["--include", path]),
          entry,
        ],
      };
    })
  );
}

/**
 * Refuses a missing `--include` file, which `deno compile` would report only
 * after it has fetched a denort.
 *
 * @param includes Paths relative to the project root ({@linkcode compileIncludes}).
 * @returns Nothing when every file exists.
 * @throws {CompileError} With exit code 1, naming the first missing file
 *   and where its name comes from.
 *
 * @example Usage
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { checkIncludes, compileIncludes } from "./commands.ts";
 *
 * await checkIncludes(compileIncludes());
 * await rejects(checkIncludes(["cli/nothing.ts"]), /Cannot include "cli\/nothing.ts"/);
 * ```
 */
export async function checkIncludes(
  includes: readonly string[],
): Promise<void> {
  for (const path of includes) {
    try {
      if ((await Deno.stat(`${PROJECT_ROOT}/${path}`)).isFile) continue;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    throw new CompileError(
      `Cannot include "${path}" in leger: the file does not exist\n  Fix the command's module in cli/spec.ts, or MAIN_COMPUTED_IMPORTS in tools/compile/commands.ts`,
      1,
    );
  }
}
