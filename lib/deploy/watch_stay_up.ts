import type { UnitState } from "../adapters/systemctl.ts";

/** Options for {@linkcode watchStayUp}. */
export interface WatchStayUpOptions {
  /**
   * How many times to read the states: with the default pause, a service
   * must stay up for a second.
   *
   * @default {4}
   */
  checks?: number;
  /**
   * Waits before each read.
   *
   * @default {250 ms}
   */
  pause?: () => Promise<void>;
  /**
   * Ends the watch early when aborted (the caller says why).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * Watches services that a start or restart left active, to tell those that
 * stay up from those that die a moment later (a container whose command
 * exits at once is `active (running)` when `systemctl start` returns, then
 * `failed`, or `activating` on its way to a `Restart=`): `checks` reads of
 * their states, `pause` before each, ending at the first read where one of
 * them is not active. `deploy install`, `deploy update`, `backup restore`
 * and `leger service start|restart` all watch this way.
 *
 * @param host Reads the services' states (`systemctl show`).
 * @param services The services, such as `["web.service"]`.
 * @param options How many reads, the pause before each, and the signal.
 * @returns The states of the last read, in the order of `services` (every
 * one `active` when they stayed up); empty when aborted before the first.
 * @throws {CommandError} When the states cannot be read.
 *
 * @example Usage
 * ```ts
 * import { watchStayUp } from "./watch_stay_up.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const reads = [["active"], ["failed"]];
 * const host = {
 *   states: (services: readonly string[]) =>
 *     Promise.resolve(services.map((id) => ({
 *       id, loadState: "loaded", activeState: reads.shift()![0], subState: "", result: "",
 *     }))),
 * };
 * const states = await watchStayUp(host, ["web.service"], { pause: () => Promise.resolve() });
 * strictEqual(states[0].activeState, "failed");
 * ```
 */
export async function watchStayUp(
  host: { states(services: readonly string[]): Promise<UnitState[]> },
  services: readonly string[],
  options: WatchStayUpOptions = {},
): Promise<UnitState[]> {
  const {
    checks = 4,
    pause = () => new Promise<void>((resolve) => setTimeout(resolve, 250)),
    signal,
  } = options;
  let states: UnitState[] = [];
  for (let check = 0; check < checks; check++) {
    await pause();
    if (signal?.aborted) break;
    states = await host.states(services);
    if (states.some((s) => s.activeState !== "active")) break;
  }
  return states;
}
