import { CommandError } from "../../../lib/adapters/command_error.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import { hostOf } from "../../../lib/deploy/context.ts";
import { explainStartFailure } from "../../../lib/deploy/explain_start_failure.ts";
import { showUnits, systemctl } from "../../../lib/adapters/systemctl.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { findService } from "./_find_service.ts";

/** The options of `leger service start|stop|restart`. */
export interface ControlOptions {
  /** `web`, `web.service` or `web.container`. */
  service: string;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document: the service and its new state. */
  json: boolean;
}

/** What `leger service start|stop|restart --json` prints. */
export interface ControlDocument {
  /** The systemd service (`web.service`). */
  service: string;
  /** The scope it runs in. */
  scope: Scope;
  /** systemd's `ActiveState` once the job is done (`active`, `inactive`, `failed`). */
  active_state: string;
  /** systemd's `SubState` (`running`, `dead`, `exited`). */
  sub_state: string;
}

/**
 * Reads the command line of `leger service start|stop|restart`.
 *
 * @example Usage
 * ```ts
 * import { parseControl } from "./_control.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const options = parseControl({ args: ["web"], options: { json: true } });
 * strictEqual(options.service, "web");
 * strictEqual(options.json, true);
 * ```
 */
export function parseControl(line: CommandLine): ControlOptions {
  return {
    service: line.args[0],
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * `leger service start|stop|restart <service> [--json]`: asks systemd, waits
 * for the job (systemctl blocks until it is done), then prints the new state.
 *
 * @returns 0 when the service reached the wanted state, else 1.
 */
export async function controlService(
  verb: "start" | "stop" | "restart",
  options: ControlOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context, runner } = deps;
  const scope = resolveScope(options.scope, context);
  const service = await findService(options.service, { scope, context });
  try {
    await systemctl(scope, [verb, "--", service], { runner });
  } catch (error) {
    if (!(error instanceof CommandError) || verb === "stop") throw error;
    // systemctl says only that the job failed: say which unit failed, and why
    // (a missing secret, a port taken, an image that cannot be pulled…).
    const ops = await hostOf(deployContextOf(deps, scope));
    throw await explainStartFailure(service, ops, {
      retry: `run \`leger service ${verb} ${options.service}\` again`,
    });
  }
  const [state] = await showUnits(scope, [service], { runner });
  if (options.json) {
    const document: ControlDocument = {
      service,
      scope,
      active_state: state.activeState,
      sub_state: state.subState,
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
  } else {
    context.out(`${service}: ${state.activeState} (${state.subState})\n`);
  }
  const wanted = verb === "stop" ? "inactive" : "active";
  return state.activeState === wanted ? 0 : 1;
}
