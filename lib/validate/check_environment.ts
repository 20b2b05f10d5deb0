import type { Finding } from "../errors/finding.ts";
import type { QuadletKind } from "../quadlet/types.ts";
import { splitWords } from "../unit/split_words.ts";
import type { UnitEntry, UnitFile } from "../unit/types.ts";
import { ENV_NAME_REGEXP } from "./_expand_variables.ts";

/** The kinds whose own section takes `Environment=` (podman-systemd.unit(5)). */
const OWN_ENVIRONMENT: Partial<Record<QuadletKind, string>> = {
  container: "Container",
  build: "Build",
};

/** A name Podman passes from the host's environment when written alone (`FOO5`). */
const HOST_NAME_REGEXP = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Finds `Environment=` lines whose value splits into more assignments than
 * meant. Both systemd (`[Service]`, systemd.exec(5)) and Podman's generator
 * (`[Container]`, `[Build]`) split the value at white space, honouring quotes:
 * `Environment=EXTRA_FLAGS=--alpha=1 --beta=2` sets `EXTRA_FLAGS=--alpha=1`
 * and then takes `--beta=2` as a second word, which systemd ignores
 * ("Invalid environment assignment") and Podman passes on as `--env
 * --beta=2`.
 *
 * A word after the first is suspect when it is no `NAME=value` assignment
 * with a valid name. In `[Container]` and `[Build]` a word that is a name
 * alone in capitals (`FOO5`) is Podman's way to pass a variable from the
 * host and is left alone; in `[Service]` every word must be an assignment.
 * Each suspect line is one warning (`ERR_UNIT_INVALID_VALUE`) at its file and
 * line, whose remedy shows the line with each assignment quoted.
 *
 * @param unit The unit, its drop-ins merged.
 * @param kind The unit's kind.
 * @returns The warnings, in section order then line order.
 *
 * @example Usage
 * ```ts
 * import { checkEnvironment } from "./check_environment.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit(
 *   "[Container]\nImage=busybox\nEnvironment=EXTRA_FLAGS=--alpha=1 --beta=2\n",
 *   { file: "web.container" },
 * );
 * const [finding] = checkEnvironment(unit, "container");
 * strictEqual(finding.line, 3);
 * strictEqual(
 *   finding.remedy,
 *   'Quote each assignment: Environment="EXTRA_FLAGS=--alpha=1 --beta=2"',
 * );
 * ```
 */
export function checkEnvironment(
  unit: UnitFile,
  kind: QuadletKind,
): Finding[] {
  const own = OWN_ENVIRONMENT[kind];
  return unit.sections.flatMap((section) => {
    const host = section.name === own;
    if (!host && section.name !== "Service") return [];
    return section.entries.flatMap((entry) =>
      entry.key === "Environment" ? checkEntry(entry, section.name, host) : []
    );
  });
}

function checkEntry(
  entry: UnitEntry,
  section: string,
  hostNames: boolean,
): Finding[] {
  let words: string[];
  try {
    words = splitWords(entry.value);
  } catch (error) {
    // Podman's own split rejects it; to_quadlet_unit and the generator report it.
    if (error instanceof SyntaxError) return [];
    throw error;
  }
  const groups: string[][] = [];
  const stray: string[] = [];
  for (const word of words) {
    if (isAssignment(word) || groups.length === 0) {
      groups.push([word]);
    } else if (hostNames && HOST_NAME_REGEXP.test(word)) {
      groups.push([word]);
    } else {
      groups[groups.length - 1].push(word);
      stray.push(word);
    }
  }
  if (stray.length === 0) return [];
  const effect = hostNames
    ? `Podman passes ${quoteList(stray)} on as ${
      stray.length === 1 ? "a variable of its own" : "variables of their own"
    } (--env)`
    : `systemd ignores ${quoteList(stray)} as ${
      stray.length === 1 ? "an invalid assignment" : "invalid assignments"
    }`;
  return [{
    code: "ERR_UNIT_INVALID_VALUE",
    message:
      `Cannot use Environment=${entry.value} in [${section}] as written: the value is split at white space, and ${effect}`,
    file: entry.file,
    line: entry.line,
    remedy: `Quote each assignment: Environment=${
      groups.map((g) => quote(g.join(" "))).join(" ")
    }`,
    severity: "warning",
  }];
}

function isAssignment(word: string): boolean {
  const eq = word.indexOf("=");
  return eq > 0 && ENV_NAME_REGEXP.test(word.slice(0, eq));
}

/** A word as `Environment=` reads it back: quoted when it holds white space or quotes. */
function quote(word: string): string {
  if (!/[\s"'\\]/.test(word)) return word;
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function quoteList(words: readonly string[]): string {
  return words.map((w) => `"${w}"`).join(", ");
}
