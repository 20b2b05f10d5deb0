import { LegerError } from "../errors/leger_error.ts";
import type { TailscaleIdentity } from "../tailscale/tailscale_identity.ts";
import { fixFromRemedy } from "./_fix_from_remedy.ts";
import type { DoctorCheck } from "./types.ts";

/** What {@linkcode checkTailscale} judges. */
export interface TailscaleFacts {
  /**
   * This machine's Tailscale identity (`tailscaleIdentity()` of its
   * status), or why there is none (`ERR_TAILSCALE_NOT_INSTALLED`,
   * `ERR_TAILSCALE_NOT_RUNNING`, `ERR_TAILSCALE_NOT_AUTHENTICATED`, …).
   */
  identity: TailscaleIdentity | LegerError;
  /**
   * Whether leger needs Tailscale here: the user is logged in to leger.run
   * (`auth.json`), whose sign-in and secrets go over Tailscale.
   */
  needed: boolean;
  /**
   * leger.run's API URL (`LEGER_API_URL`): at a loopback address (a local
   * leger.run, as in tests) it is reached without Tailscale.
   *
   * @default {"https://api.leger.run"}
   */
  apiUrl?: string;
}

/**
 * Checks Tailscale, over which leger signs in to leger.run and legerd
 * fetches secrets: installed, running, logged in to a tailnet.
 *
 * @param facts The identity, or why there is none, and whether leger.run is in use.
 * @returns `pass` when connected; else `fail` when leger.run is in use, and
 * `warn` otherwise (local and Git deployments do not need it), with the
 * commands that install, start or log in Tailscale.
 *
 * @example Usage
 * ```ts
 * import { checkTailscale } from "./check_tailscale.ts";
 * import { LegerError } from "../errors/leger_error.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const check = checkTailscale({
 *   identity: new LegerError("ERR_TAILSCALE_NOT_RUNNING", "Cannot read the Tailscale status: tailscaled is not running", {
 *     remedy: "Run `sudo systemctl start tailscaled`, then `sudo tailscale up`",
 *   }),
 *   needed: true,
 * });
 * strictEqual(check.status, "fail");
 * strictEqual(check.fix, "sudo systemctl start tailscaled\nsudo tailscale up");
 * ```
 */
export function checkTailscale(facts: TailscaleFacts): DoctorCheck {
  const { identity, apiUrl = "https://api.leger.run" } = facts;
  const local = isLoopback(apiUrl);
  const needed = facts.needed && !local;
  const base = { id: "tailscale", group: "leger" } as const;
  if (!(identity instanceof LegerError)) {
    return {
      ...base,
      title:
        `Tailscale: ${identity.loginName} on ${identity.tailnet} (${identity.deviceHostname})`,
      status: "pass",
      detail:
        "leger signs in to leger.run, and legerd fetches secrets, over Tailscale.",
      fix: null,
    };
  }
  const title = identity.code === "ERR_TAILSCALE_NOT_INSTALLED"
    ? "Tailscale is not installed"
    : identity.code === "ERR_TAILSCALE_NOT_RUNNING"
    ? "Tailscale is not running"
    : identity.code === "ERR_TAILSCALE_NOT_AUTHENTICATED"
    ? "Tailscale is not logged in"
    : "Tailscale cannot be read";
  const why = identity.message.replace(/^Cannot [^:]+: /, "");
  return {
    ...base,
    title,
    status: needed ? "fail" : "warn",
    detail: [
      `${why.charAt(0).toUpperCase()}${why.slice(1)}.`,
      ...identity.details,
      needed
        ? "You are logged in to leger.run: leger cannot reach it, and legerd cannot fetch secrets, without Tailscale."
        : local
        ? `leger.run is at ${apiUrl}, on this machine: it is reached without Tailscale.`
        : "Deployments from a local folder or Git do not need it; leger.run sign-in and secrets do.",
    ].join("\n"),
    fix: fixFromRemedy(identity.remedy, /^leger /),
  };
}

/** Whether a URL's host is this machine (`127.0.0.0/8`, `localhost`, `::1`). */
function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
  return host === "localhost" || host === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}
