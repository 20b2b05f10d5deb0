/**
 * The catalogue of leger's error codes: the specification's list plus the codes
 * leger needs of its own. Each code has a one-line description and the exit code
 * a command ends with when it fails with that error.
 *
 * @module
 */

/** What every error code carries besides the message of one occurrence. */
export interface ErrorCodeInfo {
  /** A one-line description of the condition, for `--help` and docs. */
  description: string;
  /** The process exit code: 1 failure, 2 usage, 4 login needed, 130 interrupted. */
  exit: 1 | 2 | 4 | 130;
}

/** Every `ERR_*` code leger reports, with its description and exit code. */
export const ERROR_CODES = {
  // Authentication (specification §7.1)
  ERR_TAILSCALE_NOT_INSTALLED: {
    description: "Tailscale is not installed on this machine",
    exit: 4,
  },
  ERR_TAILSCALE_NOT_RUNNING: {
    description: "The Tailscale daemon is not running",
    exit: 4,
  },
  ERR_TAILSCALE_NOT_AUTHENTICATED: {
    description: "This device is not logged in to a tailnet",
    exit: 4,
  },
  ERR_LEGER_NOT_AUTHENTICATED: {
    description: "There is no valid leger.run login",
    exit: 4,
  },
  ERR_LEGERD_NOT_RUNNING: {
    description: "The legerd daemon is not running",
    exit: 1,
  },
  // Authentication: leger's own
  ERR_TAILSCALE_STATUS_UNREADABLE: {
    description: "Tailscale answers, but its status cannot be read",
    exit: 1,
  },
  ERR_ACCOUNT_NOT_LINKED: {
    description: "No leger.run account is linked to this Tailscale identity",
    exit: 4,
  },
  ERR_USER_UUID_MISMATCH: {
    description:
      "leger.run answers with a user UUID leger does not derive from Tailscale",
    exit: 1,
  },
  ERR_API_UNREACHABLE: {
    description: "The leger.run API cannot be reached",
    exit: 1,
  },
  ERR_API_ERROR: {
    description: "The leger.run API answers with an error",
    exit: 1,
  },
  ERR_NETWORK_NOT_ALLOWED: {
    description: "A URL names a host leger's network permission does not allow",
    exit: 1,
  },
  // Deployment (specification §7.1)
  ERR_MANIFEST_FETCH_FAILED: {
    description: "The deployment manifest cannot be retrieved",
    exit: 1,
  },
  ERR_GIT_CLONE_FAILED: {
    description: "The Git repository cannot be fetched",
    exit: 1,
  },
  ERR_CHECKSUM_MISMATCH: {
    description: "A file does not match the checksum in its manifest",
    exit: 1,
  },
  ERR_PORT_CONFLICT: {
    description: "A host port is already published or listened on",
    exit: 1,
  },
  ERR_VOLUME_CONFLICT: {
    description: "A volume of that name already exists outside the deployment",
    exit: 1,
  },
  ERR_PODMAN_INSTALL_FAILED: {
    description: "Podman cannot install the quadlet units",
    exit: 1,
  },
  ERR_IMAGE_PULL_FAILED: {
    description: "Podman cannot pull an image a unit names",
    exit: 1,
  },
  // Secrets (specification §7.1)
  ERR_SECRET_FETCH_FAILED: {
    description: "A secret cannot be retrieved from leger.run",
    exit: 1,
  },
  ERR_SECRET_SYNC_FAILED: {
    description: "A secret cannot be written to Podman",
    exit: 1,
  },
  ERR_CLOUDFLARE_KV_UNAVAILABLE: {
    description: "leger.run's secret storage is unavailable",
    exit: 1,
  },
  // Services (specification §7.1)
  ERR_SERVICE_START_FAILED: {
    description: "systemd cannot start a service",
    exit: 1,
  },
  ERR_SERVICE_UNHEALTHY: {
    description: "A service started but its health check fails",
    exit: 1,
  },
  // leger's own
  ERR_USAGE: {
    description: "The command line is not valid",
    exit: 2,
  },
  ERR_SOURCE_NOT_FOUND: {
    description: "The deployment source does not exist",
    exit: 1,
  },
  ERR_UNSAFE_PATH: {
    description:
      "A file name or link would leave the deployment folder, or is not a plain name",
    exit: 1,
  },
  ERR_FILE_TOO_LARGE: {
    description: "A deployment file is larger than leger accepts",
    exit: 1,
  },
  ERR_NOT_UTF8: {
    description: "A unit file is not valid UTF-8 text",
    exit: 1,
  },
  ERR_MANIFEST_INVALID: {
    description: "A manifest.json or .leger.yaml cannot be read",
    exit: 1,
  },
  ERR_NO_UNITS: {
    description: "The deployment holds no quadlet unit",
    exit: 1,
  },
  ERR_UNIT_SYNTAX: {
    description: "A unit file has a line systemd cannot parse",
    exit: 1,
  },
  ERR_UNIT_UNKNOWN_KEY: {
    description: "A unit uses a key Podman's quadlet generator does not know",
    exit: 1,
  },
  ERR_UNIT_MISSING_KEY: {
    description: "A unit lacks a key Podman's quadlet generator requires",
    exit: 1,
  },
  ERR_UNIT_INVALID_VALUE: {
    description: "A unit key has a value Podman cannot use",
    exit: 1,
  },
  ERR_UNIT_MISSING_REFERENCE: {
    description:
      "A unit refers to a unit or file that exists neither in the deployment nor on the host",
    exit: 1,
  },
  ERR_DUPLICATE_NAME: {
    description:
      "Two units of the deployment claim the same service or resource name",
    exit: 1,
  },
  ERR_NAME_CONFLICT: {
    description:
      "A service, container or network name is already used on the host",
    exit: 1,
  },
  ERR_QUADLET_GENERATOR: {
    description: "Podman's quadlet generator rejects a unit",
    exit: 1,
  },
  ERR_COMMAND_FAILED: {
    description: "A program leger runs fails",
    exit: 1,
  },
  ERR_COMMAND_NOT_FOUND: {
    description: "A program leger needs is not installed",
    exit: 1,
  },
  ERR_DEPLOYMENT_NOT_FOUND: {
    description: "No staged or installed deployment has that name",
    exit: 1,
  },
  ERR_LOCKED: {
    description: "Another leger process is changing the same scope",
    exit: 1,
  },
  ERR_STATE_INVALID: {
    description: "A state file of leger cannot be read",
    exit: 1,
  },
  ERR_STATE_UNWRITABLE: {
    description:
      "A folder leger writes to is read-only, not leger's to write, or full",
    exit: 1,
  },
  ERR_SECRET_MISSING: {
    description: "A secret a unit names does not exist in Podman",
    exit: 1,
  },
  ERR_DROPIN_SCOPE: {
    description:
      "A drop-in of the deployment would change units outside the deployment",
    exit: 1,
  },
  ERR_UNIT_NAME_INVALID: {
    description: "A unit file's name is one systemd refuses",
    exit: 1,
  },
  ERR_DEPLOYMENT_NAME_INVALID: {
    description: "A deployment's name cannot be used as one",
    exit: 1,
  },
  ERR_INTERRUPTED: {
    description: "The command was interrupted and undid what it had done",
    exit: 130,
  },
  ERR_PODMAN_TOO_OLD: {
    description: "Podman is older than 4.4, which has no Quadlet",
    exit: 1,
  },
  ERR_SYSTEMD_NOT_RUNNING: {
    description: "systemd is not running, so quadlet services cannot run",
    exit: 1,
  },
  ERR_CONFIRMATION_REQUIRED: {
    description:
      "The command would ask for confirmation, but there is no terminal",
    exit: 2,
  },
  ERR_SERVICE_NOT_FOUND: {
    description: "No installed deployment has a service of that name",
    exit: 1,
  },
  ERR_CONFIG_INVALID: {
    description: "leger's config file cannot be read",
    exit: 1,
  },
  ERR_INTERNAL: {
    description: "leger hit a condition it does not expect (a bug)",
    exit: 1,
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** One of leger's error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;
