/**
 * What a source (local folder, Git, leger.run) hands to planning: the files of
 * one deployment, read and checked, plus its manifest when it has one.
 *
 * @module
 */

import type { DeploymentFile, Manifest } from "../manifest/types.ts";

/** Where a deployment came from, as recorded in the plan and in state. */
export interface SourceInfo {
  /**
   * Which kind of source: a local folder (`readLocalSource()`), a folder of a
   * Git repository (`fetchGitSource()`) or a version of a leger.run space
   * (`fetchLegerRunSource()`).
   */
  type: "local" | "git" | "leger.run";
  /** Absolute path for a local folder, URL (without credentials) otherwise. */
  location: string;
  /**
   * For Git, the branch or tag fetched (absent when the remote did not say
   * which branch `HEAD` is); for leger.run, the release name the user asked
   * for. Absent for a local folder.
   */
  ref?: string;
  /** For Git, the full id of the commit checked out (`FETCH_HEAD`); absent otherwise. */
  commit?: string;
  /**
   * For leger.run, the version fetched (`vN`, or `latest` when the space
   * has a real `latest/` folder); for a local folder, its manifest's
   * `version` when it gives one; absent for Git.
   */
  version?: string;
}

export type {
  DeploymentFile,
  Manifest,
  ManifestService,
} from "../manifest/types.ts";

/**
 * A change leger made to a staged file so that a known defect of the
 * deployed leger.run service does not break the install (contract, last
 * section). Applied to the staged copy only, after checksums were verified.
 */
export interface Normalisation {
  /** The staged file changed (or renamed to), such as `caddy.container`. */
  file: string;
  /** The 1-based line changed; `null` for a renamed file. */
  line: number | null;
  /** The line (or file name) as served. */
  before: string;
  /** The line (or file name) as staged. */
  after: string;
}

/** A deployment read from a source, checked for safety and checksums. */
export interface LoadedDeployment {
  /**
   * The deployment's name: the manifest's `name`, else the folder's name
   * (for leger.run: the name asked for, the release name or `leger-run`). It
   * names the deployment's folders under `staged/` and `active/` and its
   * entry in `deployments.yaml`.
   */
  name: string;
  /** Where the files came from. */
  source: SourceInfo;
  /** Files sorted by path. */
  files: DeploymentFile[];
  /**
   * The manifest: `manifest.json` or `.leger.yaml` when the source has one,
   * else one discovered from the file names; every source sets `units` to the
   * quadlet unit files at the top of the deployment.
   */
  manifest: Manifest;
  /** What leger changed to cope with known defects of the source; empty for most sources. */
  normalisations?: Normalisation[];
}
