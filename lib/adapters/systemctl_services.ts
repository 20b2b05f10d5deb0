/**
 * The systemctl calls legerd makes about the services that use secrets,
 * each one process whatever the number of services: which of them run,
 * restart those that run (`try-restart`), start those an install left
 * stopped.
 *
 * Requires `--allow-run=systemctl`.
 *
 * @module
 */
import { LegerError } from "../errors/leger_error.ts";
import { CommandError } from "./command_error.ts";
import type { Runner } from "./run.ts";
import type { Scope } from "./scope.ts";
import { listUnits, systemctl } from "./systemctl.ts";

/** The active states in which a service counts as running (or about to). */
const RUNNING_STATES = new Set(["active", "activating", "reloading"]);

/**
 * Which of some services run now, with one `systemctl [--user] list-units
 * --all --plain --no-legend --full -- PATTERN…`. A template service
 * (`worker@.service`) stands for its instances (`worker@*.service`), each
 * of which is answered by name.
 *
 * @param runner Runs `systemctl`.
 * @param scope `user` adds `--user`.
 * @param services The services (`web.service`, `worker@.service`).
 * @returns The running ones (active, activating or reloading), sorted;
 * nothing is run for an empty list.
 * @throws {LegerError} `ERR_COMMAND_FAILED` when systemctl fails;
 * `ERR_COMMAND_NOT_FOUND` when it is missing.
 *
 * @example Usage
 * ```ts
 * import { runningServices } from "./systemctl_services.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const runner = fakeRunner([{
 *   bin: "systemctl",
 *   args: ["--user", "list-units", "--all", "--plain", "--no-legend", "--full", "--",
 *     "web.service", "worker@*.service"],
 *   result: {
 *     stdout: "web.service loaded inactive dead web\n" +
 *       "worker@a.service loaded active running worker a\n",
 *   },
 * }]);
 * deepStrictEqual(
 *   await runningServices(runner, "user", ["web.service", "worker@.service"]),
 *   ["worker@a.service"],
 * );
 * ```
 */
export async function runningServices(
  runner: Runner,
  scope: Scope,
  services: readonly string[],
): Promise<string[]> {
  if (services.length === 0) return [];
  const patterns = [
    ...new Set(
      services.map((service) =>
        service.endsWith("@.service")
          ? `${service.slice(0, -".service".length)}*.service`
          : service
      ),
    ),
  ];
  const units = await explained(
    scope,
    "list-units",
    "list the services that use secrets",
    "ERR_COMMAND_FAILED",
    () => listUnits(scope, patterns, { runner }),
  );
  const running = new Set(
    units.filter((unit) => RUNNING_STATES.has(unit.activeState)).map((unit) =>
      unit.id
    ),
  );
  return [...running].sort(compare);
}

/**
 * Restarts the services that run, in one `systemctl [--user] try-restart --
 * SERVICE…` (a stopped one stays stopped).
 *
 * @param runner Runs `systemctl`.
 * @param scope `user` adds `--user`.
 * @param services The services; nothing is run for an empty list.
 * @throws {LegerError} `ERR_SERVICE_START_FAILED` naming the services and
 * systemctl's message when one fails to restart.
 *
 * @example Usage
 * ```ts
 * import { tryRestartServices } from "./systemctl_services.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{
 *   bin: "systemctl",
 *   args: ["--user", "try-restart", "--", "api.service", "web.service"],
 * }]);
 * await tryRestartServices(runner, "user", ["api.service", "web.service"]);
 * runner.assertAllCalled();
 * ```
 */
export async function tryRestartServices(
  runner: Runner,
  scope: Scope,
  services: readonly string[],
): Promise<void> {
  await onServices(runner, scope, "try-restart", "restart", services);
}

/**
 * Starts services, in one `systemctl [--user] start -- SERVICE…`.
 *
 * @param runner Runs `systemctl`.
 * @param scope `user` adds `--user`.
 * @param services The services; nothing is run for an empty list.
 * @throws {LegerError} `ERR_SERVICE_START_FAILED` naming the services and
 * systemctl's message when one fails to start.
 *
 * @example Usage
 * ```ts
 * import { startServices } from "./systemctl_services.ts";
 * import { fakeRunner } from "./fake_runner.ts";
 *
 * const runner = fakeRunner([{ bin: "systemctl", args: ["start", "--", "web.service"] }]);
 * await startServices(runner, "system", ["web.service"]);
 * runner.assertAllCalled();
 * ```
 */
export async function startServices(
  runner: Runner,
  scope: Scope,
  services: readonly string[],
): Promise<void> {
  await onServices(runner, scope, "start", "start", services);
}

/** `systemctl [--user] VERB -- SERVICE…`, once, when there are services. */
async function onServices(
  runner: Runner,
  scope: Scope,
  verb: "try-restart" | "start",
  doing: string,
  services: readonly string[],
): Promise<void> {
  if (services.length === 0) return;
  await explained(
    scope,
    verb,
    `${doing} ${services.join(", ")}`,
    "ERR_SERVICE_START_FAILED",
    () => systemctl(scope, [verb, "--", ...services], { runner }),
  );
}

/** Runs a systemctl call, turning its failure into a leger error with the fix. */
async function explained<T>(
  scope: Scope,
  verb: string,
  action: string,
  code: "ERR_COMMAND_FAILED" | "ERR_SERVICE_START_FAILED",
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const said = error.stderrTail.split("\n").at(-1) ?? "";
    const user = scope === "user" ? "--user " : "";
    throw new LegerError(
      code,
      `Cannot ${action}: \`systemctl ${user}${verb}\` exited with code ${error.code}${
        said === "" ? "" : `: ${said}`
      }`,
      {
        cause: error,
        remedy: code === "ERR_SERVICE_START_FAILED"
          ? `Read why with \`journalctl ${user}-xe\`, fix the cause, then run \`leger secrets sync\``
          : "Check that systemd runs for this scope (`systemctl --user status` for a user), then try again",
      },
    );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
