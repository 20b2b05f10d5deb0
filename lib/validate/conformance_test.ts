// Podman's own quadlet test units (../shared/fixtures/podman-quadlet-e2e/,
// LEGER_PODMAN_CORPUS or .corpus/: see lib/unit/_fixtures.ts; read in place,
// never copied; ignored when absent) as a conformance suite: every unit
// Podman's generator accepts must pass the per-unit checks without an error,
// and every unit it rejects (`## assert-failed`) must be caught by leger
// before Podman sees it, by the checks here or by toQuadletUnit.
import { ok } from "node:assert/strict";
import { parseUnit } from "../unit/parse_unit.ts";
import { mergeDropIns, selectDropIns } from "../unit/drop_ins.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { toQuadletUnit } from "../quadlet/to_quadlet_unit.ts";
import type { UnitFile } from "../unit/types.ts";
import type { QuadletKind } from "../quadlet/types.ts";
import { checkUnknownKeys } from "./check_unknown_keys.ts";
import { checkRequiredKeys } from "./check_required_keys.ts";
import { checkValues } from "./check_values.ts";
import { checkReferences } from "./check_references.ts";
import type { Finding } from "../errors/finding.ts";
import { LegerError } from "../errors/leger_error.ts";
import {
  needsCorpus,
  PODMAN_CORPUS,
  PODMAN_FIXTURES,
} from "../unit/_fixtures.ts";

const FIXTURES = PODMAN_FIXTURES;

async function listFiles(dir: URL, prefix = ""): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      paths.push(
        ...await listFiles(new URL(`${entry.name}/`, dir), `${path}/`),
      );
    } else if (entry.isFile) paths.push(path);
  }
  return paths.sort();
}

async function loadUnit(path: string, all: string[]): Promise<UnitFile> {
  const unit = parseUnit(await Deno.readTextFile(new URL(path, FIXTURES)), {
    file: path,
  });
  const dropIns = await Promise.all(
    selectDropIns(path, all).map(async (p) =>
      parseUnit(await Deno.readTextFile(new URL(p, FIXTURES)), { file: p })
    ),
  );
  return mergeDropIns(unit, dropIns);
}

function errors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== "warning");
}

function perUnit(unit: UnitFile, kind: QuadletKind): Finding[] {
  return errors([
    ...checkUnknownKeys(unit, kind),
    ...checkRequiredKeys(unit, kind),
    ...checkValues(unit, kind),
  ]);
}

const all = PODMAN_CORPUS ? await listFiles(FIXTURES) : [];
const units = all.filter((path) =>
  !path.includes("/") && quadletKindOf(path) !== null
);

Deno.test(
  needsCorpus("validation accepts every unit Podman's generator accepts"),
  async () => {
    ok(
      units.length > 200,
      `expected Podman's fixtures in ${FIXTURES.pathname}`,
    );
    const wrong: string[] = [];
    for (const path of units) {
      const text = await Deno.readTextFile(new URL(path, FIXTURES));
      if (text.includes("## assert-failed")) continue;
      const findings = perUnit(await loadUnit(path, all), quadletKindOf(path)!);
      for (const f of findings) {
        wrong.push(`${f.file}:${f.line ?? ""} ${f.message}`);
      }
    }
    ok(wrong.length === 0, `false findings:\n${wrong.join("\n")}`);
  },
);

Deno.test(
  needsCorpus("validation rejects every unit Podman's generator rejects"),
  async () => {
    const missed: string[] = [];
    let failing = 0;
    for (const path of units) {
      const text = await Deno.readTextFile(new URL(path, FIXTURES));
      if (!text.includes("## assert-failed")) continue;
      failing++;
      const unit = await loadUnit(path, all);
      const kind = quadletKindOf(path)!;
      if (perUnit(unit, kind).length > 0) continue;
      let quadlet;
      try {
        quadlet = toQuadletUnit(unit);
      } catch (err) {
        // toQuadletUnit rejects the value (Pod=, Mount=…), as Podman does.
        if (
          err instanceof LegerError && err.code === "ERR_UNIT_INVALID_VALUE"
        ) {
          continue;
        }
        throw err;
      }
      if (checkReferences([quadlet], { deploymentFiles: [path] }).length > 0) {
        continue;
      }
      missed.push(
        `${path}: ${text.match(/## assert-stderr-contains (.*)/)?.[1] ?? ""}`,
      );
    }
    ok(failing > 20, "expected Podman's failing fixtures");
    ok(missed.length === 0, `not caught:\n${missed.join("\n")}`);
  },
);
