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
  /** The file's content, as fetched or read (before any normalisation). */
  bytes: Uint8Array;
  /** Lower-case hex SHA-256 of `bytes`. */
  sha256: string;
}

/**
 * A service entry as a manifest describes it (both manifest forms map to
 * this). Only the CLI form of leger.run's `manifest.json` gives more than
 * `name` and `quadletFile`; the file-list and discovered forms derive a
 * service from each `.container`, `.kube` and `.pod` unit.
 */
export interface ManifestService {
  /** The service's name (`name`), or the stem of its unit file (`web` for `web.container`). */
  name: string;
  /** The service's quadlet unit file (`quadlet_file`), a bare file name. */
  quadletFile: string;
  /** The image the manifest says it runs (`image`), when given. */
  image?: string;
  /** The ports the manifest says it publishes (`ports`, such as `"3000:8080"`), when given. */
  ports?: string[];
  /** The secrets it needs (`secrets_required`), by leger.run secret name. */
  secretsRequired?: string[];
}

/** A normalised manifest: the leger.run CLI form, file-list form, or `.leger.yaml`. */
export interface Manifest {
  /** Which document it came from. */
  form: "cli" | "file-list" | "leger.yaml" | "discovered";
  /** The deployment name, when the document gives one. */
  name?: string;
  /** A description of the deployment (`.leger.yaml` `description`). */
  description?: string;
  /**
   * The document's `version`: a release number or schema version from
   * leger.run, or the `.leger.yaml` version. A number is kept as written
   * (`1.10` stays `"1.10"`).
   */
  version?: string;
  /** The owner's leger.run UUID (`user_uuid` of both `manifest.json` forms). */
  userUuid?: string;
  /** When the deployment was rendered (`created_at`, or `generated_at` of the file-list form), as written. */
  createdAt?: string;
  /** The release id (file-list form's `release_id`). */
  releaseId?: string;
  /** The services; empty for `.leger.yaml`, whose units say what they are. */
  services: ManifestService[];
  /**
   * Volumes. In the CLI form a volume `X` is the quadlet file `X.volume` (so
   * `openwebui.volume` is `openwebui.volume.volume`); in the discovered and
   * file-list forms the name is the stem of a `.volume` file; in `.leger.yaml`
   * it is the Podman volume name the document declares for display.
   */
  volumes: {
    /** The volume's name (see above). */
    name: string;
    /** Where it is mounted in the container (`mount_path`), when given. */
    mountPath?: string;
  }[];
  /**
   * The files the manifest names, with the checksum (lower-case hex, no
   * `sha256:` prefix) and size when it gives them. The CLI form adds each
   * volume file `X.volume` without a checksum; a discovered manifest lists its
   * units without one.
   */
  files: {
    /** The file's name: a bare name, with no folder. */
    name: string;
    /**
     * The file's type: the file-list form's `type` (`container`, `volume`,
     * `network`, `config`, `env`), or the quadlet kind of a unit file.
     */
    type?: string;
    /** Lower-case hex SHA-256 of the file, when the manifest gives one. */
    sha256?: string;
    /** The file's size in bytes, when the manifest gives one. */
    size?: number;
  }[];
  /**
   * The leger.run secrets the deployment needs: every service's
   * `secrets_required` (CLI form) or `required_secrets` (file-list form);
   * the parsers of the other forms leave it empty: the units' `Secret=` lines
   * say it.
   */
  secretsRequired: string[];
  /**
   * The dependencies the document names (`.leger.yaml` `requires`, such as
   * `redis`); the parsers of the other forms leave it empty.
   */
  requires: string[];
  /** Ports the document declares for display (`.leger.yaml` `ports`). */
  ports?: string[];
  /**
   * The HTTP health check of each service (`.leger.yaml` `health:`): an
   * http(s) URL by the base name of its unit (`web` for `web.container`).
   * A unit's own `[X-Leger] HealthURL=` wins over it.
   */
  health?: Record<string, string>;
  /**
   * The quadlet unit files at the top of the deployment, by kind
   * (`{ container: ["web.container"], volume: ["data.volume"] }`). Set by
   * `discoverManifest()` and, for every form, by the local source reader.
   */
  units?: Partial<Record<QuadletKind, string[]>>;
}
