import { UNIT_DEPENDENCY_KEYS } from "../quadlet/unit_dependency_keys.ts";
import { LegerError } from "../errors/mod.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { parseUnit } from "../unit/parse_unit.ts";
import type { UnitNode } from "../unit/types.ts";
import type { Normalisation } from "./types.ts";

const DEPENDENCY_KEYS: ReadonlySet<string> = new Set(UNIT_DEPENDENCY_KEYS);

const SERVICE_SUFFIX = ".service";

/** Options for {@linkcode rewriteDependencyLines}. */
export interface RewriteDependencyLinesOptions {
  /** The quadlet unit files of the deployment, by file name (`llm.network`). */
  unitFiles: ReadonlySet<string>;
  /**
   * The service names the deployment's units really get (`llm-network.service`,
   * or a `ServiceName=`): a word that is one of them is left alone.
   */
  services: ReadonlySet<string>;
}

/** The rewritten text and one record per changed line. */
export interface RewriteDependencyLinesResult {
  text: string;
  changes: Normalisation[];
}

/**
 * Rewrites the `[Unit]` dependencies of one unit file that name a quadlet
 * file of the deployment plus `.service` (`Requires=llm.network.service`, a
 * service Podman never generates: it names it `llm-network.service`) to the
 * quadlet file name (`Requires=llm.network`), which Podman's generator
 * translates to the right service. This is the second known defect of the
 * deployed leger.run service.
 *
 * Only the words that change are touched: the rest of each line (other
 * words, quotes, spacing, a continuation `\`, a `\r`) and every other line
 * stay byte for byte. A file that does not parse is returned unchanged
 * (validation reports it).
 *
 * @param text The unit file's text.
 * @param file Its path in the deployment, for the records.
 * @param options The deployment's unit files and service names.
 * @returns The new text and a `{file, line, before, after}` record for each
 * changed line (whole lines, without a trailing `\r`).
 *
 * @example Usage
 * ```ts
 * import { rewriteDependencyLines } from "./_leger_run_dependency_lines.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const { text, changes } = rewriteDependencyLines(
 *   "[Unit]\nRequires=llm.network.service\n[Container]\nImage=caddy\n",
 *   "caddy.container",
 *   { unitFiles: new Set(["caddy.container", "llm.network"]), services: new Set() },
 * );
 * deepStrictEqual(text, "[Unit]\nRequires=llm.network\n[Container]\nImage=caddy\n");
 * deepStrictEqual(changes, [{
 *   file: "caddy.container", line: 2,
 *   before: "Requires=llm.network.service", after: "Requires=llm.network",
 * }]);
 * ```
 */
export function rewriteDependencyLines(
  text: string,
  file: string,
  options: RewriteDependencyLinesOptions,
): RewriteDependencyLinesResult {
  let nodes: UnitNode[];
  try {
    nodes = parseUnit(text, { file }).nodes;
  } catch (error) {
    if (error instanceof LegerError) return { text, changes: [] };
    throw error;
  }
  const lines = text.split("\n");
  const changes: Normalisation[] = [];
  let line = 0;
  for (const node of nodes) {
    const count = node.raw.split("\n").length;
    if (
      node.type === "entry" && node.section === "Unit" &&
      DEPENDENCY_KEYS.has(node.entry.key)
    ) {
      for (let i = 0; i < count; i++) {
        const before = lines[line + i];
        const after = rewriteLine(before, i === 0, options);
        if (after === before) continue;
        lines[line + i] = after;
        changes.push({
          file,
          line: line + i + 1,
          before: before.replace(/\r$/, ""),
          after: after.replace(/\r$/, ""),
        });
      }
    }
    line += count;
  }
  return { text: changes.length === 0 ? text : lines.join("\n"), changes };
}

function rewriteLine(
  line: string,
  first: boolean,
  options: RewriteDependencyLinesOptions,
): string {
  // A continuation may hold comment lines, which systemd drops.
  if (!first && /^\s*[#;]/.test(line)) return line;
  const start = first ? line.indexOf("=") + 1 : 0;
  const value = line.slice(start).replace(
    /\S+/g,
    (word) => rewriteWord(word, options),
  );
  return line.slice(0, start) + value;
}

function rewriteWord(
  word: string,
  options: RewriteDependencyLinesOptions,
): string {
  const continued = word.endsWith("\\") ? "\\" : "";
  let core = word.slice(0, word.length - continued.length);
  let quote = "";
  if (
    core.length >= 2 && (core[0] === '"' || core[0] === "'") &&
    core.at(-1) === core[0]
  ) {
    quote = core[0];
    core = core.slice(1, -1);
  }
  if (!core.endsWith(SERVICE_SUFFIX) || options.services.has(core)) return word;
  const stem = core.slice(0, -SERVICE_SUFFIX.length);
  if (quadletKindOf(stem) === null || !options.unitFiles.has(stem)) return word;
  return `${quote}${stem}${quote}${continued}`;
}
