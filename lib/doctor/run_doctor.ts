import { listPodmanContainers } from "../adapters/podman_ps.ts";
import { readPodmanInfo } from "../adapters/podman_info.ts";
import { readProcNet } from "../adapters/proc_net.ts";
import { QUADLET_GENERATOR_PATHS } from "../adapters/quadlet_generator.ts";
import type { Runner, RunResult } from "../adapters/run.ts";
import type { Scope } from "../adapters/scope.ts";
import type { TailscaleStatusReading } from "../adapters/tailscale.ts";
import { authFilePath } from "../auth/auth_file_path.ts";
import { LegerError } from "../errors/leger_error.ts";
import { quadletKindOf } from "../quadlet/kind.ts";
import type { LegerdHealthAnswer } from "../secrets/legerd_client.ts";
import { sha256Hex } from "../source/sha256_hex.ts";
import { pathExists } from "../state/path_exists.ts";
import {
  type DeploymentFolder,
  readDeploymentFolder,
  RECORD_FILE,
} from "../state/deployment_folder.ts";
import {
  type InstalledDeployment,
  readDeployments,
} from "../state/deployments_file.ts";
import { moveAsideCommand } from "../state/move_aside_command.ts";
import { legerPaths } from "../state/paths.ts";
import { tailscaleIdentity } from "../tailscale/tailscale_identity.ts";
import { dropInSelector } from "../unit/drop_ins.ts";
import { fixForDamagedFile, fixFromRemedy } from "./_fix_from_remedy.ts";
import { checkCgroups } from "./check_cgroups.ts";
import { checkDrift, type ForeignDropInFacts } from "./check_drift.ts";
import { checkFolders } from "./check_folders.ts";
import { checkLegerd } from "./check_legerd.ts";
import { checkLinger } from "./check_linger.ts";
import { checkPodman } from "./check_podman.ts";
import { checkPorts } from "./check_ports.ts";
import { installedPorts } from "./_installed_ports.ts";
import { shellWord } from "../adapters/shell_word.ts";
import { checkSecretsDriver } from "./check_secrets_driver.ts";
import { checkSubIds } from "./check_sub_ids.ts";
import { checkSystemd } from "./check_systemd.ts";
import { checkTailscale } from "./check_tailscale.ts";
import type { HostFiles } from "./host_files.ts";
import { probeWritable } from "./probe_writable.ts";
import { readContainersConf } from "./read_containers_conf.ts";
import { summarizeChecks } from "./summarize_checks.ts";
import {
  CHECK_GROUPS,
  type CheckGroup,
  type DoctorCheck,
  type DoctorReport,
} from "./types.ts";

/** Who and where `leger doctor` checks. */
export interface DoctorSubject {
  /** The scope: the system's (root) or the rootless user's own. */
  scope: Scope;
  /** The id of the user running leger (root for the system scope). */
  uid: number;
  /** The user's home. */
  home: string;
  /** Reads leger's environment (`XDG_*`, `CONTAINERS_CONF`, `LEGER_FORCE_QUADLET_FALLBACK`). */
  env(name: string): string | undefined;
}

/** How `leger doctor` reaches the host. */
export interface DoctorHost {
  /** Reads the host's own files (`/etc`, `/sys`, `/run`, `/var/lib/systemd`). */
  files: HostFiles;
  /** Runs `podman`, `systemctl`, `cat` and `tailscale`. */
  runner: Runner;
  /**
   * Asks the scope's legerd for its health.
   *
   * @throws {LegerError} `ERR_LEGERD_NOT_RUNNING` (and the other errors of
   * its client) when it cannot.
   */
  legerdHealth(): Promise<LegerdHealthAnswer>;
  /**
   * Reads this machine's Tailscale status.
   *
   * @throws {LegerError} When Tailscale is missing, down or unreadable.
   */
  readTailscale(): Promise<TailscaleStatusReading>;
  /**
   * Checks that leger can write to a folder without making it: the folder
   * itself, or the nearest one it would be made in.
   *
   * @default {probeWritable}
   * @throws {LegerError} `ERR_STATE_UNWRITABLE`.
   */
  probeWritable?(dir: string): Promise<void>;
}

/**
 * Checks everything leger depends on in a scope, all at once: Podman (and
 * the way leger installs units with it) and its secrets driver; systemd
 * (the user's session and linger for a rootless user); subordinate ids and
 * cgroups; leger's folders, Tailscale and legerd; and for each installed
 * deployment, its published ports and its files in the quadlet folder.
 * Processes: one `podman info`, one `systemctl is-system-running`, one
 * `tailscale status`, and, when a deployment publishes ports, one `podman ps`
 * and `/proc/net` — however many deployments there are.
 *
 * A check that cannot get its facts (a file it may not read) warns, saying
 * why; only a bug in leger throws.
 *
 * @param subject The scope, the user and its environment.
 * @param host The host's files, the runner, legerd and Tailscale.
 * @returns Every check, grouped, and how many passed, warned and failed.
 *
 * @example Usage
 * ```ts ignore
 * import { hostFiles, runDoctor } from "@leger/leger/doctor";
 * const report = await runDoctor(
 *   { scope: "user", uid: 1000, home: "/home/alice", env: (n) => Deno.env.get(n) },
 *   { files: hostFiles(), runner: run, legerdHealth, readTailscale },
 * );
 * ```
 */
export async function runDoctor(
  subject: DoctorSubject,
  host: DoctorHost,
): Promise<DoctorReport> {
  const { scope, uid, home, env } = subject;
  const { files, runner } = host;
  const probe = host.probeWritable ?? probeWritable;
  const paths = legerPaths(scope, { home, env });
  const facts = {
    info: settle(readPodmanInfo({ runner })),
    user: userName(files, uid, env),
    deployments: settle(readDeployments(paths.stateDir)),
    conf: readContainersConf(files, { uid, home, env }),
  };
  // Read once, by two checks: each that needs it fails alone.
  facts.conf.catch(() => {});
  const systemctl = scope === "user" ? ["--user"] : [];
  const checks = await Promise.all([
    guard("podman", "podman", "Podman", async () =>
      checkPodman({
        info: await facts.info,
        scope,
        quadletDir: paths.quadletDir,
        generator: await firstExisting(files, QUADLET_GENERATOR_PATHS),
        forceFallback: env("LEGER_FORCE_QUADLET_FALLBACK") === "1",
        osRelease: await files.readText("/etc/os-release"),
      })),
    guard("secrets-driver", "podman", "Secrets driver", async () => {
      const [conf, info] = await Promise.all([facts.conf, facts.info]);
      // Podman's default storage.conf graphroot when Podman cannot say.
      const data = env("XDG_DATA_HOME")?.startsWith("/")
        ? env("XDG_DATA_HOME")!
        : `${home}/.local/share`;
      const graphRoot = (info instanceof Error ? "" : info.graphRoot) ||
        (scope === "user"
          ? `${data}/containers/storage`
          : "/var/lib/containers/storage");
      return checkSecretsDriver({
        driver: conf.secretsDriver,
        graphRoot,
        owner: scope === "user" ? await facts.user : "root",
      });
    }),
    guard("systemd", "systemd", "systemd", async () => {
      const runtimeDir = env("XDG_RUNTIME_DIR");
      const [booted, userBus, state, user] = await Promise.all([
        files.exists("/run/systemd/system"),
        scope === "user"
          ? files.exists(`/run/user/${uid}/bus`)
          : Promise.resolve(false),
        settle<RunResult>(
          runner("systemctl", [...systemctl, "is-system-running"], {
            allowedExitCodes: [1],
          }),
        ),
        facts.user,
      ]);
      return checkSystemd({
        scope,
        uid,
        user,
        booted,
        runtimeDir,
        userBus,
        state,
      });
    }),
    ...(scope === "user"
      ? [
        guard("linger", "systemd", "Linger", async () => {
          const user = await facts.user;
          return checkLinger({
            user,
            lingering: await files.exists(`/var/lib/systemd/linger/${user}`),
          });
        }),
        guard("sub-ids", "host", "Subordinate ids", async () => {
          const [user, subuid, subgid, info] = await Promise.all([
            facts.user,
            files.readText("/etc/subuid"),
            files.readText("/etc/subgid"),
            facts.info,
          ]);
          return checkSubIds({
            user,
            uid,
            subuid,
            subgid,
            podmanUidMap: info instanceof Error ? null : info.uidMap,
          });
        }),
      ]
      : []),
    guard("cgroups", "host", "cgroups", async () => {
      const [rootControllers, delegated, conf] = await Promise.all([
        files.readText("/sys/fs/cgroup/cgroup.controllers"),
        scope === "user"
          ? files.readText(
            `/sys/fs/cgroup/user.slice/user-${uid}.slice/user@${uid}.service/cgroup.controllers`,
          )
          : Promise.resolve(null),
        facts.conf,
      ]);
      return checkCgroups({
        scope,
        uid,
        rootControllers,
        delegated,
        pidsLimit: conf.pidsLimit,
      });
    }),
    guard("folders", "leger", "leger's folders", async () => {
      const dirs = [paths.quadletDir, paths.stateDir, paths.workDir];
      const folders = await Promise.all(dirs.map(async (dir) => {
        const error = await probe(dir).then(() => null, (error) => {
          if (error instanceof LegerError) return error;
          throw error;
        });
        return error === null
          ? { dir, error }
          : { dir, error, ...await ownerAndMode(dir) };
      }));
      return checkFolders({
        folders,
        owner: scope === "user" ? await facts.user : "root",
        uid,
      });
    }),
    guard("tailscale", "leger", "Tailscale", async () => {
      const [identity, needed] = await Promise.all([
        host.readTailscale().then(
          ({ status }) =>
            tailscaleIdentity(status, { action: "read the Tailscale status" }),
        ).catch((error) => {
          if (error instanceof LegerError) return error;
          throw error;
        }),
        pathExists(authFilePath({ home, env })),
      ]);
      const apiUrl = env("LEGER_API_URL");
      return checkTailscale({
        identity,
        needed,
        ...(apiUrl ? { apiUrl } : {}),
      });
    }),
    guard("legerd", "leger", "legerd", async () => {
      const config = env("XDG_CONFIG_HOME")?.startsWith("/")
        ? env("XDG_CONFIG_HOME")!
        : `${home}/.config`;
      const kind = scope === "user" ? "user" : "system";
      const [health, deployments, unit] = await Promise.all([
        host.legerdHealth().catch((error) => {
          if (error instanceof LegerError) return error;
          throw error;
        }),
        facts.deployments,
        firstExisting(
          files,
          [
            ...(scope === "user" ? [`${config}/systemd/user`] : []),
            `/etc/systemd/${kind}`,
            `/usr/local/lib/systemd/${kind}`,
            `/usr/lib/systemd/${kind}`,
          ].map((dir) => `${dir}/legerd.service`),
        ),
      ]);
      return checkLegerd({
        scope,
        health,
        waiting: deployments instanceof Error
          ? []
          : deployments.flatMap((d) => d.waiting_for_secrets ?? []),
        unitInstalled: unit !== null,
      });
    }),
    deploymentChecks(subject, host, facts.deployments).catch((error) =>
      guard(
        "deployments",
        "deployments",
        "Deployments",
        () => Promise.reject(error),
      ).then((check) => [check])
    ),
  ]);
  const flat = checks.flat();
  const ordered = CHECK_GROUPS.flatMap((group) =>
    flat.filter((c) => c.group === group)
  );
  return { scope, checks: ordered, summary: summarizeChecks(ordered) };
}

/** The ports and drift checks of every installed deployment. */
async function deploymentChecks(
  subject: DoctorSubject,
  host: DoctorHost,
  installed: Promise<InstalledDeployment[] | Error>,
): Promise<DoctorCheck[]> {
  const { scope, uid, home, env } = subject;
  const paths = legerPaths(scope, { home, env });
  const deployments = await installed;
  const base = { id: "deployments", group: "deployments" } as const;
  if (deployments instanceof Error) {
    if (!(deployments instanceof LegerError)) throw deployments;
    return [{
      ...base,
      title: "leger's record of deployments cannot be read",
      status: "fail",
      detail: deployments.message,
      fix: fixForDamagedFile(deployments) ??
        fixFromRemedy(deployments.remedy),
    }];
  }
  if (deployments.length === 0) {
    return [{
      ...base,
      title: `No deployment is installed in the ${scope} scope`,
      status: "pass",
      detail: "Nothing to check for ports or drift.",
      fix: null,
    }];
  }
  const scopeFlag = scope !== (uid === 0 ? "system" : "user");
  const foreignDropInsOf = await foreignDropIns(paths.quadletDir, deployments);
  const copies = await Promise.all(
    deployments.map((d) =>
      settle(readCopy(`${paths.workDir}/active/${d.name}`))
    ),
  );
  const ports = copies.map((copy) => {
    // Not checked: the drift check says the copy is damaged.
    if (copy instanceof Error) return [];
    try {
      return installedPorts(copy, paths.quadletDir);
    } catch (error) {
      if (!(error instanceof LegerError)) throw error;
      return error;
    }
  });
  const publishes = ports.some((p) => p instanceof Error || p.length > 0);
  const [sockets, containers] = publishes
    ? await Promise.all([
      settle(readProcNet({ runner: host.runner })),
      settle(listPodmanContainers({ runner: host.runner })),
    ])
    : [[], []];
  return (await Promise.all(deployments.map(async (d, index) => {
    const own = ports[index];
    const copy = copies[index];
    const activeDir = `${paths.workDir}/active/${d.name}`;
    if (copy instanceof Error) {
      // The ports are read from that copy too: said once, here.
      return [{
        id: `drift:${d.name}`,
        group: "deployments" as const,
        title: `${d.name}: leger's copy of what it installed is ${
          await pathExists(activeDir) ? "damaged" : "missing"
        }`,
        status: "fail" as const,
        detail: [
          copy.message,
          `leger compares the quadlet folder with that copy (${activeDir}), and \`leger deploy update\` starts from it: neither works until it is written again. Its ports are not checked either: doctor reads them from that copy.`,
        ].join("\n"),
        fix: await reinstallFix(d, paths.workDir, scope, scopeFlag),
      }];
    }
    const portCheck = own instanceof Error
      ? {
        id: `ports:${d.name}`,
        group: "deployments" as const,
        title: `${d.name}: its ports cannot be read`,
        status: "warn" as const,
        detail: own.message,
        fix: own instanceof LegerError ? fixFromRemedy(own.remedy) : null,
      }
      : checkPorts({ deployment: d.name, ports: own, sockets, containers });
    const actual = new Map(
      await Promise.all(
        d.files.map(async (f) =>
          [f.name, await sha256Of(`${paths.quadletDir}/${f.name}`)] as const
        ),
      ),
    );
    return [
      portCheck,
      checkDrift({
        deployment: d.name,
        scope,
        scopeFlag,
        installed: d.files,
        actual,
        quadletDir: paths.quadletDir,
        activeDir,
        foreignDropIns: foreignDropInsOf(d),
        hasServices: d.services.length > 0,
      }),
    ];
  }))).flat();
}

/**
 * The drop-ins in the quadlet folder that no deployment installed, as a
 * function from a deployment to those it reports, by the rules of Podman's
 * quadlet generator (lib/unit's `dropInSelector`: `web.container.d/`, a
 * template's and the dash-prefix folders `web-.container.d/`, the type-wide
 * `container.d/`; a file of the name of one leger installed in a more
 * specific folder hides it). Each is reported once, by the first deployment
 * whose units it changes, with the units of every deployment it changes,
 * those deployments, and those of them to restart once it is removed.
 */
async function foreignDropIns(
  quadletDir: string,
  deployments: readonly InstalledDeployment[],
): Promise<(d: InstalledDeployment) => ForeignDropInFacts[]> {
  const found = await dropInFiles(quadletDir);
  const ours = new Set(deployments.flatMap((d) => d.files.map((f) => f.name)));
  const foreign = new Set(found.filter((path) => !ours.has(path)));
  if (foreign.size === 0) return () => [];
  const select = dropInSelector([...new Set([...found, ...ours])]);
  const byPath = new Map<
    string,
    Record<"units" | "deployments" | "restart", string[]> & {
      path: string;
      by: InstalledDeployment;
    }
  >();
  for (const d of deployments) {
    for (const unit of d.files.map((f) => f.name)) {
      if (quadletKindOf(unit) === null) continue;
      for (const path of select(unit).filter((p) => foreign.has(p))) {
        const seen = byPath.get(path) ??
          { path, units: [], deployments: [], restart: [], by: d };
        byPath.set(path, seen);
        seen.units.push(unit);
        if (seen.deployments.at(-1) === d.name) continue;
        seen.deployments.push(d.name);
        if (d.services.length > 0) seen.restart.push(d.name);
      }
    }
  }
  const sorted = [...byPath.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  );
  return (d) => sorted.filter((f) => f.by === d).map(({ by: _, ...f }) => f);
}

/**
 * The `*.conf` files directly in a `*.d` folder anywhere in the quadlet
 * folder (Podman does not descend below a `*.d` folder), by relative path;
 * none when the folder is missing.
 */
async function dropInFiles(quadletDir: string, under = ""): Promise<string[]> {
  const dir = under === "" ? quadletDir : `${quadletDir}/${under}`;
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const found = await Promise.all(entries.map(async (entry) => {
    const path = under === "" ? entry.name : `${under}/${entry.name}`;
    const isDir = entry.isDirectory ||
      (entry.isSymlink &&
        (await Deno.stat(`${quadletDir}/${path}`).catch(() => null))
            ?.isDirectory === true);
    if (!isDir) {
      return under.endsWith(".d") && entry.name.endsWith(".conf") ? [path] : [];
    }
    return under.endsWith(".d") ? [] : await dropInFiles(quadletDir, path);
  }));
  return found.flat();
}

/**
 * leger's copy of an installed deployment (`active/<name>/`); a copy that is
 * gone is an error too (never "nothing to check").
 */
async function readCopy(activeDir: string): Promise<DeploymentFolder> {
  const folder = await readDeploymentFolder(activeDir);
  if (folder !== null) return folder;
  throw new LegerError(
    "ERR_STATE_INVALID",
    `Cannot read leger's copy of what it installed: ${activeDir} is missing (or holds no ${RECORD_FILE})`,
    { file: activeDir },
  );
}

/**
 * What brings back a damaged or missing copy of an installed deployment, as
 * tried on a real host: the damaged folder moved out of `active/` (leger
 * reads that folder as a whole, so a copy left there as `NAME.damaged` is
 * refused in turn), then the deployment installed again from its source
 * over what runs, which writes a new copy (`leger deploy update` cannot: it
 * starts from the copy).
 */
async function reinstallFix(
  deployment: InstalledDeployment,
  workDir: string,
  scope: Scope,
  scopeFlag: boolean,
): Promise<string> {
  const activeDir = `${workDir}/active/${deployment.name}`;
  const install = [
    "leger",
    "deploy",
    "install",
    deployment.name,
    "--source",
    deployment.source.location,
    ...(scopeFlag ? ["--scope", scope] : []),
  ];
  return [
    ...(await pathExists(activeDir)
      ? [
        `${
          moveAsideCommand(activeDir)
        }   # takes the damaged copy out of active/, which leger reads as a whole`,
      ]
      : []),
    `${
      install.map(shellWord).join(" ")
    }   # installs it again over what runs (its services restart), writing a new copy`,
  ].join("\n");
}

/**
 * Runs a check; when getting its facts fails for a reason of the host (a
 * file it may not read, a program that fails), the check warns with that
 * reason. A bug (`TypeError`, `ReferenceError`) is thrown.
 */
async function guard(
  id: string,
  group: CheckGroup,
  title: string,
  check: () => Promise<DoctorCheck>,
): Promise<DoctorCheck> {
  try {
    return await check();
  } catch (error) {
    if (
      !(error instanceof Error) || error instanceof TypeError ||
      error instanceof ReferenceError
    ) throw error;
    return {
      id,
      group,
      title: `${title}: cannot be checked`,
      status: "warn",
      detail: error.message,
      fix: error instanceof LegerError ? fixFromRemedy(error.remedy) : null,
    };
  }
}

/** A promise's value, or the error it rejected with (a bug still throws). */
function settle<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((error) => {
    if (
      !(error instanceof Error) || error instanceof TypeError ||
      error instanceof ReferenceError
    ) throw error;
    return error;
  });
}

/** The user's name from /etc/passwd, else `$USER`; else a shell word that prints it. */
async function userName(
  files: HostFiles,
  uid: number,
  env: (name: string) => string | undefined,
): Promise<string> {
  const passwd = await files.readText("/etc/passwd").catch(() => null);
  for (const line of (passwd ?? "").split("\n")) {
    const [name, , id] = line.split(":");
    if (id === String(uid) && name) return name;
  }
  return env("USER") || env("LOGNAME") || '"$(id -un)"';
}

async function firstExisting(
  files: HostFiles,
  paths: readonly string[],
): Promise<string | null> {
  for (const path of paths) if (await files.exists(path)) return path;
  return null;
}

/**
 * The folder a write probe of `dir` tried (`dir`, or the nearest folder
 * above it that exists), with its owner and mode; `null` when unreadable.
 */
async function ownerAndMode(
  dir: string,
): Promise<
  { probed: string; stat: { uid: number | null; mode: number | null } | null }
> {
  let probed = dir;
  for (;;) {
    try {
      const info = await Deno.stat(probed);
      return { probed, stat: { uid: info.uid, mode: info.mode } };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || probed === "/") {
        return { probed, stat: null };
      }
      probed = probed.slice(0, probed.lastIndexOf("/")) || "/";
    }
  }
}

/** The SHA-256 of a file, or `null` when it is gone. */
async function sha256Of(path: string): Promise<string | null> {
  try {
    return await sha256Hex(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
