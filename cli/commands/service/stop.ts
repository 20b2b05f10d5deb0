/**
 * `leger service stop <service>`.
 *
 * @module
 */
import type { CliContext } from "../../context.ts";
import { controlService } from "./_control.ts";

/** Runs `leger service stop`. */
export function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  return controlService("stop", args, options, context);
}
