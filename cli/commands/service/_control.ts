import { CommandError } from "../../../lib/adapters/command_error.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import {
  showUnits,
  systemctl,
  type UnitState,
} from "../../../lib/adapters/systemctl.ts";
import { hostOf } from "../../../lib/deploy/context.ts";
import { explainStartFailure } from "../../../lib/deploy/explain_start_failure.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { LegerError, systemScopeDenied } from "../../../lib/errors/mod.ts";
import type { CommandDeps } from "../../deps.ts";
import { deployContextOf } from "../../deploy_context_of.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { findTarget, noteAmbiguity } from "./_find_service.ts";
import { waitActive } from "./_wait_active.ts";
import { waitHealthy } from "./_wait_healthy.ts";
import { watchStayUp } from "../../../lib/deploy/watch_stay_up.ts";

/** The options of `leger service start|stop|restart`. */
export interface ControlOptions {
  /**
   * A service (`web`, `web.service`, `web.container`, `worker@one`) or an
   * installed deployment (all its services).
   */
  name: string;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document: the service or services and their new state. */
  json: boolean;
}

/** What `leger service start|stop|restart SERVICE --json` prints. */
export interface ControlDocument {
  /** The systemd service (`web.service`). */
  service: string;
  /** The scope it runs in. */
  scope: Scope;
  /** systemd's `ActiveState` once the job is done (`active`, `inactive`, `failed`). */
  active_state: string;
  /** systemd's `SubState` (`running`, `dead`, `exited`). */
  sub_state: string;
  /**
   * After a start or restart, the result of its health check: `healthy`;
   * `null` when it has none, or for a stop. (When a check does not pass,
   * the command fails with `ERR_SERVICE_UNHEALTHY` naming each such
   * service instead.)
   */
  health: "healthy" | "unhealthy" | null;
}

/** What `leger service start|stop|restart DEPLOYMENT --json` prints. */
export interface DeploymentControlDocument {
  /** The deployment. */
  deployment: string;
  /** The scope it is installed in. */
  scope: Scope;
  /** Each of its services and its new state, in `deploy list` order. */
  services: Omit<ControlDocument, "scope">[];
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
 * strictEqual(options.name, "web");
 * strictEqual(options.json, true);
 * ```
 */
export function parseControl(line: CommandLine): ControlOptions {
  return {
    name: line.args[0],
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * `leger service start|stop|restart <service|deployment> [--json]`: one
 * `systemctl start|stop|restart` of the service, or of all the deployment's
 * services (systemd orders them by their dependencies), which blocks until
 * the job is done; for start and restart, a wait for the services still
 * `activating` ({@linkcode waitActive}); then each service's new state. A
 * start that fails says which unit failed and why ({@linkcode
 * explainStartFailure}), after the states; then, for the services with a
 * health check, a wait until it passes ({@linkcode waitHealthy}: at most
 * 60 s, `ERR_SERVICE_UNHEALTHY` when it does not).
 *
 * @returns 0 when every service reached the wanted state, else 1.
 */
export async function controlService(
  verb: "start" | "stop" | "restart",
  options: ControlOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context, runner } = deps;
  const scope = resolveScope(options.scope, context);
  const target = await findTarget(options.name, { scope, context });
  noteAmbiguity(target, context);
  const { services } = target;
  let jobFailed = false;
  try {
    await systemctl(scope, [verb, "--", ...services], { runner });
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    throwIfDenied(error, {
      scope,
      uid: context.uid,
      action: `${verb} ${services.map((s) => `"${s}"`).join(", ")}`,
    });
    if (verb === "stop") throw error;
    // systemctl says only that a job failed: the states and the journal
    // say which unit, and why (a missing secret, a port taken…).
    jobFailed = true;
  }
  let states = verb === "stop"
    ? await showUnits(scope, services, { runner })
    : await waitActive(scope, services, deps);
  const health = new Map<string, "healthy" | "unhealthy" | "refused">();
  let failure: LegerError | null = null;
  if (verb !== "stop") {
    if (!jobFailed && states.every((s) => s.activeState === "active")) {
      // Active when systemctl returns is not up: a container whose command
      // exits at once fails a moment later. Watched as an install does.
      states = await watchStayUp(
        { states: (units) => showUnits(scope, units, { runner }) },
        services,
        deps.settlePause === undefined ? {} : { pause: deps.settlePause },
      );
    }
    failure = await startFailure(states, jobFailed, {
      retry: `run \`leger service ${verb} ${options.name}\` again`,
      deps,
      scope,
    });
    if (failure === null) {
      // Active is not enough where a health check says whether it serves.
      const say = (line: string) => context.err(`${line}\n`);
      const wait = await waitHealthy(scope, states, deps, {
        progress: context.stderrIsTerminal ? say : undefined,
        early: say,
      });
      for (const service of wait.healthy) health.set(service, "healthy");
      for (const { service, refused } of wait.unhealthy) {
        health.set(service, refused ? "refused" : "unhealthy");
      }
      failure = wait.error;
    }
  }
  if (options.json) {
    if (failure !== null) throw failure;
    // Only healthy here: a check that did not pass failed the command.
    const fields = (s: UnitState) => ({
      ...stateFields(s),
      health: health.has(s.id) ? "healthy" as const : null,
    });
    const document: ControlDocument | DeploymentControlDocument =
      target.deployment === null
        ? { service: states[0].id, scope, ...fields(states[0]) }
        : {
          deployment: target.deployment,
          scope,
          services: states.map((s) => ({ service: s.id, ...fields(s) })),
        };
    context.out(JSON.stringify(document, null, 2) + "\n");
  } else {
    context.out(
      states.map((s) =>
        `${s.id}: ${s.activeState} (${how(s)})${
          health.has(s.id) ? `, ${health.get(s.id)}` : ""
        }\n`
      ).join(""),
    );
    if (failure !== null) throw failure;
  }
  const wanted = verb === "stop" ? "inactive" : "active";
  return states.every((s) => s.activeState === wanted) ? 0 : 1;
}

const DENIED_REGEXP = /Access denied|Interactive authentication required/;

/**
 * systemd refuses a user other than root the system scope's services
 * ("Access denied", or polkit's "Interactive authentication required"):
 * said as `leger status` says the system scope's files are root's.
 */
function throwIfDenied(
  error: CommandError,
  facts: { scope: Scope; uid: number; action: string },
): void {
  const { scope, uid, action } = facts;
  if (scope !== "system" || uid === 0) return;
  if (!DENIED_REGEXP.test(`${error.stderrTail}\n${error.message}`)) return;
  throw systemScopeDenied(action, "systemd refused it");
}

/**
 * The sub-state, or for a failed service systemd's `Result` (`exit-code`,
 * `start-limit-hit`), which says more than its sub-state `failed` and is
 * what the error names.
 */
function how(state: UnitState): string {
  const { activeState, subState, result } = state;
  return activeState === "failed" && result !== "" && result !== "success"
    ? result
    : subState;
}

function stateFields(state: UnitState) {
  return { active_state: state.activeState, sub_state: state.subState };
}

/**
 * Why a start or restart failed, when it did: the first failed service (or,
 * when the job failed, the first that is not active) explained, the others
 * that are not active named in a detail line; `null` when none failed.
 */
async function startFailure(
  states: readonly UnitState[],
  jobFailed: boolean,
  options: { retry: string; deps: CommandDeps; scope: Scope },
): Promise<LegerError | null> {
  const { retry, deps, scope } = options;
  const notActive = states.filter((s) => s.activeState !== "active");
  const first = notActive.find((s) => s.activeState === "failed") ??
    (jobFailed ? notActive[0] : undefined);
  if (first === undefined) return null;
  const ops = await hostOf(deployContextOf(deps, scope));
  const error = await explainStartFailure(first.id, ops, { retry });
  const others = notActive.filter((s) => s.id !== first.id);
  if (others.length === 0) return error;
  return new LegerError(error.code, error.message, {
    details: [
      ...error.details,
      `not active either: ${
        others.map((s) => `${s.id} (${s.activeState})`).join(", ")
      }`,
    ],
    remedy: error.remedy,
  });
}
