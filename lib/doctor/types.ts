import type { Scope } from "../adapters/scope.ts";

/**
 * How a check ended: `pass`, `warn` (leger works, but something will not,
 * or is worth knowing) or `fail` (leger, or a deployment, does not work
 * until it is fixed).
 */
export type CheckStatus = "pass" | "warn" | "fail";

/**
 * What a check is about, for grouping: Podman, systemd, this host's
 * kernel and users, leger itself (folders, Tailscale, legerd), and the
 * installed deployments.
 */
export type CheckGroup =
  | "podman"
  | "systemd"
  | "host"
  | "leger"
  | "deployments";

/** The groups, in the order `leger doctor` shows them. */
export const CHECK_GROUPS: readonly CheckGroup[] = [
  "podman",
  "systemd",
  "host",
  "leger",
  "deployments",
];

/**
 * One precondition of leger, checked: what it is, how it stands and, when
 * it is not right, the fix.
 *
 * `--json` keys: renaming one breaks users' scripts.
 */
export interface DoctorCheck {
  /**
   * Which check: `podman`, `secrets-driver`, `systemd`, `linger`,
   * `sub-ids`, `cgroups`, `folders`, `tailscale`, `legerd`, `deployments`,
   * and per installed deployment `ports:NAME` and `drift:NAME` (only
   * `drift:NAME` when leger's copy of it is damaged: its ports are read from
   * that copy).
   */
  id: string;
  /** What it is about. */
  group: CheckGroup;
  /** One line: what was checked and the fact found (`Podman 5.8.6`). */
  title: string;
  /** How it stands. */
  status: CheckStatus;
  /** What was found, and what does not work because of it; may hold several lines. */
  detail: string;
  /**
   * What fixes it, as lines to paste into a shell: commands, with a `#`
   * comment where a step cannot be a command; `null` when nothing is to
   * be fixed.
   */
  fix: string | null;
}

/** How many checks ended each way. */
export interface DoctorSummary {
  /** How many passed. */
  pass: number;
  /** How many warned. */
  warn: number;
  /** How many failed. */
  fail: number;
  /** Whether none failed (warnings allowed): `leger doctor` exits 0 then, 1 otherwise. */
  ok: boolean;
}

/** What `leger doctor --json` prints. */
export interface DoctorReport {
  /** The scope checked. */
  scope: Scope;
  /** Every check, grouped in the order of {@linkcode CHECK_GROUPS}. */
  checks: DoctorCheck[];
  /** How many passed, warned and failed. */
  summary: DoctorSummary;
}
