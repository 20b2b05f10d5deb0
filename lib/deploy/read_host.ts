import { readInstalledUnits } from "../adapters/installed_units.ts";
import {
  listContainers,
  listNetworks,
  listVolumes,
} from "../adapters/podman.ts";
import { secretNames } from "../adapters/podman_quadlet.ts";
import { readProcNet } from "../adapters/proc_net.ts";
import type { Runner } from "../adapters/run.ts";
import { CommandError } from "../adapters/command_error.ts";
import type { HostFile, HostSnapshot } from "../conflicts/types.ts";
import { LegerError } from "../errors/mod.ts";
import type { InstalledDeployment } from "../state/deployments_file.ts";
import { resolveVariables } from "../validate/resolve_variables.ts";
import { type DeployContext, pathsOf } from "./context.ts";

/** Options for {@linkcode readHost}. */
export interface ReadHostOptions {
  /**
   * Paths inside the quadlet folder to look for (the files of the deployment
   * being planned): those that exist without a record in `deployments.yaml`
   * are listed in the snapshot's `files` as installed outside leger.
   *
   * @default {[]}
   */
  paths?: readonly string[];
}

/**
 * Stage 4 of a deploy, first half: what is installed and in use on this host
 * — the quadlet units in the scope's folder (with the deployment leger
 * recorded each under, and their `${NAME}` variables resolved as systemd
 * will), the files in that folder (those `deployments.yaml` records, with
 * their deployment, and those of `paths` put there outside leger), the
 * sockets holding ports (`/proc/net`), in the user scope the lowest port a
 * user may bind (`/proc/sys/net/ipv4/ip_unprivileged_port_start`, read with
 * `cat`: Deno reads `/proc` only with `--allow-all`; absent when the file is),
 * and Podman's volumes, containers,
 * networks and secrets — for the conflict checks and the plan. Without
 * Podman there are no volumes, containers or networks to collide with, and
 * the secrets are unknown.
 *
 * Requires `--allow-read` for the quadlet folder and
 * `--allow-run=podman,cat`.
 *
 * @param context The scope, its folders and the runner.
 * @param installed `deployments.yaml`, which names each unit's and file's
 * deployment.
 * @param options The paths to look for in the quadlet folder.
 * @returns The snapshot `findConflicts` takes.
 * @throws {LegerError} What a Podman call throws, but `ERR_COMMAND_NOT_FOUND`.
 *
 * @example Usage
 * ```ts ignore
 * import { readHost } from "./read_host.ts";
 * const host = await readHost(context, installed, { paths: ["web.container"] });
 * ```
 */
export async function readHost(
  context: DeployContext,
  installed: readonly InstalledDeployment[],
  options: ReadHostOptions = {},
): Promise<HostSnapshot> {
  const { paths = [] } = options;
  const { runner } = context;
  const { quadletDir } = pathsOf(context);
  const owners = new Map(
    installed.flatMap((d) => d.units.map((unit) => [unit, d.name])),
  );
  const [
    units,
    listening,
    unprivilegedPortStart,
    volumes,
    containers,
    networks,
    secrets,
    files,
  ] = await Promise.all([
    readInstalledUnits([quadletDir]),
    readProcNet({ runner }),
    // Root binds any port; rootless Podman binds as the user.
    context.scope === "user" ? readUnprivilegedPortStart(runner) : undefined,
    orEmptyWithoutPodman(listVolumes(runner)),
    orEmptyWithoutPodman(listContainers(runner)),
    orEmptyWithoutPodman(listNetworks(runner)),
    orUnknownWithoutPodman(secretNames({ runner })),
    quadletFiles(quadletDir, installed, paths),
  ]);
  return {
    installed: units.units.map((unit) => ({
      // Ports and names are compared as systemd will start them.
      quadlet: resolveVariables(unit.unit, unit.quadlet).quadlet,
      deployment: owners.get(unit.quadlet.file),
    })),
    listening,
    ...(unprivilegedPortStart === undefined ? {} : { unprivilegedPortStart }),
    volumes,
    containers,
    networks,
    ...(secrets === undefined ? {} : { secrets }),
    quadletDir,
    files,
  };
}

/**
 * Every file `deployments.yaml` records, with its deployment, and those of
 * `paths` (or a file where one of them needs a folder) that are in the
 * quadlet folder without a record.
 */
async function quadletFiles(
  quadletDir: string,
  installed: readonly InstalledDeployment[],
  paths: readonly string[],
): Promise<HostFile[]> {
  const recorded: HostFile[] = installed.flatMap((d) =>
    d.files.map((file) => ({ path: file.name, deployment: d.name }))
  );
  const known = new Set(recorded.map((file) => file.path));
  const found: HostFile[] = [];
  // One listing of the folder answers for every path whose first part is not
  // in it, as for a new deployment: a stat of each of 10,000 files cost 0.7 s.
  let top: Set<string> | null | undefined;
  const folders = new Set<string>();
  for (const path of paths) {
    if (known.has(path)) continue;
    top ??= await topNames(quadletDir);
    if (top !== null && !top.has(path.split("/", 1)[0])) continue;
    const existing = await existingPath(quadletDir, path, folders);
    if (existing !== null && !known.has(existing.path)) {
      known.add(existing.path);
      found.push(existing);
    }
  }
  return [...recorded, ...found];
}

/**
 * The names at the top of `dir` (none when it does not exist), or `null`
 * when it cannot be listed: then each path is looked up on its own.
 */
async function topNames(dir: string): Promise<Set<string> | null> {
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(dir)) names.add(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return names;
    if (error instanceof Deno.errors.PermissionDenied) return null;
    throw error;
  }
  return names;
}

/**
 * What stands in `dir` at `path` or where one of its folders should be: the
 * first part of the path that is a symbolic link (existing or dangling: the
 * install would write through it, outside `dir`), or a file where a folder is
 * needed, or `path` itself when it exists; `null` when none of these. Each
 * part is looked at with `lstat`, which does not follow a link at that part
 * but does follow one above it, so the parts are looked at from the top.
 * `folders` remembers the parts known to be plain folders.
 */
async function existingPath(
  dir: string,
  path: string,
  folders: Set<string>,
): Promise<HostFile | null> {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const part = parts.slice(0, i).join("/");
    if (i < parts.length && folders.has(part)) continue;
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(`${dir}/${part}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
    if (info.isSymlink) {
      return { path: part, linkTarget: await Deno.readLink(`${dir}/${part}`) };
    }
    if (i === parts.length || !info.isDirectory) return { path: part };
    folders.add(part);
  }
  return null;
}

/** `/proc/sys/net/ipv4/ip_unprivileged_port_start`, or `undefined` without it. */
const UNPRIVILEGED_PORT_START = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

/** cat's exit code when a file is missing. */
const CAT_FAILED = 1;

/**
 * The lowest port a user may bind, read with `cat`; `undefined` when the
 * kernel has no such file (then every port is checked as bindable).
 */
async function readUnprivilegedPortStart(
  runner: Runner,
): Promise<number | undefined> {
  const { code, stdout, stderr } = await runner("cat", [
    UNPRIVILEGED_PORT_START,
  ], { allowedExitCodes: [CAT_FAILED] });
  if (code !== 0) {
    if (stderr.includes("No such file")) return undefined;
    throw new CommandError("cat", [UNPRIVILEGED_PORT_START], code, stderr);
  }
  const value = Number(stdout.trim());
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

async function orEmptyWithoutPodman(
  list: Promise<string[]>,
): Promise<string[]> {
  return await orUnknownWithoutPodman(list) ?? [];
}

async function orUnknownWithoutPodman(
  list: Promise<string[]>,
): Promise<string[] | undefined> {
  try {
    return await list;
  } catch (error) {
    if (error instanceof LegerError && error.code === "ERR_COMMAND_NOT_FOUND") {
      return undefined;
    }
    throw error;
  }
}
