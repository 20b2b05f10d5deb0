/**
 * `leger service start <service>`.
 *
 * @module
 */
import type { CliContext } from "../../context.ts";
import { controlService } from "./_control.ts";

/** Runs `leger service start`. */
export function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  return controlService("start", args, options, context);
}
