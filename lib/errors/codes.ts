/**
 * The catalogue of leger's error codes: the specification's list plus the codes
 * leger needs of its own. Each code has a one-line description, the exit code
 * a command ends with when it fails with that error, and a default remedy:
 * what to run or change, printed when an error of that code names no better
 * one of its own.
 *
 * @module
 */

/** What every error code carries besides the message of one occurrence. */
export interface ErrorCodeInfo {
  /** A one-line description of the condition, for `--help` and docs. */
  description: string;
  /** The process exit code: 1 failure, 2 usage, 4 login needed, 130 interrupted. */
  exit: 1 | 2 | 4 | 130;
  /**
   * What to run or change to fix it, in general: an error that knows more
   * (the file, the command to run) gives its own remedy instead.
   */
  remedy: string;
}

/** Every `ERR_*` code leger reports, with its description and exit code. */
export const ERROR_CODES = {
  // Authentication (specification §7.1)
  ERR_TAILSCALE_NOT_INSTALLED: {
    description: "Tailscale is not installed on this machine",
    exit: 4,
    remedy:
      "Install Tailscale (https://tailscale.com/download), run `sudo tailscale up`, then `leger auth login`",
  },
  ERR_TAILSCALE_NOT_RUNNING: {
    description: "The Tailscale daemon is not running",
    exit: 4,
    remedy:
      "Start it with `sudo systemctl enable --now tailscaled`, then run the command again",
  },
  ERR_TAILSCALE_NOT_AUTHENTICATED: {
    description: "This device is not logged in to a tailnet",
    exit: 4,
    remedy: "Run `sudo tailscale up`, then `leger auth login`",
  },
  ERR_LEGER_NOT_AUTHENTICATED: {
    description: "There is no valid leger.run login",
    exit: 4,
    remedy: "Run `leger auth login`",
  },
  ERR_LEGERD_NOT_RUNNING: {
    description: "The legerd daemon is not running",
    exit: 1,
    remedy:
      "Start it with `systemctl --user enable --now legerd.service` (`systemctl enable --now legerd.service` as root for the system scope); if it does not stay up, `systemctl --user status legerd.service` (`systemctl status legerd.service`) says why",
  },
  // legerd's control socket: leger's own
  ERR_LEGERD_ACCESS_DENIED: {
    description: "legerd's control socket refuses this user",
    exit: 1,
    remedy:
      "Run the command as the user legerd runs for (its socket is 0600), or as root for the system scope",
  },
  ERR_LEGERD_PROTOCOL: {
    description: "legerd answers with something leger does not understand",
    exit: 1,
    remedy:
      "Run leger and legerd of the same version (`leger --version`, `legerd --version`), then restart legerd",
  },
  ERR_LEGERD_DISCONNECTED: {
    description:
      "legerd closed the connection before answering: it stopped or restarted during the request",
    exit: 1,
    remedy:
      "Check `systemctl --user status legerd.service` (`systemctl status legerd.service` for the system scope); a sync or rotate is safe to run again",
  },
  ERR_LEGERD_TIMEOUT: {
    description: "legerd does not answer in time",
    exit: 1,
    remedy:
      "legerd may still be working: read its log with `journalctl --user -u legerd.service` (`journalctl -u legerd.service` for the system scope), then run the command again",
  },
  ERR_LEGERD_RUNNING: {
    description: "Another legerd already serves this scope",
    exit: 1,
    remedy:
      "Use the legerd that runs (`leger secrets list` talks to it), or stop it first with `systemctl --user stop legerd.service` (`systemctl stop legerd.service` as root for the system scope)",
  },
  // Authentication: leger's own
  ERR_TAILSCALE_STATUS_UNREADABLE: {
    description: "Tailscale answers, but its status cannot be read",
    exit: 1,
    remedy:
      "Check that `tailscale status` answers; if it does, run the command again with --debug and report the output",
  },
  ERR_ACCOUNT_NOT_LINKED: {
    description: "No leger.run account is linked to this Tailscale identity",
    exit: 4,
    remedy:
      "Sign in to the web UI at https://app.leger.run to link your Tailscale account, then run `leger auth login` again",
  },
  ERR_USER_UUID_MISMATCH: {
    description:
      "leger.run answers with a user UUID leger does not derive from Tailscale",
    exit: 1,
    remedy:
      "Run `leger auth login` again; if it repeats, report it with the output of `leger auth status --json`",
  },
  ERR_API_UNREACHABLE: {
    description: "The leger.run API cannot be reached",
    exit: 1,
    remedy:
      "Check the network connection and try again in a moment; `curl -sS https://api.leger.run/health` shows whether the API answers",
  },
  ERR_API_ERROR: {
    description: "The leger.run API answers with an error",
    exit: 1,
    remedy:
      "Try again in a few minutes; if it repeats, check the web UI at https://app.leger.run",
  },
  ERR_NETWORK_NOT_ALLOWED: {
    description: "A URL, or a redirect, names a host leger does not connect to",
    exit: 1,
    remedy:
      "leger connects only to api.leger.run, static.leger.run, app.leger.run and loopback: check LEGER_API_URL, LEGER_STATIC_URL and LEGER_WEB_URL",
  },
  // Deployment (specification §7.1)
  ERR_MANIFEST_FETCH_FAILED: {
    description: "The deployment manifest cannot be retrieved",
    exit: 1,
    remedy:
      "Run the command again; if it repeats, redeploy the release in the web UI",
  },
  ERR_GIT_CLONE_FAILED: {
    description: "The Git repository cannot be fetched",
    exit: 1,
    remedy:
      "Check the URL and your access with `git ls-remote URL`, then run the command again",
  },
  ERR_CHECKSUM_MISMATCH: {
    description: "A file does not match the checksum in its manifest",
    exit: 1,
    remedy:
      "Nothing was installed: fetch the deployment again, and if it repeats, redeploy the release or correct the manifest's checksums",
  },
  ERR_PORT_CONFLICT: {
    description: "A host port is already published or listened on",
    exit: 1,
    remedy:
      "Change PublishPort= in the unit, or stop what uses the port (`ss -ltnp` shows it)",
  },
  ERR_PORT_PRIVILEGED: {
    description:
      "A rootless unit publishes a host port below the host's unprivileged port start",
    exit: 1,
    remedy:
      "Publish a port at or above /proc/sys/net/ipv4/ip_unprivileged_port_start, lower it with `sysctl net.ipv4.ip_unprivileged_port_start=PORT`, or deploy in the system scope",
  },
  ERR_VOLUME_CONFLICT: {
    description: "A volume of that name already exists outside the deployment",
    exit: 1,
    remedy:
      "Give the volume another name (VolumeName=), or remove the existing one with `podman volume rm NAME` if nothing needs it",
  },
  ERR_PODMAN_INSTALL_FAILED: {
    description: "Podman cannot install the quadlet units",
    exit: 1,
    remedy:
      "Read Podman's message above and check `podman quadlet list`, then run the command again",
  },
  ERR_IMAGE_PULL_FAILED: {
    description: "Podman cannot pull an image a unit names",
    exit: 1,
    remedy:
      "Check the image name and the registry login (`podman pull IMAGE` shows why), then run the command again",
  },
  // Secrets (specification §7.1)
  ERR_SECRET_FETCH_FAILED: {
    description: "A secret cannot be retrieved from leger.run",
    exit: 1,
    remedy:
      "Check the login with `leger auth status`, then try again in a moment",
  },
  ERR_SECRET_SYNC_FAILED: {
    description: "A secret cannot be written to Podman",
    exit: 1,
    remedy:
      "Read Podman's message above and check `podman secret ls`, then run the command again",
  },
  ERR_SECRET_NAME_INVALID: {
    description: "A secret's name is one leger.run refuses or reserves",
    exit: 2,
    remedy:
      'Name the secret with 1 to 64 letters, digits, ":", "_" or "-"; `selections` and `select-provider` are reserved',
  },
  ERR_SECRET_VALUE_INVALID: {
    description: "A secret's value is empty or larger than leger.run keeps",
    exit: 1,
    remedy:
      "Give a value of 1 byte to 10 KiB on stdin (`leger secrets set NAME < file`) or at the prompt",
  },
  ERR_SECRET_NOT_FOUND: {
    description: "leger.run has no secret of that name",
    exit: 1,
    remedy:
      "Add the secret in the leger.run web UI (https://app.leger.run) or with `leger secrets set NAME`, then run the command again",
  },
  ERR_SECRET_UNMANAGED: {
    description:
      "A Podman secret of that name exists that leger did not create, so legerd leaves it alone",
    exit: 1,
    remedy:
      "Keep it, or remove it with `podman secret rm NAME` so that legerd writes leger.run's value",
  },
  ERR_CLOUDFLARE_KV_UNAVAILABLE: {
    description: "leger.run's secret storage is unavailable",
    exit: 1,
    remedy:
      "leger.run's secret storage has a problem on its side: try again in a few minutes",
  },
  // Services (specification §7.1)
  ERR_SERVICE_START_FAILED: {
    description: "systemd cannot start a service",
    exit: 1,
    remedy:
      "Read the service's log with `leger service logs NAME`, fix the cause, then run `leger service start NAME`",
  },
  ERR_SERVICE_UNHEALTHY: {
    description: "A service started but its health check fails",
    exit: 1,
    remedy: "Read the service's log with `leger service logs NAME`",
  },
  // leger's own
  ERR_USAGE: {
    description: "The command line is not valid",
    exit: 2,
    remedy: "Run `leger --help` for the commands and their flags",
  },
  ERR_SOURCE_NOT_FOUND: {
    description: "The deployment source does not exist",
    exit: 1,
    remedy:
      "Name an existing folder, a Git URL (https://…, git@host:org/repo.git) or a leger.run URL",
  },
  ERR_UNSAFE_PATH: {
    description:
      "A file name or link would leave the deployment folder, or is not a plain name",
    exit: 1,
    remedy:
      "Use plain file names inside the deployment folder, and links that stay inside it",
  },
  ERR_FILE_TOO_LARGE: {
    description: "A deployment file is larger than leger accepts",
    exit: 1,
    remedy:
      "Keep deployment files small (configuration, not data): put data in a volume",
  },
  ERR_NOT_UTF8: {
    description: "A unit file is not valid UTF-8 text",
    exit: 1,
    remedy:
      "Save the file as UTF-8, for example with `iconv -f latin1 -t utf-8 FILE`",
  },
  ERR_MANIFEST_INVALID: {
    description: "A manifest.json or .leger.yaml cannot be read",
    exit: 1,
    remedy:
      "Correct the field the message names, then run `leger validate` again",
  },
  ERR_NO_UNITS: {
    description: "The deployment holds no quadlet unit",
    exit: 1,
    remedy:
      "Add at least one quadlet unit (.container, .pod, .kube, .volume, .network…) at the top of the deployment folder",
  },
  ERR_UNIT_SYNTAX: {
    description: "A unit file has a line systemd cannot parse",
    exit: 1,
    remedy:
      "Correct the line: each line is a `[Section]`, a `Key=value`, a comment or empty",
  },
  ERR_UNIT_UNKNOWN_KEY: {
    description: "A unit uses a key Podman's quadlet generator does not know",
    exit: 1,
    remedy:
      "Check the key's spelling and section against podman-systemd.unit(5)",
  },
  ERR_UNIT_MISSING_KEY: {
    description: "A unit lacks a key Podman's quadlet generator requires",
    exit: 1,
    remedy:
      "Add the key the message names (podman-systemd.unit(5) lists what each unit type requires)",
  },
  ERR_UNIT_INVALID_VALUE: {
    description: "A unit key has a value Podman cannot use",
    exit: 1,
    remedy:
      "Change the value as the message says (podman-systemd.unit(5) lists what each key accepts)",
  },
  ERR_UNIT_MISSING_REFERENCE: {
    description:
      "A unit refers to a unit or file that exists neither in the deployment nor on the host",
    exit: 1,
    remedy:
      "Add the missing unit or file to the deployment, or correct the name that refers to it",
  },
  ERR_DUPLICATE_NAME: {
    description:
      "Two units of the deployment claim the same service or resource name",
    exit: 1,
    remedy:
      "Give each unit a name of its own (ContainerName=, ServiceName=, VolumeName=, NetworkName=)",
  },
  ERR_NAME_CONFLICT: {
    description:
      "A service, container or network name is already used on the host",
    exit: 1,
    remedy:
      "Rename the unit, or remove what holds the name (`leger deploy list` shows leger's deployments)",
  },
  ERR_QUADLET_GENERATOR: {
    description: "Podman's quadlet generator rejects a unit",
    exit: 1,
    remedy:
      "Correct the unit as Podman's message says, then run `leger validate` again",
  },
  ERR_COMMAND_FAILED: {
    description: "A program leger runs fails",
    exit: 1,
    remedy:
      "Read the program's message above, correct what it names, then run the command again",
  },
  ERR_COMMAND_NOT_FOUND: {
    description: "A program leger needs is not installed",
    exit: 1,
    remedy:
      "Install the program (Podman 4.4 or later with systemd; git for Git sources), or put it on PATH",
  },
  ERR_DEPLOYMENT_NOT_FOUND: {
    description: "No staged or installed deployment has that name",
    exit: 1,
    remedy:
      "Run `leger deploy list` (or `leger staged list`) to see the deployments by name",
  },
  ERR_LOCKED: {
    description: "Another leger process is changing the same scope",
    exit: 1,
    remedy:
      "Wait for the other leger process to finish, then run the command again",
  },
  ERR_STATE_INVALID: {
    description: "A state file of leger cannot be read",
    exit: 1,
    remedy:
      "Restore the file from a backup, or move it aside; `leger deploy install` records a deployment again",
  },
  ERR_STATE_UNWRITABLE: {
    description:
      "A folder leger writes to is read-only, not leger's to write, or full",
    exit: 1,
    remedy:
      "Make the folder writable, or free space on its disk, then run the command again",
  },
  ERR_SECRET_MISSING: {
    description: "A secret a unit names does not exist in Podman",
    exit: 1,
    remedy:
      "Add it with `leger secrets set NAME` (legerd then creates it in Podman), or create it by hand with `podman secret create NAME -`, typing the value and then Ctrl-D",
  },
  ERR_DROPIN_SCOPE: {
    description:
      "A drop-in of the deployment would change units outside the deployment",
    exit: 1,
    remedy:
      "Put the drop-in in a folder of the deployment's own unit (web.container.d/), or pass --force to change the other units too",
  },
  ERR_UNIT_NAME_INVALID: {
    description: "A unit file's name is one systemd refuses",
    exit: 1,
    remedy:
      'Rename the file as the message says: systemd accepts ASCII letters, digits, ":", "-", "_" and "." before the unit type\'s suffix',
  },
  ERR_DEPLOYMENT_NAME_INVALID: {
    description: "A deployment's name cannot be used as one",
    exit: 1,
    remedy:
      'Choose a name of printable ASCII characters without spaces or "/", not starting with "-" or "."',
  },
  ERR_INTERRUPTED: {
    description: "The command was interrupted and undid what it had done",
    exit: 130,
    remedy:
      "Run the command again when ready; `leger deploy list` shows what is installed",
  },
  ERR_PODMAN_TOO_OLD: {
    description: "Podman is older than 4.4, which has no Quadlet",
    exit: 1,
    remedy:
      "Upgrade Podman to 4.4 or later (5.6 or later has `podman quadlet`)",
  },
  ERR_SYSTEMD_NOT_RUNNING: {
    description:
      "systemd is not running, or this is no login session of the user (no XDG_RUNTIME_DIR of its own), so quadlet services cannot run",
    exit: 1,
    remedy:
      "Run leger on a host booted with systemd, where quadlet services can run; for a user's services, in a login session of that user",
  },
  ERR_CONFIRMATION_REQUIRED: {
    description:
      "The command would ask for confirmation, but there is no terminal",
    exit: 2,
    remedy: "Run the command in a terminal, or pass --yes to confirm",
  },
  ERR_SERVICE_NOT_FOUND: {
    description: "No installed deployment has a service of that name",
    exit: 1,
    remedy: "Run `leger deploy list` to see the installed services",
  },
  ERR_CONFIG_INVALID: {
    description: "leger's config file cannot be read",
    exit: 1,
    remedy:
      "Correct the file as the message says, or move it aside to use the defaults",
  },
  ERR_PERMISSION_DENIED: {
    description:
      "leger may not read or change a file, folder or socket it needs (the system scope is root's)",
    exit: 1,
    remedy:
      "Run the command as the user who owns the files, or with sudo for the system scope (--scope system)",
  },
  ERR_PATH_NOT_FOUND: {
    description:
      "A file or folder leger works with does not exist, or vanished while it worked",
    exit: 1,
    remedy:
      "Check that the path exists (`ls -ld PATH`) and that nothing else removes it meanwhile, then run the command again",
  },
  ERR_PATH_TYPE: {
    description:
      "A path is a file where leger expects a folder, a folder where it expects a file, or a loop of links",
    exit: 1,
    remedy:
      "Move aside the file or folder the message names, so that leger finds the kind it expects there",
  },
  ERR_PATH_EXISTS: {
    description: "A file or folder leger would create is already there",
    exit: 1,
    remedy:
      "Move aside what is in the way, or run the command again (another process may have created it meanwhile)",
  },
  ERR_IO_FAILED: {
    description:
      "Reading or writing was cut short (interrupted, broken pipe, device error)",
    exit: 1,
    remedy:
      "Run the command again; if it repeats, check the disk and the kernel log (`journalctl -k`)",
  },
  ERR_NETWORK_FAILED: {
    description:
      "A connection leger opens fails (refused, reset, timed out, address in use)",
    exit: 1,
    remedy:
      "Check that what leger connects to is running and reachable, then run the command again",
  },
  // Backups and restore: leger's own
  ERR_BACKUP_NOT_FOUND: {
    description: "No backup of this scope has that id",
    exit: 1,
    remedy: "Run `leger backup list` to see the backups by id",
  },
  ERR_BACKUP_CORRUPT: {
    description:
      "A file of a backup does not match the checksum or size its record gives, or the record cannot be read",
    exit: 1,
    remedy:
      "Restore another backup (`leger backup list`): this one cannot be trusted, and nothing was changed",
  },
  ERR_BACKUP_FAILED: {
    description: "A backup could not be taken (a volume could not be exported)",
    exit: 1,
    remedy:
      "Read Podman's message above, fix what it names, then run `leger backup create` again; nothing of the backup was kept",
  },
  ERR_RESTORE_FAILED: {
    description:
      "A restore failed part-way (a volume could not be imported) and was undone",
    exit: 1,
    remedy:
      "Read Podman's message above, fix what it names, then run `leger backup restore` again",
  },
  ERR_INTERNAL: {
    description: "leger hit a condition it does not expect (a bug)",
    exit: 1,
    remedy: "Run the command again with --debug and report the output as a bug",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** One of leger's error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;
