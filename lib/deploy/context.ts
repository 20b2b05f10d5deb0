import { type HostOps, hostOps } from "../adapters/host_ops.ts";
import {
  detectQuadletSupport,
  type QuadletSupport,
} from "../adapters/quadlet_support.ts";
import { findQuadletGenerator } from "../adapters/quadlet_generator.ts";
import { run, type Runner } from "../adapters/run.ts";
import type { Scope } from "../adapters/scope.ts";
import type { LegerdApi } from "../secrets/legerd_client.ts";
import { type LegerPaths, legerPaths, type PathEnv } from "../state/paths.ts";

/**
 * What every stage of the deploy pipeline needs from the world: the scope it
 * acts on, the environment it reads paths from, and the host it changes. The
 * CLI, legerd and tests each build one; tests pass a fake `runner` and fake
 * host facts so that no process starts.
 */
export interface DeployContext extends PathEnv {
  /** The scope changed: `user` (rootless) or `system` (root). */
  scope: Scope;
  /** The folder relative `--source` paths are read from. */
  cwd: string;
  /** Runs every process the pipeline starts (podman, systemctl, git, …). */
  runner: Runner;
  /** The clock. */
  now(): Date;
  /** Progress lines for a person (stderr in the CLI, the journal in legerd). */
  progress(line: string): void;
  /**
   * How this host installs quadlets (Podman's version, `podman quadlet
   * install`, `--replace`); throws when it cannot run quadlets at all.
   */
  detectSupport(): Promise<QuadletSupport>;
  /** The path of Podman's quadlet generator, or `null` when there is none. */
  findGenerator(): Promise<string | null>;
  /**
   * The scope's legerd, which an install asks (once it answers `health()`)
   * for the secrets Podman lacks before it starts the units (`LegerdClient`
   * in the CLI); without one, the units that need them wait for legerd's
   * next poll.
   */
  legerd?: Pick<LegerdApi, "health" | "sync">;
}

/** Options for {@linkcode deployContext}: what has no real default. */
export interface DeployContextOptions extends PathEnv {
  /** The scope changed. */
  scope: Scope;
  /** The folder relative paths are read from. */
  cwd: string;
  /**
   * Progress lines.
   *
   * @default {() => {}}
   */
  progress?: (line: string) => void;
  /**
   * The process runner.
   *
   * @default {run}
   */
  runner?: Runner;
}

/**
 * Builds the context of the real host: processes through `run`, the system
 * clock, Podman's version asked once, the generator looked up once.
 * `LEGER_FORCE_QUADLET_FALLBACK=1` makes leger copy files as for Podman < 5.6.
 *
 * @param options The scope, environment, folder and progress sink.
 * @returns The context.
 *
 * @example Usage
 * ```ts
 * import { deployContext } from "./context.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const context = deployContext({ scope: "user", home: "/home/a", cwd: "/", env: () => undefined });
 * strictEqual(context.scope, "user");
 * ```
 */
export function deployContext(options: DeployContextOptions): DeployContext {
  const { scope, home, cwd, env, progress = () => {}, runner = run } = options;
  let support: Promise<QuadletSupport> | undefined;
  let generator: Promise<string | null> | undefined;
  return {
    scope,
    home,
    cwd,
    env,
    runner,
    now: () => new Date(),
    progress,
    detectSupport: () =>
      support ??= detectQuadletSupport({
        forceFallback: env("LEGER_FORCE_QUADLET_FALLBACK") === "1",
        runner,
      }),
    findGenerator: () => generator ??= findQuadletGenerator(),
  };
}

/**
 * The folders of the context's scope.
 *
 * @param context The deploy context.
 * @returns Podman's quadlet folder and leger's state and working folders.
 *
 * @example Usage
 * ```ts
 * import { deployContext, pathsOf } from "./context.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const context = deployContext({ scope: "system", home: "/root", cwd: "/", env: () => undefined });
 * strictEqual(pathsOf(context).quadletDir, "/etc/containers/systemd");
 * ```
 */
export function pathsOf(context: DeployContext): LegerPaths {
  return legerPaths(context.scope, context);
}

/**
 * The host operations of the context's scope: Podman's quadlet commands (or
 * the copy fallback, as `detectSupport` decides) and systemctl.
 *
 * @param context The deploy context.
 * @returns The operations installs, undos and removes use.
 * @throws {LegerError} What `detectSupport` throws when the host cannot run
 * quadlets.
 *
 * @example Usage
 * ```ts ignore
 * import { hostOf } from "./context.ts";
 * const ops = await hostOf(context);
 * ```
 */
export async function hostOf(context: DeployContext): Promise<HostOps> {
  return hostOps({
    scope: context.scope,
    quadletDir: pathsOf(context).quadletDir,
    runner: context.runner,
    ...await context.detectSupport(),
  });
}
