/**
 * `deno task compile`: builds leger's two binaries, `leger` and `legerd`,
 * with `deno compile`.
 *
 * ```sh
 * deno task compile [--target x86_64-unknown-linux-gnu|aarch64-unknown-linux-gnu|all] [--output DIR]
 * ```
 *
 * One target (this machine's by default) gives `DIR/leger` and `DIR/legerd`
 * (`DIR` is `dist` by default); `--target all` gives `DIR/<target>/leger`
 * and `DIR/<target>/legerd` for both. Each binary gets exactly the permission
 * flags of its deno.json task (`leger`, `legerd`; read by
 * `tools/permission_flags.ts`, as the tests read them), `--frozen`, and an
 * `--include` for every module loaded by a computed URL, which `deno compile`
 * cannot see: cli/main.ts's (cli/program.ts, cli/prefetch.ts,
 * cli/commands/complete.ts) and each command module of the command table
 * (`cli/spec.ts`), which cli/program.ts imports by name. The version is
 * deno.json's (`leger --version` prints it); the script refuses to build
 * without one.
 *
 * `deno compile` joins the program to `denort`, Deno's runtime, which it
 * downloads from dl.deno.land. Before building anything the script finds one
 * for each target: `DENORT_BIN` when set (Deno itself then uses that file for
 * every target, so it must be an ELF executable for the target, and
 * `--target all` is refused), else Deno's cache
 * (`<denoDir>/dl/release/v<deno version>/denort-<target>.zip`), else a HEAD
 * request to dl.deno.land (5 s at most; Deno's fetch honours `HTTPS_PROXY`,
 * which the tests point at a closed port). When none is found, it builds
 * nothing, says what is missing and how to fix it, and exits with code
 * {@linkcode EXIT_SKIPPED} (77, automake's "skipped"), so that CI reports the
 * step as skipped with that reason. Exit codes: 0 built, 1 failed, 2 usage,
 * 77 skipped.
 *
 * The binaries are built in a hidden folder inside `DIR` and moved into
 * place only when all of them are built and the ones for this machine answer
 * `--version` with deno.json's version: a failed build leaves no file at
 * `DIR/leger` or `DIR/legerd` (nor a binary that is not leger, such as one
 * built on the deno CLI instead of denort).
 *
 * `deno compile` resolves and type-checks the entry's module graph before it
 * fetches denort, but the `--include` files only after it has one: their
 * existence is checked here, before anything else.
 *
 * @example The command lines
 * ```ts
 * import { ok, strictEqual } from "node:assert/strict";
 * import { compileCommands } from "./compile.ts";
 *
 * const [leger, legerd] = compileCommands(["x86_64-unknown-linux-gnu"]);
 * strictEqual(leger.output, "dist/leger");
 * strictEqual(legerd.args.at(-1), "daemon/main.ts");
 * ok(leger.args.includes("cli/commands/deploy/install.ts"));
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import denoJson from "../deno.json" with { type: "json" };
import { GROUPS, TOP_COMMANDS } from "../cli/spec.ts";
import { permissionFlags, type ProgramTask } from "./permission_flags.ts";

export type { ProgramTask };

/** The exit code of a build skipped for want of a denort (automake's "skipped"). */
export const EXIT_SKIPPED = 77;

/** The targets leger is built for. */
export const SUPPORTED_TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
] as const;

/** A target leger is built for. */
export type Target = typeof SUPPORTED_TARGETS[number];

/** The ELF `e_machine` of each target: 62 is x86-64, 183 is AArch64. */
export const ELF_MACHINES: Readonly<Record<Target, number>> = {
  "x86_64-unknown-linux-gnu": 62,
  "aarch64-unknown-linux-gnu": 183,
};

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

const USAGE =
  "deno task compile [--target x86_64-unknown-linux-gnu|aarch64-unknown-linux-gnu|all] [--output DIR]";

/** Why the build stopped: the message to print, and the exit code. */
export class CompileError extends Error {
  /** `CompileError`. */
  override name = "CompileError";
  /** 1 failure, 2 usage, {@linkcode EXIT_SKIPPED} no denort. */
  readonly exitCode: number;

  /**
   * Makes the error of a stopped build.
   *
   * @param message The first line, then lines of facts and the fix.
   * @param exitCode The exit code the task ends with.
   */
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The command line of `deno task compile`, parsed. */
export interface CompileArgs {
  /** The targets to build, in {@linkcode SUPPORTED_TARGETS}'s order. */
  targets: Target[];
  /** Whether `--target all` was given (outputs go in one folder per target). */
  all: boolean;
  /** The folder that receives the binaries. */
  outputDir: string;
  /** Whether `--help` was given. */
  help: boolean;
}

/**
 * Parses the command line of `deno task compile`.
 *
 * @param args The words after `deno task compile`.
 * @param hostTarget This machine's target (`Deno.build.target`), the default.
 * @returns The targets, the output folder and whether help was asked for.
 * @throws {CompileError} With exit code 2 for an unknown flag, a stray
 *   argument, an empty `--output`, or a target leger is not built for
 *   (named, with the two that are).
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { parseCompileArgs } from "./compile.ts";
 *
 * deepStrictEqual(
 *   parseCompileArgs(["--output", "out"], "aarch64-unknown-linux-gnu"),
 *   { targets: ["aarch64-unknown-linux-gnu"], all: false, outputDir: "out", help: false },
 * );
 * ```
 */
export function parseCompileArgs(
  args: readonly string[],
  hostTarget: string,
): CompileArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        target: { type: "string" },
        output: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CompileError(
      `Cannot parse the command line: ${error.message}\n  usage: ${USAGE}`,
      2,
    );
  }
  const { target = hostTarget, output = "dist", help = false } = values;
  if (output === "") {
    throw new CompileError(
      `Cannot compile into an empty --output\n  usage: ${USAGE}`,
      2,
    );
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
      2,
    );
  }
  return {
    targets: all ? [...SUPPORTED_TARGETS] : [target as Target],
    all,
    outputDir: output,
    help,
  };
}

function isTarget(value: string): value is Target {
  return (SUPPORTED_TARGETS as readonly string[]).includes(value);
}

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
 * import { projectVersion } from "./compile.ts";
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
 * import { compileIncludes } from "./compile.ts";
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
 * `legerd` (daemon/main.ts), each with `--frozen` and exactly its task's
 * permission flags (`permissionFlags`).
 *
 * @param targets The targets to build.
 * @param options Where the binaries go.
 * @returns One step per binary, leger before legerd, target by target.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { compileCommands } from "./compile.ts";
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
 * The ELF machine (`e_machine`) of a file's first bytes, if they are the
 * header of an ELF executable or shared object (a PIE is one).
 *
 * @param header At least the first 20 bytes of the file.
 * @returns The machine (62 x86-64, 183 AArch64), or why the bytes are not an
 *   ELF executable.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { elfMachine } from "./compile.ts";
 *
 * const header = new Uint8Array(64);
 * header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
 * header.set([3, 0, 62, 0], 16); // ET_DYN, x86-64
 * deepStrictEqual(elfMachine(header), { machine: 62 });
 * deepStrictEqual(elfMachine(new TextEncoder().encode("#!/bin/sh\n")), {
 *   problem: "it is not an ELF file",
 * });
 * ```
 */
export function elfMachine(
  header: Uint8Array,
): { machine: number } | { problem: string } {
  const starts = (bytes: number[]) => bytes.every((b, i) => header[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04])) {
    return { problem: "it is a zip archive, not the denort inside it" };
  }
  if (!starts([0x7f, 0x45, 0x4c, 0x46])) {
    return { problem: "it is not an ELF file" };
  }
  if (header.length < 20) return { problem: "its ELF header is cut short" };
  const view = new DataView(header.buffer, header.byteOffset, 20);
  const littleEndian = header[5] !== 2;
  const type = view.getUint16(16, littleEndian);
  // 2 is ET_EXEC, 3 ET_DYN (position-independent executables, as denort is).
  if (type !== 2 && type !== 3) {
    return { problem: `it is not an executable (ELF type ${type})` };
  }
  return { machine: view.getUint16(18, littleEndian) };
}

/**
 * Checks that `DENORT_BIN` names a denort `deno compile` can build the
 * target's binaries with: an existing ELF executable for that target's
 * machine.
 *
 * @param path `DENORT_BIN`'s value.
 * @param target The target it must run on.
 * @returns Nothing when the file fits.
 * @throws {CompileError} With exit code 1 when the file is missing, not a
 *   file, not an ELF executable (a zip is named as such), or for another
 *   machine (naming the target it is for, if a supported one).
 *
 * @example Usage
 * ```ts ignore
 * import { checkDenortBin } from "./compile.ts";
 *
 * await checkDenortBin("/opt/denort", "x86_64-unknown-linux-gnu");
 * ```
 */
export async function checkDenortBin(
  path: string,
  target: Target,
): Promise<void> {
  const refuse = (why: string, fix: string) =>
    new CompileError(
      `Cannot use DENORT_BIN "${path}": ${why}\n  ${fix}`,
      1,
    );
  const fixBin =
    `Set DENORT_BIN to the \`denort\` of Deno ${Deno.version.deno} for ${target}, unzipped from denort-${target}.zip, or unset it`;
  let header: Uint8Array;
  try {
    using file = await Deno.open(path);
    if (!(await file.stat()).isFile) throw refuse("it is not a file", fixBin);
    header = new Uint8Array(64);
    const read = await file.read(header) ?? 0;
    header = header.subarray(0, read);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw refuse("the file does not exist", fixBin);
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw refuse("this user may not read it", fixBin);
    }
    throw error;
  }
  const elf = elfMachine(header);
  if ("problem" in elf) {
    const fix = elf.problem.startsWith("it is a zip")
      ? `Unzip it (\`unzip ${path}\` gives \`denort\`) and set DENORT_BIN to that file`
      : fixBin;
    throw refuse(elf.problem, fix);
  }
  if (elf.machine !== ELF_MACHINES[target]) {
    const other = SUPPORTED_TARGETS.find((t) =>
      ELF_MACHINES[t] === elf.machine
    );
    throw refuse(
      `it runs on ${
        other ?? `ELF machine ${elf.machine}`
      }, not ${target} (ELF machine ${ELF_MACHINES[target]})`,
      other
        ? `Pass --target ${other}, or ${fixBin[0].toLowerCase()}${
          fixBin.slice(1)
        }`
        : fixBin,
    );
  }
}

/** Where `deno compile` will take a target's denort from. */
export type DenortSource =
  | { kind: "DENORT_BIN"; path: string }
  | { kind: "cache"; path: string }
  | { kind: "download"; url: string };

/** What {@linkcode findDenorts} looks at. */
export interface FindDenortsOptions {
  /** `DENORT_BIN`'s value, if set. */
  denortBin?: string;
  /** Deno's cache folder (`deno info --json`'s `denoDir`). */
  denoDir: string;
  /**
   * The version of Deno that compiles, whose denort it needs.
   *
   * @default {Deno.version.deno}
   */
  denoVersion?: string;
  /**
   * Used for the HEAD request to dl.deno.land.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * How long the HEAD request may take, in milliseconds.
   *
   * @default {5000}
   */
  timeoutMs?: number;
  /**
   * The environment variable that names the proxy the HEAD request goes
   * through (`HTTPS_PROXY`), if one is set: the message then says so.
   */
  proxyVariable?: string;
}

/**
 * Finds, before anything is built, the denort `deno compile` will use for
 * each target: `DENORT_BIN` (checked with {@linkcode checkDenortBin}), else
 * Deno's cache, else dl.deno.land if it answers a HEAD request for the zip.
 *
 * @param targets The targets to build.
 * @param options Where to look.
 * @returns Each target's denort, in `targets`' order.
 * @throws {CompileError} With exit code {@linkcode EXIT_SKIPPED} when a
 *   target has none (the message says what was looked at, why each failed,
 *   and the fix); 2 for `DENORT_BIN` with more than one target; 1 for a
 *   `DENORT_BIN` that does not fit.
 *
 * @example Usage
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { findDenorts } from "./compile.ts";
 *
 * const sources = await findDenorts(["x86_64-unknown-linux-gnu"], {
 *   denoDir: "/nonexistent",
 *   denoVersion: "2.9.6",
 *   fetch: () => Promise.resolve(new Response(null, { status: 200 })),
 * });
 * deepStrictEqual(sources, [{
 *   kind: "download",
 *   url: "https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip",
 * }]);
 * ```
 */
export async function findDenorts(
  targets: readonly Target[],
  options: FindDenortsOptions,
): Promise<DenortSource[]> {
  const {
    denortBin,
    denoDir,
    denoVersion = Deno.version.deno,
    fetch: fetchFn = globalThis.fetch,
    timeoutMs = 5000,
    proxyVariable,
  } = options;
  // Deno reads DENORT_BIN whenever it is set, even empty.
  if (denortBin !== undefined) {
    if (targets.length > 1) {
      throw new CompileError(
        `Cannot compile for ${
          targets.join(" and ")
        } with DENORT_BIN set: Deno uses that one denort ("${denortBin}") for every target\n  Pass --target with the target of that denort, or unset DENORT_BIN`,
        2,
      );
    }
    await checkDenortBin(denortBin, targets[0]);
    return [{ kind: "DENORT_BIN", path: denortBin }];
  }
  const found: DenortSource[] = [];
  const missing: { target: Target; facts: string[]; probe: Probe }[] = [];
  for (const target of targets) {
    const zip = `denort-${target}.zip`;
    const path = `${denoDir}/dl/release/v${denoVersion}/${zip}`;
    if (await isFile(path)) {
      found.push({ kind: "cache", path });
      continue;
    }
    const url = `https://dl.deno.land/release/v${denoVersion}/${zip}`;
    const result = await probe(url, fetchFn, timeoutMs);
    if (result === null) {
      found.push({ kind: "download", url });
      continue;
    }
    missing.push({
      target,
      probe: result,
      facts: [
        `  ${target}: Deno's cache has no ${path}`,
        `  ${target}: ${url}: ${result.detail}${
          proxyVariable ? ` (through the proxy ${proxyVariable} names)` : ""
        }`,
      ],
    });
  }
  if (missing.length === 0) return found;
  throw new CompileError(
    missingDenortMessage(missing, denoVersion),
    EXIT_SKIPPED,
  );
}

/** Why dl.deno.land gave no denort: in short (for the first line), and in full. */
interface Probe {
  summary: string;
  detail: string;
}

function missingDenortMessage(
  missing: { target: Target; facts: string[]; probe: Probe }[],
  denoVersion: string,
): string {
  const targets = missing.map((m) => m.target);
  const summaries = [...new Set(missing.map((m) => m.probe.summary))];
  const zip = targets.length === 1
    ? `denort-${targets[0]}.zip`
    : "denort-<target>.zip";
  return [
    `Cannot compile leger: no denort for ${
      targets.join(" or ")
    } (DENORT_BIN is not set, Deno's cache has none, ${
      summaries.join(", ")
    }), so nothing was built`,
    `  denort is the runtime of Deno ${denoVersion} that \`deno compile\` joins to the program`,
    ...missing.flatMap((m) => m.facts),
    `  Build on a machine that reaches dl.deno.land, or set DENORT_BIN to the \`denort\` of Deno ${denoVersion} for ${
      targets.length === 1 ? "that target" : "one target (and pass --target)"
    }, unzipped from ${zip} (https://github.com/denoland/deno/releases/tag/v${denoVersion})`,
  ].join("\n");
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** `null` when `url` answers 2xx to HEAD, else why not. */
async function probe(
  url: string,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<Probe | null> {
  try {
    const response = await fetchFn(url, {
      method: "HEAD",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.ok) return null;
    return {
      summary: `dl.deno.land answered HTTP ${response.status}`,
      detail: `HTTP ${response.status} ${response.statusText}`.trim(),
    };
  } catch (error) {
    const unreachable = "dl.deno.land is unreachable";
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return {
        summary: unreachable,
        detail: `no answer within ${timeoutMs / 1000} s`,
      };
    }
    if (!(error instanceof TypeError)) throw error;
    return { summary: unreachable, detail: networkReason(error, url) };
  }
}

/** The innermost reason of a failed fetch, without what Deno repeats. */
function networkReason(error: Error, url: string): string {
  let reason: unknown = error;
  while (reason instanceof Error && reason.cause instanceof Error) {
    reason = reason.cause;
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return message.replace(`error sending request for url (${url}): `, "")
    .replace(/^client error \(Connect\): /, "");
}

/** What {@linkcode runCompile} needs from the machine. */
export interface CompileDeps {
  /** This machine's target (`Deno.build.target`). */
  hostTarget: string;
  /** An environment variable's value (`DENORT_BIN`). */
  env(name: string): string | undefined;
  /** Deno's cache folder (`deno info --json`'s `denoDir`). */
  denoDir(): Promise<string>;
  /** The HEAD request to dl.deno.land. */
  fetch: typeof fetch;
  /** Runs `deno ARGS…` from the project root, its output shown; true when it exits 0. */
  deno(args: readonly string[]): Promise<boolean>;
  /** Runs a built binary with `--version` and returns its stdout and exit code. */
  version(path: string): Promise<{ code: number; stdout: string }>;
  /** Writes the result (the binaries' paths) to stdout. */
  out(text: string): void;
  /** Writes progress and errors to stderr. */
  err(text: string): void;
}

/** The variables Deno's fetch takes an HTTPS proxy from, in its order. */
const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "ALL_PROXY",
  "all_proxy",
];

/** The project root, as an absolute path without a final slash. */
const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname)
  .replace(/\/$/, "");

/**
 * Runs `deno task compile ARGS…`: checks the command line, the version, the
 * included modules and the denort of each target, then builds, checks and
 * moves the binaries into place. Prints the paths of the binaries on stdout,
 * and any error (with its fix) on stderr.
 *
 * @param args The words after `deno task compile`.
 * @param deps What touches the machine.
 * @returns The exit code: 0 built, 1 failed, 2 usage, {@linkcode EXIT_SKIPPED} no denort.
 *
 * @example Usage
 * ```ts ignore
 * import { realDeps, runCompile } from "./compile.ts";
 *
 * Deno.exit(await runCompile(["--target", "all"], realDeps()));
 * ```
 */
export async function runCompile(
  args: readonly string[],
  deps: CompileDeps,
): Promise<number> {
  try {
    const parsed = parseCompileArgs(args, deps.hostTarget);
    if (parsed.help) {
      deps.out(`usage: ${USAGE}\n`);
      return 0;
    }
    const version = projectVersion(denoJson);
    await checkIncludes(compileIncludes());
    const sources = await findDenorts(parsed.targets, {
      denortBin: deps.env("DENORT_BIN"),
      denoDir: await deps.denoDir(),
      fetch: deps.fetch,
      proxyVariable: PROXY_VARIABLES.find((name) => deps.env(name)),
    });
    for (const [i, target] of parsed.targets.entries()) {
      deps.err(
        `leger ${version} for ${target}: denort ${describe(sources[i])}\n`,
      );
    }
    const outputs = await build(parsed, version, deps);
    deps.out(outputs.map((path) => `${path}\n`).join(""));
    return 0;
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    deps.err(`${error.message}\n`);
    return error.exitCode;
  }
}

function describe(source: DenortSource): string {
  switch (source.kind) {
    case "DENORT_BIN":
      return `from DENORT_BIN (${source.path})`;
    case "cache":
      return `from Deno's cache (${source.path})`;
    case "download":
      return `to be downloaded (${source.url})`;
  }
}

/** Refuses a missing `--include` file: `deno compile` would see it only after fetching denort. */
async function checkIncludes(includes: readonly string[]): Promise<void> {
  for (const path of includes) {
    if (await isFile(`${ROOT}/${path}`)) continue;
    throw new CompileError(
      `Cannot include "${path}" in leger: the file does not exist\n  Fix the command's module in cli/spec.ts, or MAIN_COMPUTED_IMPORTS in tools/compile.ts`,
      1,
    );
  }
}

/**
 * Builds every binary into a hidden folder inside the output folder, checks
 * the ones for this machine, then moves them all into place; the hidden
 * folder goes on every path.
 */
async function build(
  parsed: CompileArgs,
  version: string,
  deps: CompileDeps,
): Promise<string[]> {
  const outputDir = parsed.outputDir.startsWith("/")
    ? parsed.outputDir
    : `${Deno.cwd()}/${parsed.outputDir}`;
  const created = !(await exists(outputDir));
  await Deno.mkdir(outputDir, { recursive: true });
  const staging = await Deno.makeTempDir({
    dir: outputDir,
    prefix: ".compile-",
  });
  const steps = compileCommands(parsed.targets, {
    outputDir: staging,
    perTarget: parsed.all,
  });
  let done = false;
  // An interrupted build leaves no hidden folder behind either.
  const cleanUp = () => {
    Deno.removeSync(staging, { recursive: true });
    if (created) removeIfEmptySync(outputDir);
  };
  const stops = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => {
    const stop = () => {
      cleanUp();
      Deno.exit(128 + SIGNAL_NUMBERS[signal]);
    };
    Deno.addSignalListener(signal, stop);
    return () => Deno.removeSignalListener(signal, stop);
  });
  try {
    for (const step of steps) {
      await Deno.mkdir(dirname(step.output), { recursive: true });
      if (!(await deps.deno(step.args))) {
        throw new CompileError(
          `Cannot compile ${step.program} for ${step.target}: \`deno compile\` failed (its output is above)\n  Nothing was written to ${outputDir}`,
          1,
        );
      }
      if (step.target === deps.hostTarget) {
        await smokeCheck(step, version, { deps, outputDir });
      }
    }
    const outputs = [];
    for (const step of steps) {
      const final = `${outputDir}${step.output.slice(staging.length)}`;
      await Deno.mkdir(dirname(final), { recursive: true });
      await Deno.rename(step.output, final);
      outputs.push(final);
    }
    done = true;
    return outputs;
  } finally {
    for (const stop of stops) stop();
    if (done) Deno.removeSync(staging, { recursive: true });
    else cleanUp();
  }
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Removes a folder this build created, unless something else was put in it meanwhile. */
function removeIfEmptySync(path: string): void {
  for (const _ of Deno.readDirSync(path)) return;
  Deno.removeSync(path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Runs a freshly built binary with `--version`: it must print deno.json's
 * version, else it is not leger (a denort that is the deno CLI gives one
 * that is deno itself).
 */
async function smokeCheck(
  step: CompileStep,
  version: string,
  options: { deps: CompileDeps; outputDir: string },
): Promise<void> {
  const { deps, outputDir } = options;
  const want = `${step.program} ${version}`;
  const { code, stdout } = await deps.version(step.output);
  const got = stdout.trim();
  if (code === 0 && got === want) return;
  const printed = got === "" ? "nothing" : `"${got.split("\n")[0]}"`;
  const fix = got.startsWith("deno ")
    ? `The binary is the deno CLI: set DENORT_BIN to the \`denort\` inside denort-${step.target}.zip, not to \`deno\``
    : "Check that DENORT_BIN, if set, is the `denort` of this Deno's release, then run `deno task compile` again";
  throw new CompileError(
    `Cannot use the compiled ${step.program} for ${step.target}: \`${step.program} --version\` exited ${code} and printed ${printed}, not "${want}"\n  Nothing was written to ${outputDir}\n  ${fix}`,
    1,
  );
}

/**
 * The real {@linkcode CompileDeps}: this machine's target, environment and
 * Deno, with output on the process's stdout and stderr.
 *
 * Requires `--allow-env`, `--allow-run` (deno, the built binaries),
 * `--allow-read`, `--allow-write` and `--allow-net=dl.deno.land`.
 *
 * @returns The dependencies of {@linkcode runCompile}.
 *
 * @example Usage
 * ```ts ignore
 * import { realDeps, runCompile } from "./compile.ts";
 *
 * Deno.exit(await runCompile(Deno.args, realDeps()));
 * ```
 */
export function realDeps(): CompileDeps {
  const encoder = new TextEncoder();
  return {
    hostTarget: Deno.build.target,
    env: (name) => Deno.env.get(name),
    denoDir: async () => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["info", "--json"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decoder = new TextDecoder();
      if (code !== 0) {
        throw new CompileError(
          `Cannot find Deno's cache: \`deno info --json\` exited ${code}: ${
            decoder.decode(stderr).trim()
          }`,
          1,
        );
      }
      return JSON.parse(decoder.decode(stdout)).denoDir;
    },
    fetch: globalThis.fetch,
    deno: async (args) => {
      // deno compile reports on stderr; anything on its stdout goes there
      // too, so that stdout carries only the binaries' paths.
      const { success, stdout } = await new Deno.Command(Deno.execPath(), {
        args: [...args],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "inherit",
      }).output();
      writeAll(Deno.stderr, stdout);
      return success;
    },
    version: async (path) => {
      const { code, stdout } = await new Deno.Command(path, {
        args: ["--version"],
        stdin: "null",
        stdout: "piped",
        stderr: "inherit",
        signal: AbortSignal.timeout(30_000),
      }).output();
      return { code, stdout: new TextDecoder().decode(stdout) };
    },
    out: (text) => writeAll(Deno.stdout, encoder.encode(text)),
    err: (text) => writeAll(Deno.stderr, encoder.encode(text)),
  };
}

function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  bytes: Uint8Array,
) {
  let written = 0;
  while (written < bytes.length) {
    written += stream.writeSync(bytes.subarray(written));
  }
}

if (import.meta.main) {
  Deno.exit(await runCompile(Deno.args, realDeps()));
}
