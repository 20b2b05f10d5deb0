import type { UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";

/** Options for {@linkcode parseGeneratorStderr}. */
export interface ParseGeneratorStderrOptions {
  /**
   * The folder the generator read (`QUADLET_UNIT_DIRS`): paths below it are
   * shown relative to it.
   *
   * @default {undefined}
   */
  dir?: string;
  /**
   * The units the generator read, used to find the line of the key an
   * `unsupported key` message names (the generator gives none).
   *
   * @default {[]}
   */
  units?: readonly UnitFile[];
}

const PREFIX_REGEXP = /^quadlet-generator\[\d+\]: /;
const CONVERTING_REGEXP = /^converting "([^"]+)": (.*)$/;
const UNSUPPORTED_KEY_REGEXP =
  /^unsupported key '([^']*)' in group '([^']*)' in (.*)$/;
const LOADING_REGEXP = /^error loading "([^"]+)", (.*)$/;
const LINE_REGEXP = /^file contains line (\d+):/;
const READING_DIRECTORY_REGEXP = /^error reading directory "([^"]+)", (.*)$/;
const WARNING_FILE_REGEXP =
  /^Warning: (\S+\.(?:container|volume|network|pod|kube|image|build|artifact)) /;

/**
 * Turns what Podman's quadlet generator writes to stderr (`quadlet -dryrun`)
 * into findings. It recognises the generator's error lines (each may carry
 * its `quadlet-generator[PID]: ` prefix, or none when several errors are
 * joined):
 *
 * - `converting "x.container": <reason>`: `ERR_QUADLET_GENERATOR` for that
 *   unit; for `unsupported key 'K' in group 'G' in <path>` the line of `K`
 *   is looked up in `options.units`;
 * - `error loading "<path>", <reason>`: `ERR_QUADLET_GENERATOR` for the file
 *   (a unit or a drop-in), with the line when the parser names one;
 * - `error reading directory "<path>", <reason>`: `ERR_QUADLET_GENERATOR`
 *   for that drop-in folder (a file named `x.container.d`, for one);
 * - `Warning: x.container …`: a warning for that unit (a short image name,
 *   `User=` in `[Service]`…).
 *
 * Debug output (`-dryrun` turns it on) and lines about no particular file
 * are skipped; the caller decides what a failing run with no finding means.
 *
 * @param stderr The generator's stderr.
 * @param options The folder it read and the units in it.
 * @returns The findings, in output order, each error once.
 *
 * @example Usage
 * ```ts
 * import { parseGeneratorStderr } from "./parse_generator_stderr.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const stderr = "quadlet-generator[42]: converting \"web.container\": unsupported key 'Foo' in group 'Container' in /tmp/d/web.container\n";
 * deepStrictEqual(parseGeneratorStderr(stderr, { dir: "/tmp/d" }), [{
 *   code: "ERR_QUADLET_GENERATOR",
 *   message: "Podman's quadlet generator rejects \"web.container\": unsupported key 'Foo' in group 'Container'",
 *   file: "web.container",
 *   remedy: "Remove or correct Foo= in [Container]",
 * }]);
 * ```
 */
export function parseGeneratorStderr(
  stderr: string,
  options: ParseGeneratorStderrOptions = {},
): Finding[] {
  const { dir, units = [] } = options;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const push = (finding: Finding) => {
    const key = `${finding.file}|${finding.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };
  for (const raw of stderr.split("\n")) {
    const line = raw.replace(PREFIX_REGEXP, "").trim();
    const converting = CONVERTING_REGEXP.exec(line);
    if (converting !== null) {
      push(conversionError(converting[1], converting[2], units, dir));
      continue;
    }
    const loading = LOADING_REGEXP.exec(line);
    if (loading !== null) {
      const file = relative(loading[1], dir);
      const number = LINE_REGEXP.exec(loading[2]);
      push({
        code: "ERR_QUADLET_GENERATOR",
        message: `Podman's quadlet generator cannot read "${file}": ${
          loading[2]
        }`,
        file,
        ...(number === null ? {} : { line: Number(number[1]) }),
        remedy:
          "Fix the syntax of the file: each line must be a [Section], a Key=value or a comment",
      });
      continue;
    }
    const reading = READING_DIRECTORY_REGEXP.exec(line);
    if (reading !== null) {
      const file = relative(reading[1], dir);
      push({
        code: "ERR_QUADLET_GENERATOR",
        message:
          `Podman's quadlet generator cannot read the drop-in folder "${file}": ${
            strip(reading[2], dir)
          }`,
        file,
        remedy: `Make ${file} a folder of .conf files`,
      });
      continue;
    }
    const warning = WARNING_FILE_REGEXP.exec(line);
    if (warning !== null) {
      push({
        code: "ERR_QUADLET_GENERATOR",
        message: `Podman's quadlet generator warns about "${warning[1]}": ${
          line.slice("Warning: ".length)
        }`,
        file: warning[1],
        severity: "warning",
      });
    }
  }
  return findings;
}

function conversionError(
  file: string,
  reason: string,
  units: readonly UnitFile[],
  dir: string | undefined,
): Finding {
  const unsupported = UNSUPPORTED_KEY_REGEXP.exec(reason);
  if (unsupported === null) {
    return {
      code: "ERR_QUADLET_GENERATOR",
      message: `Podman's quadlet generator rejects "${file}": ${
        strip(reason, dir)
      }`,
      file,
    };
  }
  const [, key, group] = unsupported;
  const entry = units.find((u) => baseName(u.file) === file)
    ?.sections.find((s) => s.name === group)
    ?.entries.find((e) => e.key === key);
  return {
    code: "ERR_QUADLET_GENERATOR",
    message:
      `Podman's quadlet generator rejects "${file}": unsupported key '${key}' in group '${group}'`,
    file: entry?.file ?? file,
    ...(entry === undefined ? {} : { line: entry.line }),
    remedy: `Remove or correct ${key}= in [${group}]`,
  };
}

/** Shows paths below `dir` relative to it. */
function strip(text: string, dir: string | undefined): string {
  return dir === undefined
    ? text
    : text.replaceAll(`${dir.replace(/\/$/, "")}/`, "");
}

function relative(path: string, dir: string | undefined): string {
  const prefix = dir === undefined ? undefined : `${dir.replace(/\/$/, "")}/`;
  return prefix !== undefined && path.startsWith(prefix)
    ? path.slice(prefix.length)
    : baseName(path);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
