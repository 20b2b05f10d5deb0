/**
 * What a source (local folder, Git, leger.run) hands to planning: the files of
 * one deployment, read and checked, plus its manifest when it has one.
 *
 * @module
 */

import type { DeploymentFile, Manifest } from "../manifest/types.ts";

/** Where a deployment came from, as recorded in the plan and in state. */
export interface SourceInfo {
  type: "local" | "git" | "leger.run";
  /** Absolute path for a local folder, URL (without credentials) otherwise. */
  location: string;
  ref?: string;
  commit?: string;
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
  name: string;
  source: SourceInfo;
  /** Files sorted by path. */
  files: DeploymentFile[];
  manifest: Manifest;
  /** What leger changed to cope with known defects of the source; empty for most sources. */
  normalisations?: Normalisation[];
}
