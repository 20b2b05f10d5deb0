import type { Scope } from "../../../lib/adapters/scope.ts";
import { showUnits, type UnitState } from "../../../lib/adapters/systemctl.ts";
import type { CommandDeps } from "../../deps.ts";

/** Options for {@linkcode waitActive}. */
export interface WaitActiveOptions
  extends Pick<CommandDeps, "runner" | "settlePause"> {
  /**
   * How many more times to read the states of the services still
   * `activating` (a `Restart=` waiting to start again, a start systemd has
   * queued) or `reloading`, with `deps.settlePause` (250 ms) between two
   * reads: 60 is 15 s.
   *
   * @default {60}
   */
  checks?: number;
}

/** The states a service passes through on its way to `active` or `failed`. */
const PASSING_STATES = ["activating", "reloading"];

/**
 * The states of services once their start or restart job is done:
 * `systemctl start|restart` blocks until the job ends, which for Podman's
 * services (`Type=notify`) is when the container runs; a service can still
 * be `activating` after it (an automatic restart pending), so those are read
 * again, a bounded number of times, until they are `active` or not.
 *
 * A wait for health checks goes after this one: it starts from services
 * that are `active`.
 *
 * @param scope The scope of the services.
 * @param services The services, such as `["web.service", "db.service"]`.
 * @param options The runner, the pause between two reads (250 ms when
 * absent) and how many more reads at most.
 * @returns Their states, in the order of `services`; one `systemctl show`
 * per read, whatever their number.
 *
 * @example Usage
 * ```ts ignore
 * const states = await waitActive("user", ["web.service"], deps);
 * // [{ id: "web.service", activeState: "active", subState: "running", … }]
 * ```
 */
export async function waitActive(
  scope: Scope,
  services: readonly string[],
  options: WaitActiveOptions,
): Promise<UnitState[]> {
  const { checks = 60, runner } = options;
  const pause = options.settlePause ??
    (() => new Promise<void>((resolve) => setTimeout(resolve, 250)));
  const states = await showUnits(scope, services, { runner });
  for (let check = 0; check < checks; check++) {
    const passing = states.filter((s) =>
      PASSING_STATES.includes(s.activeState)
    );
    if (passing.length === 0) break;
    await pause();
    const again = await showUnits(scope, passing.map((s) => s.id), {
      runner,
    });
    for (const state of again) {
      states[states.findIndex((s) => s.id === state.id)] = state;
    }
  }
  return states;
}
