/**
 * Deployment folders the e2e scenarios install: a busybox web server with a
 * volume and a network, and variants of it.
 *
 * @module
 */

/** Options for {@linkcode webDeployment}. */
export interface WebDeploymentOptions {
  /** The deployment's name; every unit's name starts with it. */
  name: string;
  /** The host port published on 127.0.0.1 for the server's port 8080. */
  port: number;
  /**
   * The `.leger.yaml` version.
   *
   * @default {"1"}
   */
  version?: string;
  /**
   * A container that exits with status 1 as it starts, and is not restarted.
   *
   * @default {false}
   */
  broken?: boolean;
}

/** The names a web deployment's units and Podman objects get. */
export interface WebDeploymentNames {
  /** The `.container` file. */
  container: string;
  /** Its systemd service. */
  service: string;
  /** The container's name (Podman's `systemd-<name>` default). */
  containerName: string;
  /** The `.volume` file. */
  volume: string;
  /** Podman's name for the volume (`systemd-<name>`). */
  volumeName: string;
  /** The `.network` file. */
  network: string;
  /** Podman's name for the network (`systemd-<name>`). */
  networkName: string;
}

/** The names of the units and objects of {@linkcode webDeployment}. */
export function webNames(name: string): WebDeploymentNames {
  return {
    container: `${name}-web.container`,
    service: `${name}-web.service`,
    containerName: `systemd-${name}-web`,
    volume: `${name}-data.volume`,
    volumeName: `systemd-${name}-data`,
    network: `${name}-net.network`,
    networkName: `systemd-${name}-net`,
  };
}

/**
 * A busybox container unit that systemd does not restart and starts at
 * boot: `lines` (`Exec=`, ports, volumes…) in its [Container] section after
 * the image, `install` after `WantedBy=` in its [Install] section.
 */
export function containerUnit(
  lines: readonly string[],
  install: readonly string[] = [],
): string {
  return [
    "[Container]",
    "Image=localhost/bb:latest",
    ...lines,
    "",
    "[Service]",
    "Restart=no",
    "",
    "[Install]",
    "WantedBy=default.target",
    ...install,
    "",
  ].join("\n");
}

// busybox httpd as PID 1 ignores SIGTERM: without the trap every stop waits
// 10 s and ends "failed". -v logs each request to stderr, hence the journal.
const HTTPD_EXEC =
  `Exec=/bin/busybox sh -c "trap 'exit 0' TERM; /bin/busybox httpd -f -v -p 8080 -h /www & wait"`;

/**
 * A deployment of three units: `<name>-web.container` (busybox httpd on
 * 127.0.0.1:`port`, with the volume at /data and on the network),
 * `<name>-data.volume` and `<name>-net.network`, plus a `.leger.yaml` giving
 * its name and version. Returns path → text for {@linkcode writeSource}.
 */
export function webDeployment(
  options: WebDeploymentOptions,
): Record<string, string> {
  const { name, port, version = "1", broken = false } = options;
  const names = webNames(name);
  const exec = broken ? "Exec=/bin/busybox false" : HTTPD_EXEC;
  return {
    ".leger.yaml": `name: ${name}\nversion: "${version}"\n`,
    [names.container]:
      `[Unit]\nDescription=leger e2e web server of ${name}\n\n` +
      containerUnit([
        exec,
        `Volume=${names.volume}:/data`,
        `Network=${names.network}`,
        `PublishPort=127.0.0.1:${port}:8080`,
      ]),
    [names.volume]: "[Volume]\n",
    [names.network]: "[Network]\n",
  };
}
