/**
 * Podman's own check of a folder of quadlet units: its systemd generator run
 * as `QUADLET_UNIT_DIRS=<dir> quadlet -dryrun [-user]`, which converts every
 * unit without installing anything and names the file of each unit it
 * rejects. leger runs it after its own validation when the generator is
 * installed (Podman 4.4 and later ship it; Debian's Podman 4.3 does not).
 *
 * Requires `--allow-read` and `--allow-run` for the generator's path.
 *
 * @module
 */
import type { UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";
import { parseGeneratorStderr } from "../validate/parse_generator_stderr.ts";
import { run, type Runner } from "./run.ts";

/** Lines of the generator that say nothing about a failure. */
const SUMMARY_OR_DEBUG_REGEXP =
  /^(processing encountered some errors|Loading source|No files parsed|Starting quadlet-generator|writing )/;

/** Where distributions install Podman's quadlet generator. */
export const QUADLET_GENERATOR_PATHS: readonly string[] = [
  "/usr/libexec/podman/quadlet",
  "/usr/lib/podman/quadlet",
];

/**
 * Finds Podman's quadlet generator.
 *
 * @param candidates The paths to try, in order.
 * @returns The first path that is a file, or `null` when there is none.
 * @throws {Deno.errors.NotCapable} Without read permission for a candidate.
 *
 * @example Usage
 * ```ts ignore
 * import { findQuadletGenerator } from "./quadlet_generator.ts";
 *
 * const generator = await findQuadletGenerator();
 * if (generator === null) console.error("Podman's quadlet generator is not installed");
 * ```
 */
export async function findQuadletGenerator(
  candidates: readonly string[] = QUADLET_GENERATOR_PATHS,
): Promise<string | null> {
  for (const path of candidates) {
    try {
      if ((await Deno.stat(path)).isFile) return path;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  return null;
}

/** Options for {@linkcode checkWithQuadletGenerator}. */
export interface CheckWithQuadletGeneratorOptions {
  /**
   * Convert as the user generator does (`-user`), as for a rootless install.
   *
   * @default {false}
   */
  user?: boolean;
  /**
   * The generator to run; found with {@linkcode findQuadletGenerator} when
   * not given.
   *
   * @default {undefined}
   */
  generator?: string;
  /**
   * Runs the generator.
   *
   * @default {run}
   */
  runner?: Runner;
  /**
   * The parsed units of the folder, to give the line of a key the generator
   * rejects.
   *
   * @default {[]}
   */
  units?: readonly UnitFile[];
  /**
   * Stops the generator.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Runs Podman's quadlet generator in dry-run mode over a folder of units and
 * reports what it rejects, as findings (see `parseGeneratorStderr`). The
 * generator exits 1 when any unit fails; if it does so without naming a file,
 * one finding with an empty `file` carries the last line it printed.
 *
 * @param dir The folder holding the units (and their drop-ins and files).
 * @param options User mode, the generator, the runner and the parsed units.
 * @returns The findings (empty when every unit converts), or `null` when the
 * generator is not installed and the check must be skipped.
 * @throws {CommandError} If the generator fails otherwise (exit code not 0 or 1).
 *
 * @example Usage
 * ```ts
 * import { checkWithQuadletGenerator } from "./quadlet_generator.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "/usr/libexec/podman/quadlet",
 *   args: ["-dryrun", "-user"],
 *   result: {
 *     code: 1,
 *     stderr: "quadlet-generator[7]: converting \"web.container\": no Image or Rootfs key specified\n",
 *   },
 * }]);
 * const findings = await checkWithQuadletGenerator("/tmp/stage", {
 *   user: true,
 *   generator: "/usr/libexec/podman/quadlet",
 *   runner,
 * });
 * strictEqual(findings?.[0].file, "web.container");
 * ```
 */
export async function checkWithQuadletGenerator(
  dir: string,
  options: CheckWithQuadletGeneratorOptions = {},
): Promise<Finding[] | null> {
  const { user = false, runner = run, units = [], signal } = options;
  const generator = options.generator ?? await findQuadletGenerator();
  if (generator === null) return null;
  const { code, stderr } = await runner(
    generator,
    user ? ["-dryrun", "-user"] : ["-dryrun"],
    {
      env: { QUADLET_UNIT_DIRS: dir },
      allowedExitCodes: [1],
      signal,
    },
  );
  const findings = parseGeneratorStderr(stderr, { dir, units });
  if (code !== 0 && !findings.some((f) => f.severity !== "warning")) {
    const lines = stderr.split("\n")
      .map((line) => line.replace(/^quadlet-generator\[\d+\]: /, "").trim())
      .filter((line) => line !== "" && !SUMMARY_OR_DEBUG_REGEXP.test(line));
    findings.push({
      code: "ERR_QUADLET_GENERATOR",
      message: `Podman's quadlet generator rejects the units in "${dir}": ${
        lines.at(-1) ?? `it exited with code ${code}`
      }`,
      file: "",
      remedy: `Run \`QUADLET_UNIT_DIRS=${dir} ${generator} -dryrun${
        user ? " -user" : ""
      }\` to see its full output`,
    });
  }
  return findings;
}
