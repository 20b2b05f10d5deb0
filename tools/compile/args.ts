/**
 * The command line of `deno task compile`: parsing it, and the folder the
 * binaries go to.
 *
 * @module
 */
import { posix } from "node:path";
import { parseArgs } from "node:util";
import { CompileError, EXIT_SKIPPED, EXIT_USAGE } from "./compile_error.ts";
import { isTarget, SUPPORTED_TARGETS, type Target } from "./targets.ts";

/** The one-line usage of `deno task compile`. */
export const USAGE =
  "deno task compile [--target x86_64-unknown-linux-gnu|aarch64-unknown-linux-gnu|all] [--output DIR]";

/** What `deno task compile --help` prints. */
export const HELP = `usage: ${USAGE}

Builds leger and legerd with \`deno compile\`, each with its deno.json task's
permission flags, stamped with deno.json's version.

  --target T   x86_64-unknown-linux-gnu or aarch64-unknown-linux-gnu (this
               machine's target by default), or all: DIR/<target>/leger and
               DIR/<target>/legerd for both
  --output DIR the folder that receives DIR/leger and DIR/legerd; a relative
               DIR is taken from the folder \`deno task\` was run in
               (default: the project's dist folder)
  -h, --help   print this help

denort (Deno's runtime, joined to each program) comes from DENORT_BIN when
set (one target only), else Deno's cache, else dl.deno.land.
Exit codes: 0 built, 1 failed, 2 usage, ${EXIT_SKIPPED} skipped (no denort).
`;

/** The command line of `deno task compile`, parsed. */
export interface CompileArgs {
  /** The targets to build, in {@linkcode SUPPORTED_TARGETS}'s order (none for `--help`). */
  targets: Target[];
  /** Whether `--target all` was given (outputs go in one folder per target). */
  all: boolean;
  /** `--output` as given, if given (see {@linkcode resolveOutputDir}). */
  output?: string;
  /** Whether `--help` was given: it wins over every other word. */
  help: boolean;
}

/**
 * Parses the command line of `deno task compile`. `-h` or `--help` anywhere
 * asks for the help, whatever else is there.
 *
 * @param args The words after `deno task compile`.
 * @param hostTarget This machine's target (`Deno.build.target`), the default.
 * @returns The targets, the output folder as given and whether help was asked for.
 * @throws {CompileError} With exit code 2 for an unknown flag, a stray
 *   argument, `--target` or `--output` given twice, an empty `--output`, or a
 *   target leger is not built for (named, with the two that are).
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { parseCompileArgs } from "./args.ts";
 *
 * deepStrictEqual(
 *   parseCompileArgs(["--output", "out"], "aarch64-unknown-linux-gnu"),
 *   { targets: ["aarch64-unknown-linux-gnu"], all: false, output: "out", help: false },
 * );
 * deepStrictEqual(parseCompileArgs(["--target", "bogus", "-h"], "x"), {
 *   targets: [],
 *   all: false,
 *   help: true,
 * });
 * ```
 */
export function parseCompileArgs(
  args: readonly string[],
  hostTarget: string,
): CompileArgs {
  if (args.includes("--help") || args.includes("-h")) {
    return { targets: [], all: false, help: true };
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        target: { type: "string", multiple: true },
        output: { type: "string", multiple: true },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw usageError(`Cannot parse the command line: ${error.message}`);
  }
  const target = once("--target", values.target) ?? hostTarget;
  const output = once("--output", values.output);
  if (output === "") {
    throw usageError("Cannot compile into an empty --output");
  }
  const all = target === "all";
  if (!all && !isTarget(target)) {
    const what = values.target === undefined
      ? `this machine's target "${target}"`
      : `"${target}"`;
    throw new CompileError(
      `Cannot compile leger for ${what}: leger is built for ${
        SUPPORTED_TARGETS.join(" and ")
      } only\n  Pass --target ${SUPPORTED_TARGETS[0]}, --target ${
        SUPPORTED_TARGETS[1]
      } or --target all`,
      EXIT_USAGE,
    );
  }
  return {
    targets: all ? [...SUPPORTED_TARGETS] : [target as Target],
    all,
    ...(output === undefined ? {} : { output }),
    help: false,
  };
}

/** The one value of a flag that may be given once, if given. */
function once(flag: string, values: string[] | undefined): string | undefined {
  if (values === undefined) return undefined;
  if (values.length > 1) {
    throw usageError(
      `Cannot use ${flag} more than once (given: ${
        values.map((value) => `"${value}"`).join(", ")
      })`,
    );
  }
  return values[0];
}

function usageError(message: string): CompileError {
  return new CompileError(`${message}\n  usage: ${USAGE}`, EXIT_USAGE);
}

/** Where {@linkcode resolveOutputDir} starts from. */
export interface ResolveOutputDirOptions {
  /**
   * The folder `deno task` was run in (`INIT_CWD`, which deno task sets; it
   * runs the script from the project root). Falls back to `cwd`.
   */
  initCwd?: string;
  /** The script's working folder. */
  cwd: string;
  /** The project root: the default output is its `dist` folder. */
  root: string;
}

/**
 * The absolute folder that receives the binaries: `--output` as given when
 * absolute, else taken from the folder `deno task` was run in (`INIT_CWD`),
 * as the caller means it; without `--output`, the project's `dist`.
 *
 * @param output `--output` as given, if given.
 * @param options The folders it is resolved from.
 * @returns An absolute path without a final slash (`/` stays `/`).
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { resolveOutputDir } from "./args.ts";
 *
 * const options = { initCwd: "/home/me/leger/cli", cwd: "/home/me/leger", root: "/home/me/leger" };
 * strictEqual(resolveOutputDir("../out/", options), "/home/me/leger/out");
 * strictEqual(resolveOutputDir(undefined, options), "/home/me/leger/dist");
 * strictEqual(resolveOutputDir("/srv/dist", options), "/srv/dist");
 * ```
 */
export function resolveOutputDir(
  output: string | undefined,
  options: ResolveOutputDirOptions,
): string {
  const { initCwd, cwd, root } = options;
  if (output === undefined) return posix.resolve(root, "dist");
  const base = initCwd?.startsWith("/") ? initCwd : cwd;
  return posix.resolve(base, output);
}
