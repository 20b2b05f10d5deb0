import type { RunResult } from "../adapters/run.ts";
import type { Scope } from "../adapters/scope.ts";
import { CommandError } from "../adapters/command_error.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkSystemd} judges. */
export interface SystemdFacts {
  /** The scope checked: the system's manager, or the user's own. */
  scope: Scope;
  /** The user's id, for `/run/user/UID`. */
  uid: number;
  /** The user's name, for the commands of the fix. */
  user: string;
  /** Whether systemd runs as PID 1 (`/run/systemd/system` exists; sd_booted(3)). */
  booted: boolean;
  /** `XDG_RUNTIME_DIR`, as leger sees it. */
  runtimeDir: string | undefined;
  /** Whether the user manager's bus socket (`/run/user/UID/bus`) exists. */
  userBus: boolean;
  /** What `systemctl [--user] is-system-running` answered (exit 0 or 1), or why it could not run. */
  state: RunResult | Error;
}

/**
 * Checks that systemd runs the scope's services: as root, that systemd is
 * PID 1 and its manager is running; for a rootless user, that leger can
 * reach the user's own manager (`systemctl --user`), which needs
 * `XDG_RUNTIME_DIR` and the user bus of a login session (or of linger).
 *
 * @param facts The manager's state and the user session's variables.
 * @returns `fail` when the manager cannot be reached or stops, `warn`
 * when it runs degraded or is still starting, else `pass`.
 *
 * @example Usage
 * ```ts
 * import { checkSystemd } from "./check_systemd.ts";
 * import { match, strictEqual } from "node:assert/strict";
 *
 * const check = checkSystemd({
 *   scope: "user", uid: 1000, user: "alice", booted: true,
 *   runtimeDir: undefined, userBus: true,
 *   state: { code: 1, stdout: "", stderr: "Failed to connect to user scope bus" },
 * });
 * strictEqual(check.status, "fail");
 * match(check.fix!, /export XDG_RUNTIME_DIR=\/run\/user\/1000/);
 * ```
 */
export function checkSystemd(facts: SystemdFacts): DoctorCheck {
  const { scope, uid, user, booted, runtimeDir, userBus, state } = facts;
  const base = { id: "systemd", group: "systemd" } as const;
  const systemctl = scope === "user" ? "systemctl --user" : "systemctl";
  if (!booted) {
    return {
      ...base,
      title: "systemd is not running",
      status: "fail",
      detail:
        "PID 1 is not systemd (there is no /run/systemd/system): Quadlet services run only under systemd.",
      fix:
        "# run leger on a host (or in a container) booted with systemd as PID 1",
    };
  }
  const answer = state instanceof Error ? "" : state.stdout.trim();
  if (answer === "") {
    const said = state instanceof CommandError
      ? state.stderrTail
      : state instanceof Error
      ? state.message
      : state.stderr.trim();
    if (scope === "system") {
      return {
        ...base,
        title: "systemd cannot be reached",
        status: "fail",
        detail: `\`systemctl is-system-running\` failed: ${said}`,
        fix: "systemctl is-system-running   # shows the whole error",
      };
    }
    const runtime = `/run/user/${uid}`;
    return {
      ...base,
      title: `The systemd user manager of ${user} cannot be reached`,
      status: "fail",
      detail: [
        runtimeDir === undefined
          ? "XDG_RUNTIME_DIR is not set: this shell is not a login session of its user (su and sudo -u do not make one)."
          : `\`systemctl --user\` failed: ${said.split("\n")[0]}`,
        userBus
          ? `${user}'s manager runs (${runtime}/bus exists): tell leger where it is.`
          : `${user}'s manager does not run (there is no ${runtime}/bus): it runs while ${user} is logged in, or always with linger.`,
      ].join("\n"),
      fix: userBus
        ? `export XDG_RUNTIME_DIR=${runtime} DBUS_SESSION_BUS_ADDRESS=unix:path=${runtime}/bus`
        : [
          `sudo loginctl enable-linger ${user}   # starts ${user}'s manager now and at every boot`,
          `export XDG_RUNTIME_DIR=${runtime} DBUS_SESSION_BUS_ADDRESS=unix:path=${runtime}/bus`,
        ].join("\n"),
    };
  }
  const who = scope === "user"
    ? `The systemd user manager of ${user}`
    : "systemd";
  switch (answer) {
    case "running":
      return {
        ...base,
        title: `${who} is running`,
        status: "pass",
        detail: `\`${systemctl} is-system-running\`: running.`,
        fix: null,
      };
    case "degraded":
      return {
        ...base,
        title: `${who} is degraded`,
        status: "warn",
        detail:
          "It runs, but some units failed: leger's services still start, but check that none of them is among those.",
        fix: `${systemctl} --failed   # lists the failed units`,
      };
    case "initializing":
    case "starting":
      return {
        ...base,
        title: `${who} is ${answer}`,
        status: "warn",
        detail:
          "It is still starting up: run `leger doctor` again in a moment.",
        fix: `${systemctl} is-system-running --wait`,
      };
    default:
      return {
        ...base,
        title: `${who} is ${answer}`,
        status: "fail",
        detail:
          `\`${systemctl} is-system-running\`: ${answer}. leger's services do not start until it runs.`,
        fix: `${systemctl} status   # shows what it is doing`,
      };
  }
}
