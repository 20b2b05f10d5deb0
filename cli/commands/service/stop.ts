/**
 * `leger service stop <service>`.
 *
 * @module
 */
import type { CommandDeps } from "../../deps.ts";
import {
  type ControlOptions,
  controlService,
  parseControl,
} from "./_control.ts";

/** Reads the command line of `leger service stop`. */
export const parse = parseControl;

/** Runs `leger service stop`. */
export function run(
  options: ControlOptions,
  deps: CommandDeps,
): Promise<number> {
  return controlService("stop", options, deps);
}
