/**
 * The plan of a deployment: what `leger deploy install --dry-run --json` and
 * `leger validate --json` print. Keys are snake_case; renaming one breaks
 * users' scripts.
 *
 * @module
 */
import type { ErrorCode } from "../errors/codes.ts";
import type { Normalisation, SourceInfo } from "../source/types.ts";
import type { StartRole } from "./unit_start.ts";

/** A port of a service in the plan. */
export interface PlanPort {
  /** The host address, without IPv6 brackets; `null` when none is given (all addresses). */
  host_ip: string | null;
  /** The host port or range (`"8080"`, `"8000-8010"`); `null` when Podman picks one. */
  host_port: string | null;
  /** The container port or range. */
  container_port: string;
  /** The protocol; `"tcp"` when `PublishPort=` names none. */
  protocol: "tcp" | "udp" | "sctp";
}

/** A secret a service mounts. */
export interface PlanSecret {
  /** The Podman secret name (for a `.build` unit, the build secret's `id`). */
  name: string;
  /**
   * How the container gets it: `mount` (a file, Podman's default) or `env`
   * (an environment variable); podman-run(1) `--secret`.
   */
  type: "env" | "mount";
  /** The variable (type `env`) or file path (type `mount`); `null` for Podman's default. */
  target: string | null;
}

/** One quadlet unit of the deployment and the service it becomes. */
export interface PlanService {
  /** The unit file name, such as `web.container` or `data.volume`. */
  unit: string;
  /** The quadlet kind, from the file name's extension (`container`, `volume`, …). */
  kind: string;
  /**
   * The systemd service Podman generates for it (podman-systemd.unit(5)):
   * `web.service` for `web.container`, `data-volume.service` for
   * `data.volume`, or its `ServiceName=`.
   */
  service: string;
  /**
   * How it comes to run: `started` (leger starts it), `dependency` (systemd
   * starts it with the services that need it: volumes, networks, images,
   * builds), `instances` (a template without `DefaultInstance=` whose
   * instance files are started instead) or `template-no-instance` (a
   * template without `DefaultInstance=` or instance files: installed and not
   * started).
   */
  start: StartRole;
  /**
   * The services leger starts for it: `[service]`, a template's default
   * instance (`worker@one.service` for `worker@.container` with
   * `DefaultInstance=one`), or none.
   */
  started_services: string[];
  /** The image it runs (`Image=`, or the image a `.image`/`.build` unit names), or `null`. */
  image: string | null;
  /** The ports it publishes (`PublishPort=`), in source order. */
  ports: PlanPort[];
  /** The secrets it uses (`Secret=`), in source order. */
  secrets: PlanSecret[];
  /** Volume and mount sources (Podman volume names or absolute host paths). */
  volumes: string[];
  /** The Podman networks it joins (`Network=`), by resolved name (`systemd-app`, `host`). */
  networks: string[];
}

/** An error or conflict found while planning. */
export interface PlanProblem {
  /** The catalogue code, such as `ERR_UNIT_UNKNOWN_KEY` or `ERR_PORT_CONFLICT`. */
  code: ErrorCode;
  /** What cannot be done, and why. */
  message: string;
  /** The file the problem is about, as named in the deployment (`web.container`). */
  file?: string;
  /** The 1-based line in `file`, when one line is at fault. */
  line?: number;
  /** What to change or run to fix it. */
  remedy?: string;
}

/** The whole plan document. */
export interface DeploymentPlan {
  /** The deployment's name. */
  deployment: string;
  /** Where the files came from. */
  source: SourceInfo;
  /** `user`: rootless, `systemctl --user`; `system`: root, `systemctl`. */
  scope: "user" | "system";
  /** Every file of the deployment, sorted by path, with its lower-case hex SHA-256. */
  files: { name: string; sha256: string }[];
  /** One entry per quadlet unit, in path order. */
  services: PlanService[];
  /**
   * The Podman secrets the deployment needs, sorted: every `Secret=` name of
   * its units and every secret its manifest lists.
   */
  secrets_required: string[];
  /**
   * Those of the Podman secrets the deployment needs (`Secret=` of its units,
   * build secrets aside, and its manifest's) that do not exist on this host
   * (`podman secret ls`), sorted; empty when Podman is not installed. An
   * install puts the units that use them in place without starting them.
   */
  secrets_missing: string[];
  /** Podman volumes the deployment creates (from its `.volume` units). */
  volumes: string[];
  /** Podman networks the deployment creates (from its `.network` units). */
  networks: string[];
  /** What leger changed in the staged copy to cope with known defects of the source. */
  normalisations: Normalisation[];
  /**
   * Conflicts with the host (`ERR_PORT_CONFLICT`, `ERR_VOLUME_CONFLICT`,
   * `ERR_NAME_CONFLICT`, `ERR_DROPIN_SCOPE`): an install stops on them
   * unless forced.
   */
  conflicts: PlanProblem[];
  /**
   * Every other error, sorted by file and line; any one stops an install,
   * forced or not. A file the install would overwrite in the quadlet folder
   * (`ERR_NAME_CONFLICT`: another deployment's, or one installed outside
   * leger) is one of them.
   */
  errors: PlanProblem[];
  /** What Podman and systemd accept but probably does not do what was meant. */
  warnings: PlanProblem[];
  /** Whether `errors` is empty (conflicts and warnings do not count: `--force` passes conflicts). */
  valid: boolean;
}
