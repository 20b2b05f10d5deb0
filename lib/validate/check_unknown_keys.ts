import type { QuadletKind } from "../quadlet/types.ts";
import type { UnitEntry, UnitFile, UnitSection } from "../unit/types.ts";
import { closestName } from "./closest_name.ts";
import type { Finding } from "../errors/finding.ts";
import { kindSection } from "../quadlet/kind_section.ts";
import { type QuadletSection, SUPPORTED_KEYS } from "./supported_keys.ts";

/** Sections systemd reads in the `.service` file the generator writes. */
const SYSTEMD_SECTIONS = ["Unit", "Service", "Install"];

const QUADLET_SECTIONS = Object.keys(SUPPORTED_KEYS) as QuadletSection[];

/**
 * Finds the keys and sections of a unit that Podman's generator or systemd
 * will not use, as the generator's `checkForUnknownKeys` does and beyond.
 *
 * - A key Podman does not know in the unit's own section (`[Container]` of a
 *   `.container`, …) or in `[Quadlet]`: an error (`ERR_UNIT_UNKNOWN_KEY`),
 *   since Podman rejects the whole unit. Each unknown key is reported once, at
 *   its first line, with the closest known key when one is near (searched for
 *   the first 50 unknown keys of a section only: past that, they are no
 *   typos, and each search costs a comparison with every known key).
 * - The section of another kind (`[Container]` in a `.volume`): Podman leaves
 *   it alone and systemd ignores it with a log line, so its keys silently do
 *   nothing: a warning.
 * - Any other section that is not `[Unit]`, `[Service]`, `[Install]` or an
 *   `X-` extension: a warning, with the closest section name when one is
 *   near (`[Containr]`).
 *
 * `[Unit]`, `[Service]` and `[Install]` are systemd's to check.
 *
 * @param unit The unit, its drop-ins merged (entries keep their own file).
 * @param kind The unit's kind.
 * @returns The findings, in source order.
 *
 * @example Usage
 * ```ts
 * import { checkUnknownKeys } from "./check_unknown_keys.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Container]\nImage=nginx\nPublishPorts=80:80\n", { file: "web.container" });
 * const [finding] = checkUnknownKeys(unit, "container");
 * strictEqual(finding.code, "ERR_UNIT_UNKNOWN_KEY");
 * strictEqual(finding.line, 3);
 * strictEqual(finding.remedy, "Did you mean `PublishPort`?");
 * ```
 */
export function checkUnknownKeys(unit: UnitFile, kind: QuadletKind): Finding[] {
  const own = kindSection(kind);
  const findings: Finding[] = [];
  for (const section of unit.sections) {
    const name = section.name;
    if (name === own || name === "Quadlet") {
      // A loop, not push(...): a section may hold 200,000 unknown keys.
      for (const finding of unknownKeys(unit, section, name)) {
        findings.push(finding);
      }
    } else if ((QUADLET_SECTIONS as string[]).includes(name)) {
      findings.push(foreignSection(unit, section, own));
    } else if (!SYSTEMD_SECTIONS.includes(name) && !name.startsWith("X-")) {
      findings.push(unknownSection(unit, section, own));
    }
  }
  return findings;
}

function unknownKeys(
  unit: UnitFile,
  section: UnitSection,
  name: QuadletSection,
): Finding[] {
  const supported = SUPPORTED_KEYS[name];
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const entry of section.entries) {
    if (supported.has(entry.key) || seen.has(entry.key)) continue;
    seen.add(entry.key);
    const suggest = seen.size <= MAX_KEYS_SUGGESTED;
    findings.push(unknownKey(unit, entry, name, suggest ? supported : []));
  }
  return findings;
}

/** How many unknown keys of a section get a closest known key searched. */
const MAX_KEYS_SUGGESTED = 50;

function unknownKey(
  unit: UnitFile,
  entry: UnitEntry,
  section: QuadletSection,
  supported: Iterable<string>,
): Finding {
  const suggestion = closestName(entry.key, supported);
  const elsewhere = QUADLET_SECTIONS.filter((s) =>
    s !== section && SUPPORTED_KEYS[s].has(entry.key)
  );
  let remedy: string;
  if (suggestion !== undefined) {
    remedy = `Did you mean \`${suggestion}\`?`;
  } else if (section === "Quadlet") {
    remedy = "Remove it: [Quadlet] only takes DefaultDependencies=";
  } else if (elsewhere.length > 0) {
    remedy = `Remove it: ${entry.key}= belongs to [${
      elsewhere.join("], [")
    }], not [${section}]`;
  } else {
    remedy = `Remove it, or pass the option to podman with PodmanArgs=`;
  }
  return {
    code: "ERR_UNIT_UNKNOWN_KEY",
    message:
      `Cannot use key "${entry.key}" in [${section}] of "${entry.file}" at line ${entry.line}: Podman's quadlet generator does not know it and rejects "${unit.file}"`,
    file: entry.file,
    line: entry.line,
    remedy,
  };
}

function foreignSection(
  unit: UnitFile,
  section: UnitSection,
  own: QuadletSection,
): Finding {
  return {
    code: "ERR_UNIT_UNKNOWN_KEY",
    message: `Section [${section.name}] of "${
      section.file ?? unit.file
    }" at line ${section.line} has no effect: Podman reads only [${own}] in "${unit.file}", and systemd ignores [${section.name}]`,
    file: section.file ?? unit.file,
    line: section.line,
    remedy: `Move its keys to [${own}], or the unit they belong to`,
    severity: "warning",
  };
}

function unknownSection(
  unit: UnitFile,
  section: UnitSection,
  own: QuadletSection,
): Finding {
  const suggestion = closestName(section.name, [
    own,
    ...SYSTEMD_SECTIONS,
    "Quadlet",
  ]);
  return {
    code: "ERR_UNIT_UNKNOWN_KEY",
    message: `Section [${section.name}] of "${
      section.file ?? unit.file
    }" at line ${section.line} has no effect: neither Podman nor systemd reads it`,
    file: section.file ?? unit.file,
    line: section.line,
    remedy: suggestion === undefined
      ? `Remove it, or name it [X-${section.name}] to keep it as a note`
      : `Did you mean [${suggestion}]?`,
    severity: "warning",
  };
}
