import type { LoadedDeployment } from "../source/types.ts";
import {
  type DeploymentRecord,
  writeDeploymentFolder,
} from "../state/deployment_folder.ts";

/** Options for {@linkcode stageDeployment}. */
export interface StageDeploymentOptions {
  /**
   * The folder to stage in: `<workDir>/staged/<deployment>` for a staged
   * update, a temporary folder beside it for an install.
   */
  dir: string;
  /** When the deployment was fetched. */
  now: Date;
}

/**
 * Stages a deployment: writes its files, as checked and normalised, into
 * `options.dir` atomically, with a record of its source,
 * version or commit, fetch time, checksums and normalisations.
 *
 * Requires `--allow-read` and `--allow-write` for the folder's parent.
 *
 * @returns The record written.
 *
 * @example Usage
 * ```ts ignore
 * import { stageDeployment } from "./stage_deployment.ts";
 * const record = await stageDeployment(deployment, { dir, now: new Date() });
 * ```
 */
export async function stageDeployment(
  deployment: LoadedDeployment,
  options: StageDeploymentOptions,
): Promise<DeploymentRecord> {
  const { dir, now } = options;
  const record: DeploymentRecord = {
    deployment: deployment.name,
    source: deployment.source,
    fetched_at: now.toISOString(),
    files: deployment.files.map((file) => ({
      name: file.path,
      sha256: file.sha256,
    })),
    normalisations: deployment.normalisations ?? [],
  };
  await writeDeploymentFolder(
    dir,
    record,
    new Map(deployment.files.map((file) => [file.path, file.bytes])),
  );
  return record;
}
