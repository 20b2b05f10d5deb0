import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkLinger} judges. */
export interface LingerFacts {
  /** The rootless user's name. */
  user: string;
  /** Whether `/var/lib/systemd/linger/USER` exists (what `loginctl enable-linger` writes). */
  lingering: boolean;
}

/**
 * Checks linger for a rootless user: without it, systemd stops the user's
 * manager, and with it every service leger installed, when the user's last
 * session ends, and starts none at boot.
 *
 * @param facts The user and whether linger is on.
 * @returns `pass` with linger on, `fail` with the command that turns it on.
 *
 * @example Usage
 * ```ts
 * import { checkLinger } from "./check_linger.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const check = checkLinger({ user: "alice", lingering: false });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix, "sudo loginctl enable-linger alice");
 * ```
 */
export function checkLinger(facts: LingerFacts): DoctorCheck {
  const { user, lingering } = facts;
  const base = { id: "linger", group: "systemd" } as const;
  if (lingering) {
    return {
      ...base,
      title: `Linger is on for ${user}`,
      status: "pass",
      detail:
        `${user}'s services start at boot and keep running after ${user} logs out (/var/lib/systemd/linger/${user}).`,
      fix: null,
    };
  }
  return {
    ...base,
    title: `Linger is off for ${user}`,
    status: "fail",
    detail:
      `systemd stops ${user}'s services when ${user}'s last session ends, and starts none at boot: deployments run only while ${user} is logged in.`,
    fix: `sudo loginctl enable-linger ${user}`,
  };
}
