import type { ErrorCode } from "./codes.ts";

/**
 * One problem found in a deployment, by validation (`validateDeployment`) or
 * by the conflict checks (`findConflicts`): plain data, so that a command can
 * list every finding (`--json`) or turn the first into a `LegerError`.
 */
export interface Finding {
  /** The catalogue code, such as `ERR_UNIT_UNKNOWN_KEY` or `ERR_PORT_CONFLICT`. */
  code: ErrorCode;
  /** The first line for the user: what cannot be done, and why. */
  message: string;
  /** The file the finding is about, as named in the deployment (`web.container`). */
  file: string;
  /** The 1-based line in `file`, when one line is at fault. */
  line?: number;
  /** What to change or run to fix it. */
  remedy?: string;
  /**
   * `"warning"` for what Podman and systemd accept but probably do not do what
   * was meant (a `[Container]` section in a `.volume`); absent means an error,
   * which stops an install.
   */
  severity?: "warning";
  /**
   * `false` for a conflict with the host that `--force` does not pass (a
   * file already in the quadlet folder that the install would overwrite):
   * plans list it among the errors. Absent: a conflict passes with `--force`.
   */
  forcible?: false;
}
