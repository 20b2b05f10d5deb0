/**
 * `leger service restart <service>`.
 *
 * @module
 */
import type { CommandDeps } from "../../deps.ts";
import {
  type ControlOptions,
  controlService,
  parseControl,
} from "./_control.ts";

/** Reads the command line of `leger service restart`. */
export const parse = parseControl;

/** Runs `leger service restart`. */
export function run(
  options: ControlOptions,
  deps: CommandDeps,
): Promise<number> {
  return controlService("restart", options, deps);
}
