import { UNIT_DEPENDENCY_KEYS } from "../quadlet/unit_dependency_keys.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { serviceNameOf } from "../quadlet/service_name.ts";
import type { QuadletUnit } from "../quadlet/types.ts";
import { lookupAll } from "../unit/lookup.ts";
import { splitWords } from "../unit/split_words.ts";
import type { UnitFile } from "../unit/types.ts";
import type { Finding } from "../errors/finding.ts";

/**
 * Finds `[Unit]` dependencies on services that will never exist because they
 * are named after a quadlet file plus `.service`: `Requires=llm.network.service`
 * where Podman names the service of `llm.network` `llm-network.service`.
 * Podman's generator accepts such a unit (it translates only bare quadlet file
 * names such as `Requires=llm.network`), and then `systemctl start` fails with
 * `Unit llm.network.service not found.` The leger.run service renders every
 * container that joins a network this way.
 *
 * The remedy names the right service: the `ServiceName=` of the unit when the
 * deployment has it, Podman's default name otherwise. A word that is the
 * service name of one of the deployment's units (`ServiceName=llm.network`)
 * is left alone.
 *
 * @param units The deployment's units, with their typed views.
 * @returns One `ERR_UNIT_MISSING_REFERENCE` per wrong name and line.
 *
 * @example Usage
 * ```ts
 * import { checkDependencyNames } from "./check_dependency_names.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import type { QuadletUnit } from "../quadlet/types.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Unit]\nRequires=llm.network.service\n[Container]\nImage=x\n", { file: "web.container" });
 * const quadlet = { file: "web.container", serviceName: "web.service" } as QuadletUnit;
 * const [finding] = checkDependencyNames([{ unit, quadlet }]);
 * strictEqual(finding.remedy?.startsWith("Write `Requires=llm-network.service`"), true);
 * ```
 */
export function checkDependencyNames(
  units: readonly { unit: UnitFile; quadlet: QuadletUnit }[],
): Finding[] {
  const byFile = new Map(
    units.map(({ quadlet }) => [baseName(quadlet.file), quadlet]),
  );
  const services = new Set(units.map(({ quadlet }) => quadlet.serviceName));
  const findings: Finding[] = [];
  for (const { unit } of units) {
    for (const key of UNIT_DEPENDENCY_KEYS) {
      for (const entry of lookupAll(unit, "Unit", key)) {
        for (const word of new Set(words(entry.value))) {
          if (!word.endsWith(".service") || services.has(word)) continue;
          const stem = word.slice(0, -".service".length);
          if (quadletKindOf(stem) === null) continue;
          const right = byFile.get(stem)?.serviceName ?? serviceNameOf(stem);
          findings.push({
            code: "ERR_UNIT_MISSING_REFERENCE",
            message:
              `Cannot start "${unit.file}": ${key}=${word} at line ${entry.line} names a service that will not exist, since Podman names the service of "${stem}" "${right}"`,
            file: entry.file,
            line: entry.line,
            remedy:
              `Write \`${key}=${right}\`, or \`${key}=${stem}\` and let Podman translate it`,
          });
        }
      }
    }
  }
  return findings;
}

function words(value: string): string[] {
  try {
    return splitWords(value, { mode: "strv" });
  } catch (err) {
    // Podman skips a value it cannot split, and so does this check.
    if (err instanceof SyntaxError) return [];
    throw err;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
