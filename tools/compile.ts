/**
 * `deno task compile`: builds leger's two binaries, `leger` and `legerd`,
 * with `deno compile`.
 *
 * ```sh
 * deno task compile [--target x86_64-unknown-linux-gnu|aarch64-unknown-linux-gnu|all] [--output DIR]
 * ```
 *
 * One target (this machine's by default) gives `DIR/leger` and `DIR/legerd`;
 * `--target all` gives `DIR/<target>/leger` and `DIR/<target>/legerd` for
 * both. `DIR` is the project's `dist` folder by default; a relative
 * `--output` is taken from the folder `deno task` was run in (`INIT_CWD`,
 * which deno task sets), not from the project root it runs the script in.
 * `--target` and `--output` may be given once each; `-h`/`--help` prints the
 * help whatever else is given.
 *
 * Each binary gets exactly the permission flags of its deno.json task
 * (`leger`, `legerd`; read by `tools/permission_flags.ts`, as the tests read
 * them), `--quiet` (no listing of the embedded files; errors still show),
 * `--frozen`, and an `--include` for every module loaded by a computed URL,
 * which `deno compile` cannot see: cli/main.ts's (cli/program.ts,
 * cli/prefetch.ts, cli/commands/complete.ts) and each command module of the
 * command table (`cli/spec.ts`). The version is deno.json's (`leger
 * --version` prints it); the script refuses to build without one
 * (tools/compile/commands.ts).
 *
 * `deno compile` joins the program to `denort`, Deno's runtime, which it
 * downloads from dl.deno.land. Before building anything the script finds one
 * for each target (tools/compile/find_denorts.ts): `DENORT_BIN` when set
 * (Deno itself then uses that file for every target, so `--target all` is
 * refused), else Deno's cache, else a HEAD request to dl.deno.land (5 s at
 * most; Deno's fetch honours `HTTPS_PROXY`). `DENORT_BIN` is checked without
 * running it (tools/compile/denort_bin.ts): an ELF executable for the
 * target, not the deno CLI, holding this Deno's user agent (`Deno/2.9.6`)
 * and its V8's version, as every denort of that release does. When no denort
 * is found, it builds nothing, says what is missing and how to fix it, and
 * exits with code {@linkcode EXIT_SKIPPED} (77, automake's "skipped"), so
 * that CI reports the step as skipped with that reason. Exit codes: 0 built,
 * 1 failed, 2 usage, 77 skipped, 128 + the signal's number when stopped by
 * SIGHUP, SIGINT or SIGTERM.
 *
 * The paths are checked before anything is built (tools/compile/output.ts):
 * a file or a symbolic link to nothing where a folder goes, or a folder
 * where a binary goes, stops the build with the path and the fix. The
 * binaries are built in a hidden staging folder inside `DIR`
 * (`.compile-<pid>-…`; a build clears those whose process is gone, left by
 * builds that were killed). The binaries for this machine must answer
 * `--version` with deno.json's version within 30 s; those for another
 * target cannot be run here, and the output says so. Then all are moved
 * into place together or none is (tools/compile/place.ts): a failed build
 * leaves no new file at `DIR/leger` or `DIR/legerd` and older ones as they
 * were. SIGHUP, SIGINT or SIGTERM stops `deno compile` (and any binary being
 * checked) before the staging folder is removed.
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
import { posix } from "node:path";
import { HELP, parseCompileArgs, resolveOutputDir } from "./compile/args.ts";
import {
  checkIncludes,
  compileCommands,
  compileIncludes,
  type CompileStep,
  DENO_JSON,
  PROJECT_ROOT,
  projectVersion,
} from "./compile/commands.ts";
import { CompileError } from "./compile/compile_error.ts";
import { denortMarks } from "./compile/denort_bin.ts";
import { type DenortSource, findDenorts } from "./compile/find_denorts.ts";
import {
  checkOutput,
  type PreparedOutput,
  prepareOutput,
  removeStaleStaging,
  tidyOutput,
} from "./compile/output.ts";
import { placeAll, PlaceError } from "./compile/place.ts";
import { runChild } from "./compile/processes.ts";
import type { Target } from "./compile/targets.ts";

export * from "./compile/args.ts";
export * from "./compile/commands.ts";
export * from "./compile/compile_error.ts";
export * from "./compile/denort_bin.ts";
export * from "./compile/elf.ts";
export * from "./compile/find_denorts.ts";
export * from "./compile/output.ts";
export * from "./compile/place.ts";
export * from "./compile/processes.ts";
export * from "./compile/targets.ts";

/** How long a built binary may take to answer `--version`, in milliseconds. */
export const VERSION_TIMEOUT_MS = 30_000;

/** The signals that stop a build, with their numbers (the exit code is 128 + it). */
export const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** A signal that stops a build. */
export type StopSignal = keyof typeof STOP_SIGNALS;

/** What a built binary answered to `--version`, or that it did not answer in time. */
export type VersionAnswer =
  | { code: number; stdout: string }
  | { timedOutAfterMs: number };

/** What {@linkcode runCompile} needs from the machine. */
export interface CompileDeps {
  /** This machine's target (`Deno.build.target`). */
  hostTarget: string;
  /** An environment variable's value (`DENORT_BIN`, `INIT_CWD`, proxies). */
  env(name: string): string | undefined;
  /** The script's working folder (a relative `--output` falls back to it without `INIT_CWD`). */
  cwd(): string;
  /** Deno's cache folder (`deno info --json`'s `denoDir`). */
  denoDir(): Promise<string>;
  /** The HEAD request to dl.deno.land. */
  fetch: typeof fetch;
  /**
   * Runs `deno ARGS…` from the project root, its errors shown; true when it
   * exits 0. Stops it when `signal` is aborted.
   */
  deno(
    args: readonly string[],
    options: { signal: AbortSignal },
  ): Promise<boolean>;
  /** Runs a built binary with `--version`, bounded in time; stops it when `signal` is aborted. */
  version(
    path: string,
    options: { signal: AbortSignal },
  ): Promise<VersionAnswer>;
  /** Calls `listener` on SIGHUP, SIGINT or SIGTERM until the returned function is called. */
  onStopSignal(listener: (signal: StopSignal) => void): () => void;
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

/**
 * Runs `deno task compile ARGS…`: checks the command line, the version, the
 * included modules, the output paths and the denort of each target, then
 * builds, checks and moves the binaries into place. Prints the paths of the
 * binaries on stdout, and progress and any error (with its fix) on stderr.
 *
 * @param args The words after `deno task compile`.
 * @param deps What touches the machine.
 * @returns The exit code: 0 built, 1 failed, 2 usage, {@linkcode EXIT_SKIPPED}
 *   no denort, 128 + the signal's number when stopped by one.
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
      deps.out(HELP);
      return 0;
    }
    const version = projectVersion(DENO_JSON);
    await checkIncludes(compileIncludes());
    const outputDir = resolveOutputDir(parsed.output, {
      initCwd: deps.env("INIT_CWD"),
      cwd: deps.cwd(),
      root: PROJECT_ROOT,
    });
    const finals = compileCommands(parsed.targets, {
      outputDir,
      perTarget: parsed.all,
    }).map((step) => step.output);
    const folders = [...new Set([outputDir, ...finals.map(posix.dirname)])];
    await checkOutput(folders, finals);
    const sources = await findDenorts(parsed.targets, {
      denortBin: deps.env("DENORT_BIN"),
      denoDir: await deps.denoDir(),
      fetch: deps.fetch,
      proxyVariable: PROXY_VARIABLES.find((name) => deps.env(name)),
    });
    for (const [i, target] of parsed.targets.entries()) {
      deps.err(
        `leger ${version} for ${target}: denort ${
          describe(sources[i], target)
        }\n`,
      );
    }
    const stale = await removeStaleStaging(outputDir);
    for (const path of stale.removed) {
      deps.err(
        `Removed ${path}: left by a build that was killed (its process is gone)\n`,
      );
    }
    for (const { path, reason } of stale.failed) {
      deps.err(
        `Cannot remove ${path}, left by a build that was killed: ${reason}; remove it by hand\n`,
      );
    }
    const outputs = await build(parsed.targets, {
      all: parsed.all,
      version,
      outputDir,
      folders,
      deps,
    });
    deps.out(outputs.map((path) => `${path}\n`).join(""));
    return 0;
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    deps.err(`${error.message}\n`);
    return error.exitCode;
  }
}

function describe(source: DenortSource, target: Target): string {
  switch (source.kind) {
    case "DENORT_BIN": {
      const marks = denortMarks().map((mark) => `"${mark.text}"`).join(" and ");
      return `from DENORT_BIN (${source.path}; checked without running it: an ELF executable for ${target}, not the deno CLI, holding ${marks})`;
    }
    case "cache":
      return `from Deno's cache (${source.path})`;
    case "download":
      return `to be downloaded (${source.url})`;
  }
}

/** What {@linkcode build} needs besides the targets. */
interface BuildOptions {
  all: boolean;
  version: string;
  outputDir: string;
  folders: string[];
  deps: CompileDeps;
}

/**
 * Builds every binary into a staging folder inside the output folder,
 * checks the ones for this machine, then moves them all into place; the
 * staging folder, and the folders created for nothing, go on every path. A
 * stop signal stops the program under way first.
 */
async function build(
  targets: readonly Target[],
  options: BuildOptions,
): Promise<string[]> {
  const { all, version, outputDir, folders, deps } = options;
  const controller = new AbortController();
  let caught: StopSignal | undefined;
  const stopped = () => {
    if (caught === undefined) return;
    throw new CompileError(
      `Stopped by ${caught}: the build was stopped, and nothing was written to ${outputDir}`,
      128 + STOP_SIGNALS[caught],
    );
  };
  const unlisten = deps.onStopSignal((signal) => {
    caught ??= signal;
    controller.abort();
  });
  let prepared: PreparedOutput | undefined;
  let keepStaging = false;
  try {
    prepared = await prepareOutput(folders);
    stopped();
    const staging = prepared.staging;
    const steps = compileCommands(targets, {
      outputDir: staging,
      perTarget: all,
    });
    for (const step of steps) {
      deps.err(`Compiling ${step.program} for ${step.target}\n`);
      // `--target all`: one folder per target inside the staging folder.
      await Deno.mkdir(posix.dirname(step.output), { recursive: true });
      const ok = await deps.deno(step.args, { signal: controller.signal });
      stopped();
      if (!ok) {
        throw new CompileError(
          `Cannot compile ${step.program} for ${step.target}: \`deno compile\` failed (its error is above)\n  Nothing was written to ${outputDir}`,
          1,
        );
      }
      if (step.target === deps.hostTarget) {
        await checkVersion(step, {
          version,
          outputDir,
          deps,
          signal: controller.signal,
        });
        stopped();
      }
    }
    const moves = steps.map((step) => ({
      from: step.output,
      to: `${outputDir}${step.output.slice(staging.length)}`,
    }));
    try {
      await placeAll(moves, { backupDir: `${staging}/replaced` });
    } catch (error) {
      keepStaging = error instanceof PlaceError && error.stranded.length > 0;
      throw error;
    }
    for (const target of targets) {
      if (target === deps.hostTarget) continue;
      const paths = moves.filter((_, i) => steps[i].target === target)
        .map((move) => move.to);
      deps.err(
        `${
          paths.join(", ")
        }: not run: built for ${target}, which this machine (${deps.hostTarget}) cannot run; run \`leger --version\` and \`legerd --version\` on a ${target} machine to check them\n`,
      );
    }
    return moves.map((move) => move.to);
  } finally {
    unlisten();
    if (prepared !== undefined) {
      const problems = keepStaging ? [] : await tidyOutput(prepared);
      for (const problem of problems) deps.err(`${problem}\n`);
    }
  }
}

/**
 * Runs a freshly built binary with `--version`: it must print deno.json's
 * version within {@linkcode VERSION_TIMEOUT_MS}, else it is not leger (a
 * denort that is the deno CLI gives one that is deno itself).
 */
async function checkVersion(
  step: CompileStep,
  options: {
    version: string;
    outputDir: string;
    deps: CompileDeps;
    signal: AbortSignal;
  },
): Promise<void> {
  const { version, outputDir, deps, signal } = options;
  const want = `${step.program} ${version}`;
  const refuse = (why: string, fix: string) =>
    new CompileError(
      `Cannot use the compiled ${step.program} for ${step.target}: ${why}\n  Nothing was written to ${outputDir}\n  ${fix}`,
      1,
    );
  const checkDenort =
    "Check that DENORT_BIN, if set, is the `denort` of this Deno's release, then run `deno task compile` again";
  let answer: VersionAnswer;
  try {
    answer = await deps.version(step.output, { signal });
  } catch (error) {
    if (!(error instanceof Deno.errors.PermissionDenied)) throw error;
    throw refuse(
      `it cannot be run (${error.message.replace(/: .*$/s, "")})`,
      "Pass --output a folder on a file system that allows running programs (not mounted noexec)",
    );
  }
  if (signal.aborted) return;
  if ("timedOutAfterMs" in answer) {
    throw refuse(
      `\`${step.program} --version\` did not answer within ${
        answer.timedOutAfterMs / 1000
      } s, so it was killed`,
      checkDenort,
    );
  }
  const { code, stdout } = answer;
  const got = stdout.trim();
  if (code === 0 && got === want) return;
  const printed = got === "" ? "nothing" : `"${got.split("\n")[0]}"`;
  const fix = got.startsWith("deno ")
    ? `The binary is the deno CLI: set DENORT_BIN to the \`denort\` inside denort-${step.target}.zip, not to \`deno\``
    : checkDenort;
  throw refuse(
    `\`${step.program} --version\` exited ${code} and printed ${printed}, not "${want}"`,
    fix,
  );
}

/**
 * The real {@linkcode CompileDeps}: this machine's target, environment and
 * Deno, with output on the process's stdout and stderr.
 *
 * Requires `--allow-env`, `--allow-run` (deno, the built binaries),
 * `--allow-read`, `--allow-write` and `--allow-net=dl.deno.land`.
 *
 * @param options How long a built binary may take to answer `--version`.
 * @returns The dependencies of {@linkcode runCompile}.
 *
 * @example Usage
 * ```ts ignore
 * import { realDeps, runCompile } from "./compile.ts";
 *
 * Deno.exit(await runCompile(Deno.args, realDeps()));
 * ```
 */
export function realDeps(
  options: { versionTimeoutMs?: number } = {},
): CompileDeps {
  const { versionTimeoutMs = VERSION_TIMEOUT_MS } = options;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    hostTarget: Deno.build.target,
    env: (name) => Deno.env.get(name),
    cwd: () => Deno.cwd(),
    denoDir: async () => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["info", "--json"],
        stdout: "piped",
        stderr: "piped",
      }).output();
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
    deno: async (args, { signal }) => {
      // deno compile reports on stderr; anything on its stdout goes there
      // too, so that stdout carries only the binaries' paths.
      const { code, stdout, stopped } = await runChild(Deno.execPath(), args, {
        cwd: PROJECT_ROOT,
        signal,
      });
      writeAll(Deno.stderr, stdout);
      return code === 0 && !stopped;
    },
    version: async (path, { signal }) => {
      const { code, stdout, timedOut } = await runChild(path, ["--version"], {
        timeoutMs: versionTimeoutMs,
        signal,
      });
      if (timedOut) return { timedOutAfterMs: versionTimeoutMs };
      return { code, stdout: decoder.decode(stdout) };
    },
    onStopSignal: (listener) => {
      const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map(
        (signal) => {
          const handler = () => listener(signal);
          Deno.addSignalListener(signal, handler);
          return () => Deno.removeSignalListener(signal, handler);
        },
      );
      return () => handlers.forEach((remove) => remove());
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
