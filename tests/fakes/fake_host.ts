/**
 * A fake Podman + systemd host for in-process command tests: a `Runner` that
 * answers the podman, systemctl, journalctl, cat and generator calls leger
 * and legerd make, keeping the state they change (installed quadlet files in
 * a real temporary folder, services and their states, volumes, networks,
 * secrets with their ids, labels and values)
 * so that a test can assert what a command did. The shapes of its answers are
 * Podman 5.8's and systemd 262's (see lib/adapters/testdata/); the real host
 * is exercised by tests/e2e/.
 *
 * Any call it does not know throws, so that a test never starts a process.
 *
 * @module
 */
import { CommandError } from "../../lib/adapters/command_error.ts";
import { LegerError } from "../../lib/errors/leger_error.ts";
import type { RunOptions, RunResult } from "../../lib/adapters/run.ts";
import { serviceNameOf } from "../../lib/quadlet/service_name.ts";
import { quadletKindOf } from "../../lib/quadlet/kind.ts";
import { templateParts } from "../../lib/quadlet/template_parts.ts";
import type { CliContext } from "../../cli/context.ts";
import type { CommandDeps } from "../../cli/deps.ts";

/** A service of the fake host. */
export interface FakeService {
  activeState: string;
  subState: string;
  /** systemd's `Result`: by default `exit-code` when failed, else `success`. */
  result?: string;
}

/** A Podman secret of the fake host, as `podman secret inspect` knows it. */
export interface FakePodmanSecret {
  /** Podman's id: every write gives a new one. */
  id: string;
  name: string;
  /** The value, as written on stdin. */
  value: string;
  labels: Record<string, string>;
  /** RFC 3339. */
  createdAt: string;
  /** RFC 3339: the last write. */
  updatedAt: string;
}

/** Options for {@linkcode fakeHost}. */
export interface FakeHostOptions {
  /** Podman's quadlet folder (a real temporary folder). */
  quadletDir: string;
  /** Services that fail to start (`systemctl start` exits 1, state `failed`). */
  failing?: readonly string[];
  /**
   * What services wrote to the journal, by service: `journalctl --unit X
   * --lines N` prints the last N lines (of a service not named, none).
   */
  journals?: Record<string, readonly string[]>;
  /** Volumes, networks and secrets that exist before the test. */
  volumes?: readonly string[];
  networks?: readonly string[];
  secrets?: readonly string[];
  /** Podman secrets with a value and labels (`secrets` have none). */
  podmanSecrets?: readonly {
    name: string;
    value?: string;
    labels?: Record<string, string>;
  }[];
  /**
   * Whether `podman secret create` knows `--replace` (Podman 4.7 and
   * later); without it, it answers as Podman 4.3 does.
   *
   * @default {true}
   */
  secretReplace?: boolean;
  /** Images in Podman's storage before the test (default: the e2e host's `localhost/bb:latest`). */
  images?: readonly string[];
  /** Images a registry serves: `podman pull` of any other fails as Podman does offline. */
  registry?: readonly string[];
  /**
   * What `cat /proc/sys/net/ipv4/ip_unprivileged_port_start` prints (the
   * lowest port a user may bind); `null`: the kernel has no such file.
   *
   * @default {1024}
   */
  unprivilegedPortStart?: number | null;
  /**
   * What `tailscale status --json` prints; without it, there is no
   * `tailscale` in PATH (as `run` says: `ERR_COMMAND_NOT_FOUND`).
   *
   * @default {undefined}
   */
  tailscaleStatus?: string;
}

/** The fake host: its runner and its state. */
export interface FakeHost {
  /** The runner to put in a command's deps. */
  runner(
    bin: string,
    args: readonly string[],
    options?: RunOptions,
  ): Promise<RunResult>;
  /** Every call made, as `bin arg…` lines. */
  calls: string[];
  /**
   * The services systemd knows, by name: those of installed units and the
   * instances of templates started so far (`worker@one.service`).
   */
  services: Map<string, FakeService>;
  /**
   * The template services of installed template units (`worker@.service` of
   * `worker@.container`): systemd loads any instance of them on demand, and
   * Podman 5.8's `quadlet list` and `quadlet rm` exit 125 while one is
   * installed ("missing the instance name").
   */
  templates: Set<string>;
  volumes: Set<string>;
  networks: Set<string>;
  secrets: Set<string>;
  /**
   * The secrets with their ids, values and labels, by name; kept in step
   * with `secrets` (a name added there has no value and no labels).
   */
  secretStore: Map<string, FakePodmanSecret>;
  /** Images in Podman's storage. */
  images: Set<string>;
  /**
   * When each service last became active, as a sequence number of the fake
   * host (1, 2, …): systemd's `ActiveEnterTimestamp`, which a start of an
   * active service leaves as it is and a restart moves on.
   */
  activeEnter: Map<string, number>;
  /**
   * Podman 5.8's applications: the files one `podman quadlet install`
   * installed together; `podman quadlet rm` of any of them removes them all.
   */
  apps: Set<string>[];
  /**
   * The health check state Podman reports for the container of a service
   * (`HealthCmd=`), by service: `podman ps` ends its `Status` with it
   * (`Up 5 minutes (unhealthy)`). A service not named has no health check.
   */
  containerHealth: Map<string, "healthy" | "unhealthy" | "starting">;
}

const ok = (stdout = ""): RunResult => ({ code: 0, stdout, stderr: "" });

/**
 * Makes a fake host over a quadlet folder.
 *
 * @example Usage
 * ```ts ignore
 * const host = fakeHost({ quadletDir });
 * await host.runner("systemctl", ["--user", "start", "--", "web.service"]);
 * ```
 */
export function fakeHost(options: FakeHostOptions): FakeHost {
  const { quadletDir, failing = [], journals = {} } = options;
  const host: FakeHost = {
    calls: [],
    services: new Map(),
    templates: new Set(),
    volumes: new Set(options.volumes ?? []),
    networks: new Set(options.networks ?? ["podman"]),
    secrets: new Set([
      ...options.secrets ?? [],
      ...(options.podmanSecrets ?? []).map((s) => s.name),
    ]),
    secretStore: new Map(),
    apps: [],
    images: new Set(options.images ?? ["localhost/bb:latest"]),
    activeEnter: new Map(),
    containerHealth: new Map(),
    runner: async (bin, rawArgs, runOptions = {}) => {
      const args = [...rawArgs];
      host.calls.push([bin, ...args].join(" "));
      if (bin === "cat" && args[0].startsWith("/proc/net/")) {
        return ok(
          "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
        );
      }
      if (
        bin === "cat" &&
        args[0] === "/proc/sys/net/ipv4/ip_unprivileged_port_start"
      ) {
        const start = options.unprivilegedPortStart === undefined
          ? 1024
          : options.unprivilegedPortStart;
        if (start !== null) return ok(`${start}\n`);
        return {
          code: 1,
          stdout: "",
          stderr: `cat: ${args[0]}: No such file or directory\n`,
        };
      }
      if (bin === "tailscale") {
        if (options.tailscaleStatus !== undefined) {
          return ok(options.tailscaleStatus);
        }
        throw new LegerError(
          "ERR_COMMAND_NOT_FOUND",
          `Cannot run "tailscale": it is not installed or not in PATH`,
        );
      }
      if (bin.endsWith("/quadlet")) return ok();
      if (bin === "journalctl") return journalctl(args);
      try {
        if (bin === "podman") return await podman(args, runOptions);
        if (bin === "systemctl") return systemctl(args);
      } catch (error) {
        // As `run` does: an exit code the caller allows is a result.
        if (
          error instanceof CommandError &&
          (runOptions.allowedExitCodes ?? []).includes(error.code)
        ) {
          return { code: error.code, stdout: "", stderr: error.stderrTail };
        }
        throw error;
      }
      throw new Error(`Unexpected call: ${[bin, ...args].join(" ")}`);
    },
  };

  let transitions = 0;
  /** The service becomes (or, restarted, becomes again) active now. */
  const activate = (unit: string) => {
    host.services.set(unit, { activeState: "active", subState: "running" });
    host.activeEnter.set(unit, ++transitions);
  };

  let secretIds = 0;
  const newSecretId = () => (++secretIds).toString(16).padStart(25, "0");
  for (
    const { name, value = "v", labels = {} } of options.podmanSecrets ?? []
  ) {
    const at = new Date().toISOString();
    host.secretStore.set(name, {
      id: newSecretId(),
      name,
      value,
      labels: { ...labels },
      createdAt: at,
      updatedAt: at,
    });
  }

  /** Brings `secretStore` in step with `secrets`, which tests may change. */
  function secretStore(): Map<string, FakePodmanSecret> {
    for (const name of host.secretStore.keys()) {
      if (!host.secrets.has(name)) host.secretStore.delete(name);
    }
    for (const name of host.secrets) {
      if (!host.secretStore.has(name)) {
        const at = new Date().toISOString();
        host.secretStore.set(name, {
          id: newSecretId(),
          name,
          value: "",
          labels: {},
          createdAt: at,
          updatedAt: at,
        });
      }
    }
    return host.secretStore;
  }

  /** Podman's `secret` commands as Podman 5.8 (or 4.3, without --replace) answers them. */
  function secret(args: string[], runOptions: RunOptions): RunResult | null {
    const store = secretStore();
    const fail = (stdout: string, stderr: string): RunResult => {
      if ((runOptions.allowedExitCodes ?? []).includes(125)) {
        return { code: 125, stdout, stderr };
      }
      throw new CommandError("podman", args, 125, stderr);
    };
    const operands = (from: number) => {
      const rest = args.slice(from);
      const dash = rest.indexOf("--");
      return dash === -1
        ? rest.filter((a) => !a.startsWith("-") || a === "-")
        : rest.slice(dash + 1);
    };
    if (args.join(" ") === "secret ls --format {{json .}}") {
      return ok(
        [...store.values()].map((s) =>
          JSON.stringify({
            ID: s.id,
            Name: s.name,
            Driver: "file",
            CreatedAt: "About a minute ago",
            UpdatedAt: "About a minute ago",
          }) + "\n"
        ).join(""),
      );
    }
    if (args[1] === "inspect") {
      const found = [];
      const missing = [];
      for (const key of operands(2)) {
        const hit = [...store.values()].find((s) =>
          s.id === key || s.name === key
        );
        if (hit === undefined) missing.push(key);
        else {
          found.push({
            ID: hit.id,
            CreatedAt: hit.createdAt,
            UpdatedAt: hit.updatedAt,
            Spec: {
              Name: hit.name,
              Driver: { Name: "file", Options: {} },
              Labels: hit.labels,
            },
          });
        }
      }
      const stdout = JSON.stringify(found, null, 4) + "\n";
      if (missing.length === 0) return ok(stdout);
      return fail(
        stdout,
        `Error: inspecting secret: no secret with name or id "${
          missing[0]
        }": no such secret\n`,
      );
    }
    if (args[1] === "create") {
      let replace = false;
      const labels: Record<string, string> = {};
      const positional: string[] = [];
      for (let i = 2; i < args.length; i++) {
        if (args[i] === "--replace") replace = true;
        else if (args[i] === "--label" || args[i] === "-l") {
          const [key, ...value] = args[++i].split("=");
          labels[key] = value.join("=");
        } else if (args[i] === "--") {
          positional.push(...args.slice(i + 1));
          break;
        } else positional.push(args[i]);
      }
      if (replace && options.secretReplace === false) {
        return fail(
          "",
          "Error: unknown flag: --replace\nSee 'podman secret create --help'\n",
        );
      }
      const [name, file] = positional;
      if (file !== "-") {
        throw new Error(`Unexpected call: podman ${args.join(" ")}`);
      }
      const value = runOptions.stdin ?? "";
      if (value === "") {
        return fail(
          "",
          "Error: secret data must be larger than 0 and less than 512000 bytes\n",
        );
      }
      const before = store.get(name);
      if (before !== undefined && !replace) {
        return fail("", `Error: ${name}: secret name in use\n`);
      }
      const at = new Date().toISOString();
      const created: FakePodmanSecret = {
        id: newSecretId(),
        name,
        value,
        labels,
        createdAt: before?.createdAt ?? at,
        updatedAt: at,
      };
      store.set(name, created);
      host.secrets.add(name);
      return ok(`${created.id}\n`);
    }
    if (args[1] === "rm") {
      const missing = [];
      const ids = [];
      for (const key of operands(2)) {
        const hit = [...store.values()].find((s) =>
          s.id === key || s.name === key
        );
        if (hit === undefined) missing.push(key);
        else {
          store.delete(hit.name);
          host.secrets.delete(hit.name);
          ids.push(hit.id);
        }
      }
      const stdout = ids.map((id) => `${id}\n`).join("");
      if (missing.length === 0) return ok(stdout);
      return fail(
        stdout,
        `Error: no secret with name or id "${missing[0]}": no such secret\n`,
      );
    }
    return null;
  }

  async function podman(
    args: string[],
    runOptions: RunOptions,
  ): Promise<RunResult> {
    const line = args.join(" ");
    if (line === "--version") return ok("podman version 5.8.6\n");
    if (line === "volume ls --format json") {
      return ok(JSON.stringify([...host.volumes].map((Name) => ({ Name }))));
    }
    if (line === "network ls --format json") {
      return ok(JSON.stringify([...host.networks].map((name) => ({ name }))));
    }
    if (line === "ps --all --format json") return ok(await containers());
    if (args[0] === "image" && args[1] === "exists") {
      if (host.images.has(args[2])) return ok();
      throw new CommandError("podman", args, 1, "");
    }
    if (args[0] === "pull") {
      const image = args[args.length - 1];
      if ((options.registry ?? []).includes(image)) {
        host.images.add(image);
        return ok("sha256:0123456789abcdef\n");
      }
      const host_ = image.split("/")[0];
      throw new CommandError(
        "podman",
        args,
        125,
        `Error: initializing source docker://${image}: pinging container registry ${host_}: Get "https://${host_}/v2/": dial tcp: lookup ${host_}: no such host\n`,
      );
    }
    if (line === "secret ls --format {{.Name}}") {
      return ok([...host.secrets].map((s) => `${s}\n`).join(""));
    }
    if (args[0] === "secret") {
      const answer = secret(args, runOptions);
      if (answer !== null) return answer;
    }
    if (
      line === "quadlet list --format json" ||
      (args[0] === "quadlet" && args[1] === "rm")
    ) {
      // Podman 5.8 asks systemd about every installed quadlet's service,
      // which it cannot do for a template.
      const [template] = host.templates;
      if (template !== undefined) {
        throw new CommandError(
          "podman",
          args,
          125,
          `Error: Unit name ${template} is missing the instance name`,
        );
      }
    }
    if (line === "quadlet list --format json") {
      const entries = [];
      for await (const entry of Deno.readDir(quadletDir)) {
        if (quadletKindOf(entry.name) === null) continue;
        const service = serviceNameOf(entry.name);
        const state = host.services.get(service);
        entries.push({
          Name: entry.name,
          UnitName: service,
          Path: `${quadletDir}/${entry.name}`,
          Status: state
            ? `${state.activeState}/${state.subState}`
            : "Not loaded",
          App: "",
        });
      }
      return ok(JSON.stringify(entries));
    }
    if (args[0] === "quadlet" && args[1] === "install") {
      const files = args.slice(args.indexOf("--") + 1);
      for (const file of files) {
        const target = `${quadletDir}/${file}`;
        if (!args.includes("--replace")) {
          const exists = await Deno.lstat(target).then(() => true, () => false);
          if (exists) {
            throw new CommandError(
              "podman",
              args,
              125,
              `a Quadlet with name ${file} already exists`,
            );
          }
        }
        await Deno.mkdir(quadletDir, { recursive: true });
        await Deno.copyFile(`${runOptions.cwd}/${file}`, target);
      }
      const app = new Set(files);
      for (const other of host.apps) {
        for (const file of files) other.delete(file);
      }
      host.apps.push(app);
      loadUnits(files);
      return ok();
    }
    if (args[0] === "quadlet" && args[1] === "rm") {
      const named = args.slice(args.indexOf("--") + 1);
      const removed = new Set(named);
      for (const app of host.apps) {
        if (named.some((file) => app.has(file))) {
          for (const file of app) removed.add(file);
          app.clear();
        }
      }
      for (const file of removed) {
        await Deno.remove(`${quadletDir}/${file}`).catch(() => {});
        if (quadletKindOf(file) !== null) {
          host.services.delete(serviceNameOf(file));
          host.templates.delete(serviceNameOf(file));
        }
      }
      return ok();
    }
    if (args[0] === "volume" && args[1] === "rm") {
      for (const name of args.slice(args.indexOf("--") + 1)) {
        host.volumes.delete(name);
      }
      return ok();
    }
    if (args[0] === "network" && args[1] === "rm") {
      for (const name of args.slice(args.indexOf("--") + 1)) {
        host.networks.delete(name);
      }
      return ok();
    }
    throw new Error(`Unexpected call: podman ${line}`);
  }

  /**
   * `podman ps --all --format json` as Podman 5.8 prints it (see
   * lib/adapters/testdata/podman_ps_health.out): one running container per
   * active service of a `.container` unit (or of its template), named
   * `systemd-<stem>`, with the unit's image and published ports, labelled
   * with its service; the generated services run it with `--rm`, so a
   * stopped service has none.
   */
  async function containers(): Promise<string> {
    const list = [];
    for (const [service, state] of host.services) {
      if (state.activeState !== "active") continue;
      const stem = service.replace(/\.service$/, "");
      const template = templateParts(`${stem}.container`)?.template;
      let text: string | null = null;
      for (
        const file of [`${stem}.container`, ...(template ? [template] : [])]
      ) {
        text = await Deno.readTextFile(`${quadletDir}/${file}`).catch(() =>
          null
        );
        if (text !== null) break;
      }
      if (text === null) continue;
      const image = /^Image=(.*)$/m.exec(text)?.[1].trim() ?? "";
      const ports = [...text.matchAll(/^PublishPort=(.*)$/gm)].map((m) => {
        const parts = m[1].trim().split(":");
        const [container, protocol = "tcp"] = parts.pop()!.split("/");
        const hostPort = parts.pop() ?? container;
        return {
          host_ip: parts.join(":"),
          container_port: Number(container),
          host_port: Number(hostPort),
          range: 1,
          protocol,
        };
      });
      const started = Math.floor(
        new Date("2026-11-30T11:00:00Z").getTime() / 1000,
      ) + (host.activeEnter.get(service) ?? 0);
      const health = host.containerHealth.get(service);
      list.push({
        AutoRemove: true,
        Command: null,
        CreatedAt: "About an hour ago",
        CIDFile: "",
        Exited: false,
        ExitedAt: -62135596800,
        ExitCode: 0,
        ExposedPorts: null,
        Id: Array.from(stem, (ch) => ch.charCodeAt(0).toString(16)).join("")
          .padEnd(64, "0").slice(0, 64),
        Image: image,
        ImageID:
          "31b80f035c735288adfdd88a0f1ea7cb6b92d478b8ff5fd8df07e535962ecfd3",
        IsInfra: false,
        Labels: { PODMAN_SYSTEMD_UNIT: service },
        Mounts: [],
        Names: [`systemd-${stem}`],
        Namespaces: {},
        Networks: ["podman"],
        Pid: 200,
        Pod: "",
        PodName: "",
        Ports: ports.length === 0 ? null : ports,
        Restarts: 0,
        Size: null,
        StartedAt: started,
        State: "running",
        Status: `Up About an hour${health ? ` (${health})` : ""}`,
        Created: started,
      });
    }
    return JSON.stringify(list, null, 2) + "\n";
  }

  function loadUnits(files: readonly string[]): void {
    for (const file of files) {
      if (quadletKindOf(file) === null) continue;
      const service = serviceNameOf(file);
      if (templateParts(file)?.instance === "") {
        host.templates.add(service);
        continue;
      }
      if (!host.services.has(service)) {
        host.services.set(service, {
          activeState: "inactive",
          subState: "dead",
        });
      }
    }
  }

  /**
   * The units and, before each, the volume and network units its quadlet
   * names (`Volume=x.volume`, `Network=x.network`): Quadlet adds `Requires=`
   * and `After=` on their services (podman-systemd.unit(5)).
   */
  function withDependencies(units: readonly string[]): string[] {
    const ordered: string[] = [];
    for (const unit of units) {
      for (const dependency of requires(unit)) {
        if (!ordered.includes(dependency)) ordered.push(dependency);
      }
      if (!ordered.includes(unit)) ordered.push(unit);
    }
    return ordered;
  }

  /**
   * The services a service requires: those of the volume and network units
   * its container names. An instance without a file of its own
   * (`worker@one.service`) is generated from its template's file.
   */
  function requires(unit: string): string[] {
    const stem = unit.replace(/\.service$/, "");
    const template = templateParts(`${stem}.container`)?.template;
    let text = "";
    for (
      const file of [`${stem}.container`, ...(template ? [template] : [])]
    ) {
      try {
        text = Deno.readTextFileSync(`${quadletDir}/${file}`);
        break;
      } catch {
        // Not a container, or not installed: no dependencies to add.
      }
    }
    return [
      ...new Set(
        [...text.matchAll(
          /^(?:Volume|Network)=([^:\s]+)\.(volume|network)\b/gm,
        )].map((match) => `${match[1]}-${match[2]}.service`),
      ),
    ];
  }

  /**
   * Whether systemd can load a unit: a service of an installed unit, or an
   * instance of an installed template (loaded on demand, as systemd does).
   */
  function knows(unit: string): boolean {
    if (host.services.has(unit)) return true;
    const parts = templateParts(unit);
    if (
      parts === null || parts.instance === "" ||
      !host.templates.has(parts.template)
    ) return false;
    host.services.set(unit, { activeState: "inactive", subState: "dead" });
    return true;
  }

  function journalctl(args: string[]): RunResult {
    const unit = args[args.indexOf("--unit") + 1];
    const lines = Number(args[args.indexOf("--lines") + 1]);
    const journal = journals[unit] ?? [];
    return ok(journal.slice(-lines).map((line) => `${line}\n`).join(""));
  }

  /**
   * What `systemctl daemon-reload` does after the generator ran: units whose
   * quadlet file appeared are loaded, those whose file is gone are unloaded
   * unless they still run (systemd keeps a running unit until it stops).
   */
  function reload(): void {
    const present = new Set<string>();
    host.templates.clear();
    for (const entry of Deno.readDirSync(quadletDir)) {
      if (quadletKindOf(entry.name) !== null) {
        // A template is no service; its instances load on demand.
        const template = templateParts(entry.name)?.instance === "";
        (template ? host.templates : present).add(serviceNameOf(entry.name));
      }
    }
    for (const [service, state] of host.services) {
      if (!present.has(service) && state.activeState !== "active") {
        host.services.delete(service);
      }
    }
    for (const service of present) {
      if (!host.services.has(service)) {
        host.services.set(service, {
          activeState: "inactive",
          subState: "dead",
        });
      }
    }
  }

  function systemctl(scoped: string[]): RunResult {
    const args = scoped[0] === "--user" ? scoped.slice(1) : scoped;
    const units = args.slice(args.indexOf("--") + 1);
    switch (args[0]) {
      case "daemon-reload":
        reload();
        return ok();
      case "reset-failed":
        return ok();
      case "start":
      case "restart": {
        // systemd restarts the running services that require a restarted
        // one (Requires= propagates a restart, systemd.unit(5)).
        const propagated = args[0] !== "restart" ? [] : [
          ...host.services.entries(),
        ].filter(([other, state]) =>
          state.activeState === "active" && !units.includes(other) &&
          requires(other).some((required) => units.includes(required))
        ).map(([other]) => other);
        for (const unit of [...withDependencies(units), ...propagated]) {
          if (templateParts(unit)?.instance === "") {
            throw new CommandError(
              "systemctl",
              scoped,
              1,
              `Failed to ${
                args[0]
              } ${unit}: Unit name ${unit} is missing the instance name.`,
            );
          }
          if (!knows(unit)) {
            throw new CommandError(
              "systemctl",
              scoped,
              5,
              `Unit ${unit} not found.`,
            );
          }
          if (failing.includes(unit)) {
            host.services.set(unit, {
              activeState: "failed",
              subState: "failed",
            });
            throw new CommandError(
              "systemctl",
              scoped,
              1,
              `Job for ${unit} failed because the control process exited with error code.`,
            );
          }
          const restarted = args[0] === "restart" &&
            (units.includes(unit) || propagated.includes(unit));
          if (
            restarted || host.services.get(unit)?.activeState !== "active"
          ) {
            activate(unit);
          }
          // The generated service of x.volume (x.network) creates the Podman
          // volume (network) systemd-x, unless VolumeName= (NetworkName=) says
          // otherwise, which the fake does not read.
          const created = /^(.+)-(volume|network)\.service$/.exec(unit);
          if (created?.[2] === "volume") {
            host.volumes.add(`systemd-${created[1]}`);
          }
          if (created?.[2] === "network") {
            host.networks.add(`systemd-${created[1]}`);
          }
        }
        return ok();
      }
      case "try-restart":
        // Restarts the units that run; a stopped one stays stopped.
        for (const unit of units) {
          const state = host.services.get(unit);
          if (state?.activeState !== "active") continue;
          if (failing.includes(unit)) {
            host.services.set(unit, {
              activeState: "failed",
              subState: "failed",
            });
            throw new CommandError(
              "systemctl",
              scoped,
              1,
              `Job for ${unit} failed because the control process exited with error code.`,
            );
          }
          activate(unit);
        }
        return ok();
      case "stop":
        for (const unit of units) {
          if (host.services.has(unit)) {
            host.services.set(unit, {
              activeState: "inactive",
              subState: "dead",
            });
          }
        }
        return ok();
      case "list-units": {
        const patterns = units.map((p) =>
          new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`)
        );
        return ok(
          [...host.services.keys()].filter((unit) =>
            patterns.some((p) => p.test(unit))
          ).map((unit) => {
            const state = host.services.get(unit)!;
            return `${unit} loaded ${state.activeState} ${state.subState} ${unit}\n`;
          }).join(""),
        );
      }
      case "show": {
        const asked = args.find((a) => a.startsWith("--property="))
          ?.slice("--property=".length).split(",");
        return ok(
          units.map((unit) => {
            const state = knows(unit) ? host.services.get(unit) : undefined;
            const properties: Record<string, string> = {
              Id: unit,
              LoadState: state ? "loaded" : "not-found",
              ActiveState: state?.activeState ?? "inactive",
              SubState: state?.subState ?? "dead",
              Result: state?.result ??
                (state?.activeState === "failed" ? "exit-code" : "success"),
              // An hour before the fake clock, plus the host's sequence.
              ActiveEnterTimestamp: host.activeEnter.has(unit)
                ? `@${
                  Math.floor(
                    new Date("2026-11-30T11:00:00Z").getTime() / 1000,
                  ) + host.activeEnter.get(unit)!
                }`
                : "",
              StateChangeTimestamp: host.activeEnter.has(unit)
                ? `@${
                  Math.floor(
                    new Date("2026-11-30T11:00:00Z").getTime() / 1000,
                  ) + host.activeEnter.get(unit)!
                }`
                : "",
              Requires: requires(unit).join(" "),
              Requisite: "",
              BindsTo: "",
              After: requires(unit).join(" "),
            };
            return [
              ...(asked ?? Object.keys(properties)).map((key) =>
                `${key}=${properties[key] ?? ""}`
              ),
              "",
            ].join("\n");
          }).join("\n"),
        );
      }
    }
    throw new Error(`Unexpected call: systemctl ${scoped.join(" ")}`);
  }

  return host;
}

/** What {@linkcode fakeDeps} captured. */
export interface CapturedOutput {
  stdout: string;
  stderr: string;
}

/**
 * Command deps over a fake host, with captured output, a fixed clock, no
 * terminal, and a HOME (with XDG folders) of the test's.
 *
 * @example Usage
 * ```ts ignore
 * const { deps, output } = fakeDeps({ home, host });
 * await run(parse({ args: [], options: {} }), deps);
 * ```
 */
export function fakeDeps(
  options: {
    home: string;
    host: FakeHost;
    cwd?: string;
    uid?: number;
    env?: Record<string, string>;
    /** Signals raised by the test: call `raise("SIGINT")`. */
    signals?: Map<string, () => void>;
    context?: Partial<CliContext>;
  },
): { deps: CommandDeps; output: CapturedOutput } {
  const { home, host, cwd = home, uid = 1000, env = {} } = options;
  const output: CapturedOutput = { stdout: "", stderr: "" };
  const signals = options.signals ?? new Map();
  const context: CliContext = {
    out: (text) => void (output.stdout += text),
    err: (text) => void (output.stderr += text),
    stdoutIsTerminal: false,
    stdinIsTerminal: false,
    stderrIsTerminal: false,
    color: false,
    readLine: () => Promise.resolve(null),
    env: (name) => env[name],
    cwd,
    home,
    uid,
    debug: false,
    ...options.context,
  };
  const deps: CommandDeps = {
    context,
    runner: host.runner,
    now: () => new Date("2026-11-30T12:00:00Z"),
    fetch: () => Promise.reject(new Error("Unexpected fetch")),
    onSignal(signal, listener) {
      signals.set(signal, listener);
      return () => signals.delete(signal);
    },
    streamJournal: () => Promise.reject(new Error("Unexpected journal stream")),
    streamJournalEntries: () =>
      Promise.reject(new Error("Unexpected journal stream")),
    detectSupport: () =>
      Promise.resolve({
        podman: { major: 5, minor: 8, patch: 6, text: "5.8.6" },
        quadletCommand: true,
        replace: true,
      }),
    findGenerator: () => Promise.resolve(null),
    settlePause: () => Promise.resolve(),
  };
  return { deps, output };
}
