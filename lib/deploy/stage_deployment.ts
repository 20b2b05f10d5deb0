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
 * Where a staged copy keeps the deployment's manifest (the format of
 * leger's `manifest.json` state file, in a folder no deployment file uses),
 * so that applying it later (`leger staged apply`) records the manifest the
 * source gave.
 */
export const STAGED_MANIFEST_DIR = ".leger";

/**
 * Stages a deployment: writes its files, as checked and normalised, into
 * `options.dir` atomically, with a record of its source,
 * version or commit, fetch time, checksums and normalisations, and its
 * manifest (in {@linkcode STAGED_MANIFEST_DIR}).
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
  const files = new Map(
    deployment.files.map((file) => [file.path, file.bytes]),
  );
  // Not listed in the record: readers of the files never see it.
  if (
    !deployment.files.some((f) => f.path.startsWith(`${STAGED_MANIFEST_DIR}/`))
  ) {
    files.set(
      `${STAGED_MANIFEST_DIR}/manifest.json`,
      new TextEncoder().encode(
        JSON.stringify(
          { deployments: { [deployment.name]: deployment.manifest } },
          null,
          2,
        ) + "\n",
      ),
    );
  }
  await writeDeploymentFolder(dir, record, files);
  return record;
}
