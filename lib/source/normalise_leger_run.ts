import { loadUnits } from "../quadlet/load_units.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import { isUnitTextFile } from "./_is_unit_text_file.ts";
import { rewriteDependencyLines } from "./_leger_run_dependency_lines.ts";
import { sha256Hex } from "./sha256_hex.ts";
import type { DeploymentFile, Normalisation } from "./types.ts";

const VOLUME = ".volume";

/** The staged files and what was changed to get them. */
export interface NormaliseLegerRunResult {
  /** The files to stage, sorted by path, each `sha256` that of its staged bytes. */
  files: DeploymentFile[];
  /** Every change: renames first, then changed lines by file and line. */
  normalisations: Normalisation[];
}

/**
 * Applies exactly the normalisations that the leger.run contract prescribes
 * for the known defects of the deployed service ("Known defects…" in
 * `../shared/contracts/leger-run-api.md`) to the files of a rendered
 * deployment, and records each one. The files must be the bytes as served,
 * already checked against the manifest's checksums.
 *
 * 1. A volume unit stored as `<name>.volume` where `<name>` already ends in
 *    `.volume` (`openwebui.volume.volume`), while a unit of the deployment
 *    references `<name>` (`Volume=openwebui.volume:/data`) and the deployment
 *    has no file of that name, is staged as `<name>` (`openwebui.volume`).
 *    Recorded with `line: null` and the file names as `before` and `after`.
 * 2. A `[Unit]` dependency (`Requires=`, `After=`, `Wants=`, … — the keys
 *    Podman translates) naming a quadlet file of the deployment plus
 *    `.service` (`Requires=llm.network.service`) is rewritten to the quadlet
 *    file name (`Requires=llm.network`), which Podman translates into the
 *    service it really generates (`llm-network.service`). A word that is the
 *    real service name of one of the units (a `ServiceName=llm.network`) is
 *    left alone, and so is a `.service` of a quadlet file the deployment does
 *    not have (validation reports that one). One record per changed line,
 *    with the whole line as `before` and `after`, numbered as in the file.
 *
 * The third defect (the CLI form of the manifest omits `.network` units and
 * other files the units reference) changes no content: the leger.run source
 * fetches those files before this runs.
 *
 * Nothing else is touched: every other file keeps its bytes, and a changed
 * file changes only in the words rewritten. Pure (no I/O); asynchronous only
 * because hashing is.
 *
 * @param files The deployment's files as served.
 * @returns The files to stage and the normalisations.
 *
 * @example Usage
 * ```ts
 * import { normaliseLegerRun } from "./normalise_leger_run.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const file = (path: string, text: string) => ({
 *   path, bytes: new TextEncoder().encode(text), sha256: "",
 * });
 * const { files, normalisations } = await normaliseLegerRun([
 *   file("db.container", "[Unit]\nRequires=llm.network.service\n[Container]\nImage=postgres\nNetwork=llm.network\nVolume=db.volume:/data\n"),
 *   file("db.volume.volume", "[Volume]\n"),
 *   file("llm.network", "[Network]\n"),
 * ]);
 * deepStrictEqual(files.map((f) => f.path), ["db.container", "db.volume", "llm.network"]);
 * deepStrictEqual(normalisations, [
 *   { file: "db.volume", line: null, before: "db.volume.volume", after: "db.volume" },
 *   { file: "db.container", line: 2, before: "Requires=llm.network.service", after: "Requires=llm.network" },
 * ]);
 * ```
 */
export async function normaliseLegerRun(
  files: readonly DeploymentFile[],
): Promise<NormaliseLegerRunResult> {
  const paths = new Set(files.map((file) => file.path));
  const referenced = new Set(
    loadUnits(files).units.flatMap(({ quadlet }) =>
      quadlet.units.map((ref) => ref.unit)
    ),
  );
  const renames: Normalisation[] = [];
  const renamed = files.map((file) => {
    const target = file.path.slice(0, -VOLUME.length);
    if (
      file.path.includes("/") || !file.path.endsWith(VOLUME) ||
      !target.endsWith(VOLUME) || paths.has(target) || !referenced.has(target)
    ) return file;
    renames.push({
      file: target,
      line: null,
      before: file.path,
      after: target,
    });
    return { ...file, path: target };
  });

  const unitFiles = new Set(
    renamed.map((file) => file.path).filter((path) =>
      !path.includes("/") && quadletKindOf(path) !== null
    ),
  );
  const services = new Set(
    loadUnits(renamed).units.map(({ quadlet }) => quadlet.serviceName),
  );
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const encoder = new TextEncoder();
  const lineChanges: Normalisation[] = [];
  const staged = await Promise.all(renamed.map(async (file) => {
    if (!isUnitTextFile(file.path)) return file;
    const { text, changes } = rewriteDependencyLines(
      decoder.decode(file.bytes),
      file.path,
      { unitFiles, services },
    );
    if (changes.length === 0) return file;
    lineChanges.push(...changes);
    const bytes = encoder.encode(text);
    return { path: file.path, bytes, sha256: await sha256Hex(bytes) };
  }));

  return {
    files: staged.sort((a, b) => compare(a.path, b.path)),
    normalisations: [
      ...renames.sort((a, b) => compare(a.file, b.file)),
      ...lineChanges.sort((a, b) =>
        compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0)
      ),
    ],
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
