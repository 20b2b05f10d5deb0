/**
 * `leger service start <service>`.
 *
 * @module
 */
import type { CommandDeps } from "../../deps.ts";
import {
  type ControlOptions,
  controlService,
  parseControl,
} from "./_control.ts";

/** Reads the command line of `leger service start`. */
export const parse = parseControl;

/** Runs `leger service start`. */
export function run(
  options: ControlOptions,
  deps: CommandDeps,
): Promise<number> {
  return controlService("start", options, deps);
}
