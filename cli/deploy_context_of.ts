/**
 * The deploy pipeline's context for a command, apart from `deps.ts` so that
 * the commands that run no pipeline do not load it (~3 ms of start-up: the
 * host operations, Podman's version and generator lookups).
 *
 * @module
 */
import type { Scope } from "../lib/adapters/scope.ts";
import { type DeployContext, deployContext } from "../lib/deploy/context.ts";
import type { CommandDeps } from "./deps.ts";
import { legerdOf } from "./legerd.ts";

/**
 * The deploy pipeline's context for a command: its scope, the command's
 * environment and runner, progress lines on stderr.
 *
 * @param deps The command's dependencies.
 * @param scope The scope the command acts on.
 * @returns The context the stages of `lib/deploy` take.
 *
 * @example Usage
 * ```ts ignore
 * import { deployContextOf } from "./deps.ts";
 * const context = deployContextOf(deps, "user");
 * ```
 */
export function deployContextOf(
  deps: CommandDeps,
  scope: Scope,
): DeployContext {
  const { context } = deps;
  const real = deployContext({
    scope,
    home: context.home,
    cwd: context.cwd,
    env: context.env,
    runner: deps.runner,
    progress: (line) => context.err(`${line}\n`),
  });
  return {
    ...real,
    now: deps.now,
    detectSupport: deps.detectSupport ?? real.detectSupport,
    findGenerator: deps.findGenerator ?? real.findGenerator,
    legerd: legerdOf(deps, scope),
  };
}
