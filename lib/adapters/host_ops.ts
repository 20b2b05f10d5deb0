import { journalTail } from "./journal.ts";
import {
  listUnits,
  showRequirements,
  showUnits,
  systemctl,
  type UnitState,
} from "./systemctl.ts";
import { quadletInstall } from "./podman_quadlet.ts";
import { listNetworks, listVolumes } from "./podman.ts";
import { run, type Runner } from "./run.ts";
import type { Scope } from "./scope.ts";

/**
 * What installing, starting and removing a deployment needs from the host.
 * Every removal is idempotent: a unit systemd does not know, a file, volume
 * or network that is already gone counts as done, so that an undo or a
 * remove interrupted part-way can simply run again.
 */
export interface HostOps {
  /**
   * Whether files can be installed over installed ones (`podman quadlet
   * install --replace`, Podman ≥ 5.7, or the copy fallback).
   */
  canReplace: boolean;
  /**
   * Puts `files` (paths relative to `dir`) into the quadlet folder and reloads
   * systemd; with `replace`, over files of the same names. Units are handed
   * to `podman quadlet install` before the files they use: Podman 5.8 refuses
   * a file list whose first file is not a unit.
   */
  installFiles(
    dir: string,
    files: readonly string[],
    replace: boolean,
  ): Promise<void>;
  /**
   * Copies `files` (relative to `dir`) into the quadlet folder over whatever
   * is there, and reloads systemd: how an undo puts a previous version back,
   * whatever state the folder is in.
   */
  restoreFiles(dir: string, files: readonly string[]): Promise<void>;
  /**
   * Deletes files from the quadlet folder (missing ones are fine), drops them
   * from Podman's application markers (`.<unit>.app`, `.<file>.asset`), and
   * reloads systemd. Not `podman quadlet rm`: it removes whole applications
   * and fails once a template unit is installed (Podman 5.8).
   */
  removeFiles(files: readonly string[]): Promise<void>;
  /**
   * Podman's application markers in the quadlet folder (`.<unit>.app`,
   * `.<file>.asset`), by name, with their content.
   */
  readMarkers(): Promise<Record<string, string>>;
  /**
   * Puts Podman's application markers back as {@linkcode HostOps.readMarkers}
   * read them: markers made since are deleted, changed ones rewritten.
   */
  restoreMarkers(before: Readonly<Record<string, string>>): Promise<void>;
  /**
   * Starts services with one `systemctl start` (systemd orders them by their
   * dependencies); aborting `signal` stops waiting for the start job.
   */
  start(services: readonly string[], signal?: AbortSignal): Promise<void>;
  /**
   * Restarts services with one `systemctl restart` (a stopped one is
   * started); aborting `signal` stops waiting for the job. systemd also
   * restarts the running services that require one of them.
   */
  restart(services: readonly string[], signal?: AbortSignal): Promise<void>;
  /**
   * Stops services with one `systemctl stop`; units systemd does not know
   * count as stopped; does nothing for an empty list.
   */
  stop(services: readonly string[]): Promise<void>;
  /**
   * The loaded instances of templates (`worker@*.service` for
   * `worker@.container`), started by leger or by hand, so that removing the
   * template stops them all.
   */
  loadedInstances(patterns: readonly string[]): Promise<string[]>;
  /**
   * The state of each service, in the order given, with one `systemctl show`
   * (systemctl(1)); a unit systemd does not know has `loadState` `not-found`.
   */
  states(services: readonly string[]): Promise<UnitState[]>;
  /** Forgets the failed state of units (`systemctl reset-failed`). */
  resetFailed(services: readonly string[]): Promise<void>;
  /**
   * Deletes those of the Podman volumes that exist, data included, with one
   * `podman volume rm --force` (which also removes any container using them).
   */
  removeVolumes(names: readonly string[]): Promise<void>;
  /**
   * Deletes those of the Podman networks that exist, with one `podman
   * network rm --force` (which also removes any container using them).
   */
  removeNetworks(names: readonly string[]): Promise<void>;
  /**
   * The last `lines` lines a service wrote to the journal of the scope
   * (`journalctl --output cat`), empty lines left out; for error messages.
   */
  journalTail(service: string, lines: number): Promise<string[]>;
  /** The command a person runs to read a service's whole journal. */
  journalCommand(service: string): string;
  /**
   * The units `service` requires (`Requires=`, `Requisite=`, `BindsTo=`),
   * with one `systemctl show`: where a start failure's cause is looked for.
   */
  dependencies(service: string): Promise<string[]>;
}

/** Options for {@linkcode hostOps}. */
export interface HostOpsOptions {
  /** The scope acted on: `user` runs `systemctl --user` and `journalctl --user`. */
  scope: Scope;
  /** Podman's quadlet folder of the scope. */
  quadletDir: string;
  /**
   * `podman quadlet install` (Podman ≥ 5.6) rather than copying the files
   * into the quadlet folder and reloading systemd (Podman 4.4–5.5).
   */
  quadletCommand: boolean;
  /** `podman quadlet install --replace` exists (Podman ≥ 5.7). */
  replace: boolean;
  /**
   * Runs podman, systemctl and journalctl.
   *
   * @default {run}
   */
  runner?: Runner;
}

/**
 * The real host: Podman's quadlet commands (or the copy fallback) and
 * systemctl in the scope.
 *
 * Requires `--allow-run=podman,systemctl,journalctl` and read/write access to
 * the quadlet folder.
 *
 * @example Usage
 * ```ts ignore
 * import { hostOps } from "./host_ops.ts";
 * const ops = hostOps({ scope: "user", quadletDir, quadletCommand: true, replace: true });
 * await ops.start(["web.service"]);
 * ```
 */
export function hostOps(options: HostOpsOptions): HostOps {
  const { scope, quadletDir, quadletCommand, replace, runner = run } = options;
  const inScope = (
    args: readonly string[],
    options: { allowedExitCodes?: number[]; signal?: AbortSignal } = {},
  ) => systemctl(scope, args, { runner, ...options });
  const copyFiles = async (dir: string, files: readonly string[]) => {
    for (const file of files) {
      const target = `${quadletDir}/${file}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), {
        recursive: true,
      });
      await Deno.copyFile(`${dir}/${file}`, target);
    }
  };
  return {
    canReplace: replace || !quadletCommand,
    async installFiles(dir, files, replaceFiles) {
      if (!quadletCommand) {
        await copyFiles(dir, files);
        await inScope(["daemon-reload"]);
        return;
      }
      // `podman quadlet install` takes files only (not drop-in or config
      // folders): leger copies nested paths itself, before Podman reloads systemd.
      await copyFiles(dir, files.filter((f) => f.includes("/")));
      const top = files.filter((f) => !f.includes("/"));
      await quadletInstall(dir, [
        ...top.filter(isUnitFile),
        ...top.filter((f) => !isUnitFile(f)),
      ], { replace: replace && replaceFiles, runner });
    },
    async restoreFiles(dir, files) {
      await copyFiles(dir, files);
      await inScope(["daemon-reload"]);
    },
    async removeFiles(files) {
      for (const file of files) {
        await removeFileAndEmptyParents(quadletDir, file);
      }
      await forgetInPodmanMarkers(quadletDir, files);
      await inScope(["daemon-reload"]);
    },
    readMarkers: () => readPodmanMarkers(quadletDir),
    async restoreMarkers(before) {
      const now = await readPodmanMarkers(quadletDir);
      for (const name of Object.keys(now)) {
        if (!(name in before)) await Deno.remove(`${quadletDir}/${name}`);
      }
      for (const [name, text] of Object.entries(before)) {
        if (now[name] !== text) {
          await Deno.writeTextFile(`${quadletDir}/${name}`, text);
        }
      }
    },
    async start(services, signal) {
      if (services.length > 0) {
        await inScope(["start", "--", ...services], { signal });
      }
    },
    async restart(services, signal) {
      if (services.length > 0) {
        await inScope(["restart", "--", ...services], { signal });
      }
    },
    async stop(services) {
      if (services.length === 0) return;
      // systemctl refuses the whole call when one unit is not loaded at all
      // (its file deleted, never started): leave those out, they are
      // stopped. A unit whose file is gone but that still runs is stopped.
      const known = (await showUnits(scope, services, { runner })).filter((s) =>
        !(s.loadState === "not-found" && s.activeState === "inactive")
      ).map((s) => s.id);
      if (known.length > 0) {
        await inScope(["stop", "--", ...known], { allowedExitCodes: [5] });
      }
    },
    loadedInstances: async (patterns) =>
      (await listUnits(scope, patterns, { runner })).map((unit) => unit.id),
    states: (services) => showUnits(scope, services, { runner }),
    async resetFailed(services) {
      // systemctl exits 1 or 5 for units it no longer knows, which is fine here.
      if (services.length > 0) {
        await inScope(["reset-failed", "--", ...services], {
          allowedExitCodes: [1, 5],
        });
      }
    },
    async removeVolumes(names) {
      if (names.length === 0) return;
      const present = new Set(await listVolumes(runner));
      const gone = names.filter((name) => present.has(name));
      if (gone.length > 0) {
        await runner("podman", ["volume", "rm", "--force", "--", ...gone]);
      }
    },
    async removeNetworks(names) {
      if (names.length === 0) return;
      const present = new Set(await listNetworks(runner));
      const gone = names.filter((name) => present.has(name));
      if (gone.length > 0) {
        await runner("podman", ["network", "rm", "--force", "--", ...gone]);
      }
    },
    journalTail: (service, lines) =>
      journalTail(scope, service, lines, { runner }),
    journalCommand: (service) =>
      `journalctl ${scope === "user" ? "--user " : ""}-u ${service}`,
    dependencies: (service) => showRequirements(scope, service, { runner }),
  };
}

const MARKER_REGEXP = /^\..+\.(app|asset)$/;

/** Podman's marker files in the quadlet folder, by name, with their content. */
async function readPodmanMarkers(
  quadletDir: string,
): Promise<Record<string, string>> {
  const markers: Record<string, string> = {};
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(quadletDir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return markers;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isFile && MARKER_REGEXP.test(entry.name)) {
      markers[entry.name] = await Deno.readTextFile(
        `${quadletDir}/${entry.name}`,
      );
    }
  }
  return markers;
}

/**
 * Podman records what one `podman quadlet install` installed in a marker file
 * (`.<first unit>.app` listing each file, `.<file>.asset` for a lone file;
 * Podman's pkg/domain/infra/abi/quadlet.go). leger keeps its own record, but
 * leaves no marker naming files it removed: their names are dropped, and a
 * marker left empty is deleted.
 */
async function forgetInPodmanMarkers(
  quadletDir: string,
  files: readonly string[],
): Promise<void> {
  const removed = new Set(files.filter((f) => !f.includes("/")));
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(quadletDir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile || !MARKER_REGEXP.test(entry.name)) continue;
    const path = `${quadletDir}/${entry.name}`;
    const lines = (await Deno.readTextFile(path)).split("\n").map((l) =>
      l.trim()
    ).filter((l) => l !== "");
    const kept = lines.filter((line) => !removed.has(line));
    if (kept.length === lines.length) continue;
    if (kept.length === 0) await Deno.remove(path);
    else await Deno.writeTextFile(path, kept.map((l) => `${l}\n`).join(""));
  }
}

const UNIT_FILE_REGEXP =
  /\.(container|volume|network|pod|kube|image|build|artifact)$/;

function isUnitFile(name: string): boolean {
  return UNIT_FILE_REGEXP.test(name);
}

async function removeFileAndEmptyParents(
  root: string,
  file: string,
): Promise<void> {
  try {
    await Deno.remove(`${root}/${file}`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const parts = file.split("/").slice(0, -1);
  while (parts.length > 0) {
    try {
      await Deno.remove(`${root}/${parts.join("/")}`);
    } catch {
      return; // not empty (or gone): leave it
    }
    parts.pop();
  }
}
