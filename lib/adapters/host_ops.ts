import { journalTail } from "./journal.ts";
import { showUnits, systemctl, type UnitState } from "./systemctl.ts";
import { quadletInstall, quadletRemove } from "./podman_quadlet.ts";
import { listNetworks, listVolumes } from "./podman.ts";
import { run, type Runner } from "./run.ts";
import type { Scope } from "./scope.ts";

/** What installing, starting and removing a deployment needs from the host. */
export interface HostOps {
  /**
   * Whether files can be installed over installed ones (`podman quadlet
   * install --replace`, Podman ≥ 5.7, or the copy fallback).
   */
  canReplace: boolean;
  /**
   * Puts `files` (paths relative to `dir`) into the quadlet folder and reloads
   * systemd; with `replace`, over files of the same names.
   */
  installFiles(
    dir: string,
    files: readonly string[],
    replace: boolean,
  ): Promise<void>;
  /** Removes a whole deployment's files from the quadlet folder and reloads systemd. */
  removeFiles(files: readonly string[]): Promise<void>;
  /**
   * Deletes some files of an installed deployment (units an update drops) and
   * reloads systemd, without touching the rest of it.
   */
  deleteFiles(files: readonly string[]): Promise<void>;
  /** Starts services with one `systemctl start` (systemd orders them by their dependencies). */
  start(services: readonly string[]): Promise<void>;
  /** Stops services with one `systemctl stop`; does nothing for an empty list. */
  stop(services: readonly string[]): Promise<void>;
  /**
   * The state of each service, in the order given, with one `systemctl show`
   * (systemctl(1)); a unit systemd does not know has `loadState` `not-found`.
   */
  states(services: readonly string[]): Promise<UnitState[]>;
  /** Forgets the failed state of units (`systemctl reset-failed`). */
  resetFailed(services: readonly string[]): Promise<void>;
  /** The Podman volumes and networks that exist now. */
  existingResources(): Promise<{ volumes: Set<string>; networks: Set<string> }>;
  /**
   * Deletes Podman volumes, data included, with one `podman volume rm
   * --force` (which also removes any container using them); does nothing
   * for an empty list.
   */
  removeVolumes(names: readonly string[]): Promise<void>;
  /**
   * Deletes Podman networks with one `podman network rm --force` (which also
   * removes any container using them); does nothing for an empty list.
   */
  removeNetworks(names: readonly string[]): Promise<void>;
  /**
   * The last `lines` lines a service wrote to the journal of the scope
   * (`journalctl --output cat`), empty lines left out; for error messages.
   */
  journalTail(service: string, lines: number): Promise<string[]>;
  /** The command a person runs to read a service's whole journal. */
  journalCommand(service: string): string;
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
  const inScope = (args: readonly string[], allowedExitCodes?: number[]) =>
    systemctl(scope, args, { runner, allowedExitCodes });
  return {
    canReplace: replace || !quadletCommand,
    async installFiles(dir, files, replaceFiles) {
      // `podman quadlet install` takes files only (not drop-in or config
      // folders): leger copies nested paths itself, before Podman reloads systemd.
      const nested = quadletCommand
        ? files.filter((f) => f.includes("/"))
        : files;
      for (const file of nested) {
        const target = `${quadletDir}/${file}`;
        await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), {
          recursive: true,
        });
        await Deno.copyFile(`${dir}/${file}`, target);
      }
      if (quadletCommand) {
        const top = files.filter((f) => !f.includes("/"));
        await quadletInstall(dir, top, {
          replace: replace && replaceFiles,
          runner,
        });
      } else {
        await inScope(["daemon-reload"]);
      }
    },
    async removeFiles(files) {
      const nested = quadletCommand
        ? files.filter((f) => f.includes("/"))
        : files;
      for (const file of nested) {
        await removeFileAndEmptyParents(quadletDir, file);
      }
      if (quadletCommand) {
        // Podman removes whole applications; naming every unit removes exactly ours.
        await quadletRemove(
          files.filter((f) => !f.includes("/") && isUnitFile(f)),
          { runner },
        );
      } else {
        await inScope(["daemon-reload"]);
      }
    },
    async deleteFiles(files) {
      // Not `podman quadlet rm`: Podman removes whole applications.
      for (const file of files) {
        await removeFileAndEmptyParents(quadletDir, file);
      }
      await inScope(["daemon-reload"]);
    },
    async start(services) {
      if (services.length > 0) {
        await inScope(["start", "--", ...services]);
      }
    },
    async stop(services) {
      if (services.length > 0) {
        await inScope(["stop", "--", ...services]);
      }
    },
    states: (services) => showUnits(scope, services, { runner }),
    async resetFailed(services) {
      // systemctl exits 1 for units it no longer knows, which is fine here.
      if (services.length > 0) {
        await inScope(["reset-failed", "--", ...services], [1, 5]);
      }
    },
    async existingResources() {
      const [volumes, networks] = await Promise.all([
        listVolumes(runner),
        listNetworks(runner),
      ]);
      return { volumes: new Set(volumes), networks: new Set(networks) };
    },
    async removeVolumes(names) {
      if (names.length > 0) {
        await runner("podman", ["volume", "rm", "--force", "--", ...names]);
      }
    },
    async removeNetworks(names) {
      if (names.length > 0) {
        await runner("podman", ["network", "rm", "--force", "--", ...names]);
      }
    },
    journalTail: (service, lines) =>
      journalTail(scope, service, lines, { runner }),
    journalCommand: (service) =>
      `journalctl ${scope === "user" ? "--user " : ""}-u ${service}`,
  };
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
