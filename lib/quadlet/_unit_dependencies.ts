import { UNIT_DEPENDENCY_KEYS } from "./unit_dependency_keys.ts";
import type { UnitFile } from "../unit/types.ts";
import { lookupWords } from "./_lookup_words.ts";
import { quadletKindOf } from "./kind.ts";
import { serviceNameOf } from "./service_name.ts";
import type { UnitRef } from "./types.ts";

interface ServiceIndex {
  size: number;
  byService: Map<string, string>;
}

// Built once per siblings map (rebuilt when its size changes): naming every
// sibling's service for each unit would make a deployment of n units cost n²
// lookups. A map whose units are replaced in place keeps its stale index.
const SERVICE_INDEXES = new WeakMap<
  ReadonlyMap<string, UnitFile>,
  ServiceIndex
>();

/**
 * Lists the other quadlet units a unit's `[Unit]` dependencies name: a
 * quadlet file name (`Requires=db.container`, which Podman translates to
 * `db.service`), or the service of a sibling (`After=llm-network.service`
 * when the deployment has `llm.network`). Words are split as Podman's
 * `LookupAllStrv` does; other services and targets are left out.
 *
 * @param unit The unit.
 * @param siblings The other units of the deployment by file name.
 * @returns The references, in source order.
 * @throws {LegerError} `ERR_UNIT_INVALID_VALUE` when a value cannot be split.
 *
 * @example Usage
 * ```ts
 * import { unitDependencies } from "./_unit_dependencies.ts";
 * import { parseUnit } from "../unit/parse_unit.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const unit = parseUnit("[Unit]\nRequires=db.container network-online.target\n", { file: "web.container" });
 * deepStrictEqual(unitDependencies(unit, new Map()), [
 *   { key: "Requires", unit: "db.container", line: 2, file: "web.container" },
 * ]);
 * ```
 */
export function unitDependencies(
  unit: UnitFile,
  siblings: ReadonlyMap<string, UnitFile>,
): UnitRef[] {
  const refs: UnitRef[] = [];
  if (!unit.sections.some((section) => section.name === "Unit")) return refs;
  const self = unit.file.slice(unit.file.lastIndexOf("/") + 1);
  for (const key of UNIT_DEPENDENCY_KEYS) {
    for (const { word, entry } of lookupWords(unit, "Unit", key, "strv")) {
      let target: string | undefined;
      if (quadletKindOf(word) !== null) target = word;
      else if (word.endsWith(".service")) {
        target = serviceIndex(siblings).get(word);
      }
      if (target !== undefined && target !== self) {
        refs.push({ key, unit: target, line: entry.line, file: entry.file });
      }
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

function serviceIndex(
  siblings: ReadonlyMap<string, UnitFile>,
): Map<string, string> {
  const cached = SERVICE_INDEXES.get(siblings);
  if (cached !== undefined && cached.size === siblings.size) {
    return cached.byService;
  }
  const byService = new Map<string, string>();
  for (const [fileName, sibling] of siblings) {
    if (quadletKindOf(fileName) === null) continue;
    const service = serviceNameOf(fileName, { unit: sibling });
    if (!byService.has(service)) byService.set(service, fileName);
  }
  SERVICE_INDEXES.set(siblings, { size: siblings.size, byService });
  return byService;
}
