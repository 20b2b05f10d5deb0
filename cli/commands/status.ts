/**
 * `leger status [deployment] [--watch] [--scope …] [--json]`: Tailscale,
 * legerd and the leger.run login, then each installed deployment of the
 * scope with its source, version and services: state, since when, image,
 * ports and health.
 *
 * It is fast and starts the same processes however many services there
 * are: `tailscale status --json` (or tailscaled's socket), one `systemctl
 * show` of every service and one `podman ps`, then every HTTP health check
 * at once. `podman ps` starts first, before the modules that read leger's
 * state are even loaded (cli/commands/shared/status_report.ts), so that
 * Podman, the slowest part, runs while leger does the rest. It does not ask
 * leger.run (`leger auth status` does): the login is read from `auth.json`.
 *
 * It exits 0 when every service shown is active and none is unhealthy, has
 * a refused check or a health `podman ps` failed to read (`isServiceOk`: a
 * check still `starting`, none at all, and a Podman check of a scope whose
 * containers Podman does not list to this user are fine), and every
 * deployment shown could be read, and 1 otherwise, so that it can gate a
 * script. A deployment whose copy (`active/<name>/`) is damaged is shown
 * with its services and their state, without their units' facts, and a note
 * naming the problem and `leger doctor`; the others are shown as usual. A
 * deployment without services says so, without a table. `--watch` redraws every 2 seconds on a terminal until
 * Ctrl-C, and then exits 130, as every interrupted leger command does.
 * When stdout is not a terminal, it holds the service rows alone
 * (tab-separated, led by the deployment, as `deploy list`'s), and the
 * Tailscale, legerd and login lines and the notes under each deployment go
 * to stderr. The login is read, not checked: "logged in (not checked; `leger
 * auth status` checks it)". When `podman ps` fails, a note under the table
 * gives Podman's error for each health that is so `unknown`.
 *
 * @module
 */
import { listPodmanContainers } from "../../lib/adapters/podman_ps.ts";
import { resolveScope } from "../../lib/deploy/scope.ts";
import { LegerError } from "../../lib/errors/leger_error.ts";
import type { CommandDeps } from "../deps.ts";
import { flag, scopeOption } from "../options.ts";
import type { CommandLine } from "../spec.ts";
import { podmanShows } from "./shared/podman_shows.ts";
import type { StatusOptions } from "./shared/status_options.ts";

export type { StatusOptions };

/**
 * Reads the command line of `leger status`.
 *
 * @throws {LegerError} `ERR_USAGE` for `--watch` with `--json`.
 */
export function parse(line: CommandLine): StatusOptions {
  const options = {
    deployment: line.args[0],
    watch: flag(line, "watch"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
  if (options.watch && options.json) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot watch the status as JSON: --watch redraws a terminal, --json prints one document",
      {
        remedy:
          "Drop --watch, and run `leger status --json` as often as you need",
      },
    );
  }
  return options;
}

/**
 * Runs `leger status`.
 *
 * @throws {LegerError} `ERR_USAGE` for `--watch` without a terminal;
 * `ERR_DEPLOYMENT_NOT_FOUND` for a deployment that is not installed, naming
 * those that are.
 */
export async function run(
  options: StatusOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  if (options.watch && !context.stdoutIsTerminal) {
    throw new LegerError(
      "ERR_USAGE",
      "Cannot watch the status: stdout is not a terminal",
      {
        remedy:
          "Run `leger status --watch` in a terminal, or `leger status` (exit 0 when every service is healthy) from a script",
      },
    );
  }
  const scope = resolveScope(options.scope, context);
  const started = podmanShows(scope, context)
    ? listPodmanContainers({ runner: deps.runner })
    : undefined;
  // Handled where it is awaited; never an unhandled rejection meanwhile.
  started?.catch(() => {});
  const { runStatus } = await import("./shared/status_report.ts");
  return await runStatus({ ...options, scope }, deps, started);
}
