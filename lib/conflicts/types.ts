/**
 * What the conflict checks know about the host: the quadlet units already
 * installed, the sockets already listening, and Podman's existing resources.
 * The commands gather it through the adapters (`installedUnits`,
 * `readProcNet`, `listVolumes`…); the checks themselves only read it.
 *
 * @module
 */
import type { QuadletUnit } from "../quadlet/types.ts";
import type { ListeningSocket } from "./parse_proc_net.ts";

/** A quadlet unit installed on the host, and the deployment it belongs to. */
export interface InstalledQuadlet {
  /** The leger deployment that installed it; absent when leger did not. */
  deployment?: string;
  /** The installed unit's typed view. */
  quadlet: QuadletUnit;
}

/** The state of the host that a deployment may conflict with. */
export interface HostSnapshot {
  /** The quadlet units in the scope's quadlet folders. */
  installed: readonly InstalledQuadlet[];
  /** Sockets holding a port, from `/proc/net/{tcp,tcp6,udp,udp6}`. */
  listening: readonly ListeningSocket[];
  /** The names of the existing Podman volumes. */
  volumes: readonly string[];
  /** The names of the existing Podman containers, when known. */
  containers?: readonly string[];
  /** The names of the existing Podman networks, when known. */
  networks?: readonly string[];
  /**
   * The names of the existing Podman secrets (`podman secret ls`); absent
   * when unknown (Podman is not installed).
   */
  secrets?: readonly string[];
  /**
   * The lowest port an unprivileged process may bind
   * (`/proc/sys/net/ipv4/ip_unprivileged_port_start`), read for the user
   * scope, where rootless Podman binds the published ports; absent in the
   * system scope or when the host has no such file.
   */
  unprivilegedPortStart?: number;
  /** The scope's quadlet folder, absolute (`~/.config/containers/systemd`), when known. */
  quadletDir?: string;
  /**
   * Files in the quadlet folder that a deployment may collide with: every
   * file `deployments.yaml` records, with its deployment, and those of the
   * paths the caller asked about that exist without a record (installed
   * outside leger). Absent when not read.
   */
  files?: readonly HostFile[];
}

/** A file in the quadlet folder, and the deployment that put it there. */
export interface HostFile {
  /** The `/`-separated path inside the quadlet folder (`site/index.html`). */
  path: string;
  /** The leger deployment that records it; absent when none does (installed outside leger). */
  deployment?: string;
  /**
   * Where it points, when it is a symbolic link (`site -> /srv/www`): the
   * install would write through it, outside the quadlet folder.
   */
  linkTarget?: string;
}

/** Options for `findConflicts` and its parts. */
export interface FindConflictsOptions {
  /**
   * The name of the deployment being checked. Installed units recorded under
   * this name are its earlier version, which the install replaces: they
   * conflict with nothing, and their ports, names and volumes are its own.
   *
   * @default {undefined}
   */
  deployment?: string;
  /**
   * Volumes known to belong to this deployment although none of its installed
   * units creates them, such as those leger kept when the deployment was
   * removed: finding them on the host is not a conflict.
   *
   * @default {[]}
   */
  ownedVolumes?: readonly string[];
  /**
   * Every file of the deployment by its `/`-separated path
   * (`web.container`, `site/index.html`, `container.d/10-common.conf`): what
   * it would put in the quadlet folder, for the file and drop-in checks.
   *
   * @default {[]}
   */
  files?: readonly string[];
}
