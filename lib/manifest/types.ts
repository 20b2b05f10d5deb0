/**
 * The shapes a deployment's manifest and files take once read: both manifest
 * forms of the leger.run service (see `contracts/leger-run-api.md`), the
 * `.leger.yaml` of a Git or local folder, and a manifest discovered from the
 * unit files alone all map to {@linkcode Manifest}.
 *
 * @module
 */
import type { QuadletKind } from "../quadlet/types.ts";

/** One file of a deployment. */
export interface DeploymentFile {
  /**
   * The path inside the deployment, `/`-separated: `web.container`,
   * `web.container.d/10-limits.conf`, `config/Caddyfile`.
   */
  path: string;
  bytes: Uint8Array;
  /** Lower-case hex SHA-256 of `bytes`. */
  sha256: string;
}

/** A service entry as a manifest describes it (both manifest forms map to this). */
export interface ManifestService {
  name: string;
  quadletFile: string;
  image?: string;
  ports?: string[];
  secretsRequired?: string[];
}

/** A normalised manifest: the leger.run CLI form, file-list form, or `.leger.yaml`. */
export interface Manifest {
  /** Which document it came from. */
  form: "cli" | "file-list" | "leger.yaml" | "discovered";
  /** The deployment name, when the document gives one. */
  name?: string;
  description?: string;
  version?: string;
  userUuid?: string;
  createdAt?: string;
  /** The release id (file-list form's `release_id`). */
  releaseId?: string;
  services: ManifestService[];
  /**
   * Volumes. In the CLI form a volume `X` is the quadlet file `X.volume` (so
   * `openwebui.volume` is `openwebui.volume.volume`); in the discovered and
   * file-list forms the name is the stem of a `.volume` file; in `.leger.yaml`
   * it is the Podman volume name the document declares for display.
   */
  volumes: { name: string; mountPath?: string }[];
  /**
   * The files the manifest names, with the checksum (lower-case hex, no
   * `sha256:` prefix) and size when it gives them. The CLI form adds each
   * volume file `X.volume` without a checksum; a discovered manifest lists its
   * units without one.
   */
  files: { name: string; type?: string; sha256?: string; size?: number }[];
  secretsRequired: string[];
  requires: string[];
  /** Ports the document declares for display (`.leger.yaml` `ports`). */
  ports?: string[];
  /**
   * The quadlet unit files at the top of the deployment, by kind
   * (`{ container: ["web.container"], volume: ["data.volume"] }`). Set by
   * `discoverManifest()` and, for every form, by the local source reader.
   */
  units?: Partial<Record<QuadletKind, string[]>>;
}
