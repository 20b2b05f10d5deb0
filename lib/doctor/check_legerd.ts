import type { Scope } from "../adapters/scope.ts";
import { LegerError } from "../errors/leger_error.ts";
import type { LegerdHealthAnswer } from "../secrets/legerd_client.ts";
import { fixFromRemedy } from "./_fix_from_remedy.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkLegerd} judges. */
export interface LegerdFacts {
  /** The scope whose legerd was asked. */
  scope: Scope;
  /** What legerd answered to `GET /v1/health`, or why it did not (`ERR_LEGERD_NOT_RUNNING`, …). */
  health: LegerdHealthAnswer | LegerError;
  /** Services of installed deployments left stopped until legerd brings their secrets. */
  waiting: readonly string[];
  /** Whether systemd has a `legerd.service` for the scope (leger's package installs it). */
  unitInstalled: boolean;
}

/**
 * Checks legerd, which keeps the Podman secrets of installed units in step
 * with leger.run: running, and its last sync.
 *
 * @param facts Its health answer, or why there is none, and what waits for it.
 * @returns `pass` when it runs (or starts); `warn` when it is degraded or
 * does not run; `fail` when it does not run and services wait for secrets
 * only it brings.
 *
 * @example Usage
 * ```ts
 * import { checkLegerd } from "./check_legerd.ts";
 * import { LegerError } from "../errors/leger_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const check = checkLegerd({
 *   scope: "user",
 *   health: new LegerError("ERR_LEGERD_NOT_RUNNING", "Cannot reach legerd: it is not running"),
 *   waiting: ["web.service"],
 *   unitInstalled: true,
 * });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix, "systemctl --user enable --now legerd.service");
 * ```
 */
export function checkLegerd(facts: LegerdFacts): DoctorCheck {
  const { scope, health, waiting, unitInstalled } = facts;
  const base = { id: "legerd", group: "leger" } as const;
  const systemctl = scope === "user" ? "systemctl --user" : "systemctl";
  const waits = waiting.length === 0
    ? ""
    : ` ${waiting.join(", ")} wait${
      waiting.length === 1 ? "s" : ""
    } for secrets only legerd brings.`;
  if (health instanceof LegerError) {
    if (health.code === "ERR_LEGERD_NOT_RUNNING") {
      return {
        ...base,
        title: "legerd is not running",
        status: waiting.length > 0 ? "fail" : "warn",
        detail:
          `Nothing keeps the Podman secrets of your units in step with leger.run.${waits}`,
        fix: unitInstalled
          ? `${systemctl} enable --now legerd.service`
          : "deno task legerd   # in leger's source folder, legerd in the foreground: there is no legerd.service (leger's package installs it)",
      };
    }
    return {
      ...base,
      title: "legerd cannot be asked",
      status: "warn",
      detail: `${health.message}.${waits}`,
      fix: fixFromRemedy(health.remedy),
    };
  }
  const synced = health.last_successful_sync_at;
  const last = synced === null
    ? "no sync has succeeded yet"
    : `last sync ${synced}`;
  if (health.status === "degraded") {
    const error = health.leger_run.last_error ?? health.podman.last_error ??
      health.config?.error ?? null;
    return {
      ...base,
      title: `legerd is degraded (${last})`,
      status: "warn",
      detail: `${
        error === null ? "Its last sync failed" : error.message
      }: Podman keeps the values of the last good sync.${waits}`,
      fix: error?.fix === undefined
        ? `leger auth status   # legerd's health in full`
        : fixFromRemedy(error.fix),
    };
  }
  return {
    ...base,
    title: `legerd is ${
      health.status === "ok" ? "running" : "starting"
    } (${last})`,
    status: "pass",
    detail:
      `legerd ${health.version} (pid ${health.pid}) keeps the Podman secrets of your units in step with leger.run.`,
    fix: null,
  };
}
