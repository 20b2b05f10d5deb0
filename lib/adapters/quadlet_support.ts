import { LegerError } from "../errors/mod.ts";
import { type PodmanVersion, podmanVersion } from "./podman.ts";
import type { Runner } from "./run.ts";

/** How this host installs quadlets. */
export interface QuadletSupport {
  /** Podman's version (`podman --version`). */
  podman: PodmanVersion;
  /** `podman quadlet install` exists (≥ 5.6) and is not disabled. */
  quadletCommand: boolean;
  /** `podman quadlet install --replace` exists (≥ 5.7). */
  replace: boolean;
}

/**
 * Detects once how this host installs quadlets: Podman ≥ 5.6 has `podman
 * quadlet install`; 4.4–5.5 have the generator only, so leger copies the
 * files itself; older or absent Podman cannot run quadlets at all. A running
 * systemd is required either way.
 *
 * Requires `--allow-run=podman` and `--allow-read=/run/systemd`.
 *
 * @throws {LegerError} `ERR_COMMAND_NOT_FOUND` without Podman,
 * `ERR_PODMAN_TOO_OLD` before 4.4, `ERR_SYSTEMD_NOT_RUNNING` without systemd.
 *
 * @example Usage
 * ```ts ignore
 * import { detectQuadletSupport } from "./quadlet_support.ts";
 * const support = await detectQuadletSupport({ forceFallback: false });
 * ```
 */
export async function detectQuadletSupport(
  options: { forceFallback: boolean; runner?: Runner },
): Promise<QuadletSupport> {
  const { forceFallback, runner } = options;
  const podman = await podmanVersion(runner);
  const at = (major: number, minor: number) =>
    podman.major > major || (podman.major === major && podman.minor >= minor);
  if (!at(4, 4)) {
    throw new LegerError(
      "ERR_PODMAN_TOO_OLD",
      `Cannot install quadlets with Podman ${podman.text}: Quadlet needs Podman 4.4 or newer`,
      {
        remedy:
          "Upgrade Podman (5.6 or newer is best), then run the command again",
      },
    );
  }
  if (!(await systemdIsRunning())) {
    throw new LegerError(
      "ERR_SYSTEMD_NOT_RUNNING",
      "Cannot install quadlets: systemd is not running on this host",
      {
        remedy:
          "Quadlet services run under systemd; use a host booted with systemd, or plan with --dry-run",
      },
    );
  }
  return {
    podman,
    quadletCommand: at(5, 6) && !forceFallback,
    replace: at(5, 7) && !forceFallback,
  };
}

/** sd_booted(): systemd creates /run/systemd/system when it is PID 1. */
async function systemdIsRunning(): Promise<boolean> {
  try {
    return (await Deno.stat("/run/systemd/system")).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
