/**
 * The typed view of a quadlet unit: what leger needs to know about a
 * `.container`, `.volume`, `.network`, … to plan, validate and conflict-check
 * a deployment.
 *
 * @module
 */

/**
 * The quadlet unit kinds Podman's generator understands, one per file
 * extension (podman-systemd.unit(5)).
 */
export type QuadletKind =
  | "container"
  | "volume"
  | "network"
  | "pod"
  | "kube"
  | "image"
  | "build"
  | "artifact";

/** Every quadlet kind, in the order leger lists them. */
export const QUADLET_KINDS: readonly QuadletKind[] = [
  "container",
  "volume",
  "network",
  "pod",
  "kube",
  "image",
  "build",
  "artifact",
];

/** A published port (`PublishPort=`), in Podman's `--publish` form. */
export interface PublishedPort {
  /** The host address, without IPv6 brackets; `null` when none is given (all addresses). */
  hostIp: string | null;
  /** The host port or range (`"8080"`, `"8000-8010"`); `null` when Podman picks one. */
  hostPort: string | null;
  /** The container port or range. */
  containerPort: string;
  /** The protocol; `"tcp"` when none is given (`sctp` is Podman's third choice). */
  protocol: "tcp" | "udp" | "sctp";
  /** The value exactly as Podman passes it to `--publish`. */
  spec: string;
  /** 1-based line of the `PublishPort=` entry. */
  line: number;
  /** The file of that entry: the unit itself or the drop-in that set it. */
  file: string;
}

/** A secret a unit mounts (`Secret=`). */
export interface SecretRef {
  /** The Podman secret name (for a `.build` unit, the build secret's `id`). */
  name: string;
  /**
   * How the container gets it: `mount` (a file, Podman's default) or `env`
   * (an environment variable); podman-run(1) `--secret`. A build secret's
   * `type=file` (podman-build(1) `--secret`) is `mount` here.
   */
  type: "env" | "mount";
  /** The env variable (type env) or file path (type mount); `null` for the default. */
  target: string | null;
  /** The value exactly as Podman passes it to `--secret`. */
  spec: string;
  /**
   * Whether `name` is a Podman secret (`podman secret create`). A `.build`
   * unit's `Secret=id=…,src=…` is a build secret read from a host file or
   * variable instead, and is `false` here.
   */
  podmanSecret: boolean;
  /** 1-based line of the `Secret=` entry. */
  line: number;
  /** The file of that entry: the unit itself or the drop-in that set it. */
  file: string;
}

/** A volume or mount of a unit (`Volume=`, `Mount=`). */
export interface VolumeRef {
  /** `-v` for `Volume=`, `--mount` for `Mount=`. */
  flag: "-v" | "--mount";
  /**
   * What the source is: a quadlet `.volume`/`.image`/`.artifact` unit, a named
   * Podman volume, a host path, or nothing (anonymous volume, tmpfs, devpts…).
   */
  sourceKind: "quadlet" | "named" | "host" | "none" | "other";
  /** The source as written (`data.volume`, `./conf`, `named`), or `null`. */
  source: string | null;
  /**
   * The Podman resource the source resolves to: the volume name for a quadlet
   * volume (`systemd-data` or its `VolumeName=`), the absolute path for a host
   * path relative to the unit, the name for a named volume.
   */
  resolvedSource: string | null;
  /** The quadlet unit file referenced, when `sourceKind` is `"quadlet"`. */
  unit: string | null;
  /** The value exactly as Podman passes it to `-v` or `--mount`. */
  spec: string;
  /** 1-based line of the `Volume=` or `Mount=` entry. */
  line: number;
  /** The file of that entry: the unit itself or the drop-in that set it. */
  file: string;
}

/** A network a unit joins (`Network=`). */
export interface NetworkRef {
  /** As written: `host`, `none`, `mynet`, `app.network`, `app.network:ip=…`. */
  value: string;
  /** The quadlet `.network` (or `.container` for `container:`) unit referenced, if any. */
  unit: string | null;
  /**
   * The Podman network name it resolves to (`systemd-app` or `NetworkName=`);
   * for a value that is no quadlet unit, the part before the first `:`
   * (`host`, `none`, `container`, `mynet`: Podman's network modes keep their name).
   */
  resolvedName: string;
  /** The value exactly as Podman passes it to `--network` (`systemd-app:ip=…`, `container:systemd-db`). */
  spec: string;
  /** 1-based line of the `Network=` entry. */
  line: number;
  /** The file of that entry: the unit itself or the drop-in that set it. */
  file: string;
}

/** A file outside the unit that the unit reads. */
export interface FileRef {
  /** The key that names it: `EnvironmentFile`, `Yaml`, `ConfigMap`, `File`, `Volume`, `Mount`, `ContainersConfModule`, … */
  key: string;
  /** As written. */
  path: string;
  /** Whether the path is relative to the unit's folder (and so must ship with the deployment). */
  relative: boolean;
  /**
   * The absolute path Podman uses: the path itself when absolute, joined to
   * the unit's folder when relative and that folder is known; `null` when it
   * cannot be known here (a systemd specifier such as `%h`, or a relative path
   * Podman passes on unresolved).
   */
  resolvedPath: string | null;
  /** 1-based line of the entry that names the file. */
  line: number;
  /** The file of that entry: the unit itself or the drop-in that set it. */
  file: string;
}

/** A reference to another quadlet unit (`Pod=x.pod`, `Image=x.image`, `Network=x.network`, …). */
export interface UnitRef {
  /**
   * The key that names it: `Volume`, `Mount`, `Network`, `Image`, `Pod`, or
   * a `[Unit]` dependency key such as `Requires` or `After`
   * (see `UNIT_DEPENDENCY_KEYS`).
   */
  key: string;
  /** The referenced unit file name, such as `db.volume`. */
  unit: string;
  /** 1-based line of the entry that names it. */
  line: number;
  /** The file of that entry: the unit itself or the drop-in that set it. */
  file: string;
}

/** Health settings of a container. */
export interface HealthSettings {
  /** `HealthCmd=`, or `null` when the container has no health check. */
  cmd: string | null;
  /** Whether `Notify=healthy` is set: systemd waits for health before "active". */
  notifyHealthy: boolean;
}

/** The typed view of one quadlet unit file. */
export interface QuadletUnit {
  /** The unit file name, such as `web.container` or `app@.container`. */
  file: string;
  /** The kind, from the file name's extension. */
  kind: QuadletKind;
  /** Whether this is a template (`x@.container`) or template instance (`x@i.container`). */
  template: boolean;
  /**
   * The instance an instance file names (`two` for `worker@two.container`,
   * which runs as `worker@two.service`); `null` for a template
   * (`worker@.container`) and for a unit that is neither.
   */
  instance: string | null;
  /**
   * A template's `DefaultInstance=` (`[Install]` section; systemd.unit(5)):
   * the instance `systemctl enable` would enable, and the one Podman's
   * generator enables for `WantedBy=`, so `worker@one.service` for
   * `DefaultInstance=one`. `null` when unset or empty, and for a unit that is
   * no template (Podman ignores the key in an instance file).
   */
  defaultInstance: string | null;
  /** The systemd service Podman generates: `web.service`, `data-volume.service`, `ServiceName=`. */
  serviceName: string;
  /**
   * The Podman resource name: container, volume, network or pod name
   * (`ContainerName=`… or the `systemd-<name>` default); `null` for kinds that
   * create no named resource (kube, image, build, artifact). Of the systemd
   * specifiers in a container name only `%N` is resolved, as Podman resolves
   * it (`systemd-%N` of `web.container` is `systemd-web`); a template keeps
   * `systemd-%p_%i`, and a template volume or network `systemd-<name>-%i`.
   */
  resourceName: string | null;
  /** The image (`Image=`), the image a `.image`/`.build` unit names, or `null`. */
  image: string | null;
  /** The Podman pod a container joins (`Pod=x.pod` resolved to `systemd-x` or `PodName=`), or `null`. */
  pod: string | null;
  /** The published ports (`PublishPort=` of a `.container`, `.pod` or `.kube`), in source order. */
  ports: PublishedPort[];
  /** The secrets it uses (`Secret=` of a `.container` or `.build`), one per word, in source order. */
  secrets: SecretRef[];
  /**
   * Its volumes and mounts (`Volume=` of a `.container`, `.pod` or `.build`,
   * then `Mount=` of a `.container`), in source order.
   */
  volumes: VolumeRef[];
  /** The networks it joins (`Network=`), in source order. */
  networks: NetworkRef[];
  /** Every file the unit reads from disk. */
  files: FileRef[];
  /** Every other quadlet unit it depends on. */
  units: UnitRef[];
  /** Health settings; for kinds other than `container`, no check and no `Notify=healthy`. */
  health: HealthSettings;
}
