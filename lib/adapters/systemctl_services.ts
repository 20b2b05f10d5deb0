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
  const { stdout } = await systemctl(
    runner,
    scope,
    [
      "list-units",
      "--all",
      "--plain",
      "--no-legend",
      "--full",
      "--",
      ...patterns,
    ],
    "list the services that use secrets",
  );
  const running = new Set<string>();
  for (const line of stdout.split("\n")) {
    // A failed unit may be marked with a bullet in the first column.
    const [unit, _load, active] = line.replace(/^\s*[●*]\s*/, "").trim()
      .split(/\s+/);
    if (unit !== undefined && unit !== "" && RUNNING_STATES.has(active)) {
      running.add(unit);
    }
  }
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
  if (services.length === 0) return;
  await systemctl(
    runner,
    scope,
    ["try-restart", "--", ...services],
    `restart ${services.join(", ")}`,
    "ERR_SERVICE_START_FAILED",
  );
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
  if (services.length === 0) return;
  await systemctl(
    runner,
    scope,
    ["start", "--", ...services],
    `start ${services.join(", ")}`,
    "ERR_SERVICE_START_FAILED",
  );
}

async function systemctl(
  runner: Runner,
  scope: Scope,
  args: readonly string[],
  action: string,
  code: "ERR_COMMAND_FAILED" | "ERR_SERVICE_START_FAILED" =
    "ERR_COMMAND_FAILED",
): Promise<{ stdout: string }> {
  const scoped = scope === "user" ? ["--user", ...args] : [...args];
  try {
    return await runner("systemctl", scoped);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const said = error.stderrTail.split("\n").at(-1) ?? "";
    const journal = `journalctl ${scope === "user" ? "--user " : ""}-xe`;
    throw new LegerError(
      code,
      `Cannot ${action}: \`systemctl ${
        scoped.slice(0, scope === "user" ? 2 : 1).join(" ")
      }\` exited with code ${error.code}${said === "" ? "" : `: ${said}`}`,
      {
        cause: error,
        remedy: code === "ERR_SERVICE_START_FAILED"
          ? `Read why with \`${journal}\`, fix the cause, then run \`leger secrets sync\``
          : "Check that systemd runs for this scope (`systemctl --user status` for a user), then try again",
      },
    );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
