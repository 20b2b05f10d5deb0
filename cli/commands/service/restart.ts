/**
 * `leger service restart <service>`.
 *
 * @module
 */
import type { CliContext } from "../../context.ts";
import { controlService } from "./_control.ts";

/** Runs `leger service restart`. */
export function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  return controlService("restart", args, options, context);
}
