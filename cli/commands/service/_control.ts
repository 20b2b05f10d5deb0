import { showUnits, systemctl } from "../../../lib/adapters/systemctl.ts";
import type { CliContext } from "../../context.ts";
import { findService } from "./_find_service.ts";
import { resolveScope } from "../shared/scope.ts";

/**
 * `leger service start|stop|restart <service>`: asks systemd, waits for the
 * job (systemctl blocks until it is done), then prints the new state.
 */
export async function controlService(
  verb: "start" | "stop" | "restart",
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  const scope = resolveScope(options.scope, context);
  const service = await findService(args[0], { scope, context });
  await systemctl(scope, [verb, "--", service]);
  const [state] = await showUnits(scope, [service]);
  context.out(`${service}: ${state.activeState} (${state.subState})\n`);
  const wanted = verb === "stop" ? "inactive" : "active";
  return state.activeState === wanted ? 0 : 1;
}
