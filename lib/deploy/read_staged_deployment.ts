import { LegerError } from "../errors/mod.ts";
import { discoverManifest } from "../manifest/discover_manifest.ts";
import { sha256Hex } from "../source/sha256_hex.ts";
import type { LoadedDeployment } from "../source/types.ts";
import { readDeploymentFolder } from "../state/deployment_folder.ts";
import { readManifests } from "../state/manifests_file.ts";
import { STAGED_MANIFEST_DIR } from "./stage_deployment.ts";

/**
 * Reads a staged copy (`staged/<name>/`, written by
 * {@linkcode stageDeployment}) back as the deployment it was staged from,
 * for `leger staged apply`: the files, each checked against the checksum
 * its record gives, the source and normalisations of the record, and the
 * manifest kept beside them (one discovered from the files for a copy
 * staged before leger kept it).
 *
 * Requires `--allow-read` for the folder.
 *
 * @param dir The staged folder.
 * @returns The deployment, or `null` when nothing is staged there.
 * @throws {LegerError} `ERR_CHECKSUM_MISMATCH` naming a file changed since
 * it was staged; `ERR_STATE_INVALID` for a damaged record or manifest.
 *
 * @example Usage
 * ```ts ignore
 * import { readStagedDeployment } from "./read_staged_deployment.ts";
 * const deployment = await readStagedDeployment(`${workDir}/staged/web`);
 * ```
 */
export async function readStagedDeployment(
  dir: string,
): Promise<LoadedDeployment | null> {
  const folder = await readDeploymentFolder(dir);
  if (folder === null) return null;
  const { record } = folder;
  const files = [];
  for (const { name, sha256 } of record.files) {
    const bytes = folder.files.get(name)!;
    const actual = await sha256Hex(bytes);
    if (actual !== sha256) {
      throw new LegerError(
        "ERR_CHECKSUM_MISMATCH",
        `Cannot apply the staged "${record.deployment}": ${name} changed since it was staged`,
        {
          file: `${dir}/${name}`,
          details: [`expected: ${sha256}`, `actual:   ${actual}`],
          remedy:
            `Nothing was changed; stage it again with \`leger staged stage ${record.deployment}\`, or discard it with \`leger staged discard ${record.deployment}\``,
        },
      );
    }
    files.push({ path: name, bytes, sha256 });
  }
  const kept = await readManifests(`${dir}/${STAGED_MANIFEST_DIR}`);
  return {
    name: record.deployment,
    source: record.source,
    files,
    manifest: kept[record.deployment] ??
      discoverManifest(files.map((f) => f.path), { name: record.deployment }),
    normalisations: record.normalisations,
  };
}
