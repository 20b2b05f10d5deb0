/**
 * `leger auth status [--json]`: the Tailscale state and identity, the
 * leger.run login (checked with leger.run), legerd, and the user's leger.run
 * space with its releases.
 *
 * @module
 */
import { readLegerRunUrls as legerRunUrls } from "../../../lib/api/read_leger_run_urls.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { type AuthDeps, authDeps } from "./shared/auth_deps.ts";
import { gatherAuthStatus } from "./shared/gather_auth_status.ts";
import { renderAuthStatus } from "./shared/render_auth_status.ts";

/** The options of `leger auth status`. */
export interface StatusOptions {
  /** Print one JSON document instead of text. */
  json: boolean;
}

/** Reads the command line of `leger auth status`. */
export function parse(line: CommandLine): StatusOptions {
  return { json: flag(line, "json") };
}

/** Runs `leger auth status`. */
export function run(
  options: StatusOptions,
  deps: CommandDeps,
): Promise<number> {
  return runStatus(options, authDeps(deps));
}

/**
 * Reports the state, and exits 0 when logged in with a token leger.run
 * accepts, 4 when not logged in (missing, expired, rejected or unreadable),
 * and 1 when leger.run cannot confirm it (offline or failing).
 *
 * @param options `--json`.
 * @param deps The context, Tailscale reader, `fetch`, clock and file checks.
 * @returns The exit code.
 * @throws {LegerError} `ERR_NETWORK_NOT_ALLOWED` when a leger.run URL names
 * a host leger may not reach.
 *
 * @example Usage
 * ```ts ignore
 * import { runStatus } from "./status.ts";
 * const code = await runStatus({ json: true }, authDeps(context));
 * ```
 */
export async function runStatus(
  options: StatusOptions,
  deps: AuthDeps,
): Promise<number> {
  const { context } = deps;
  const urls = await legerRunUrls(context);
  const report = await gatherAuthStatus(urls, deps);
  context.out(
    options.json
      ? JSON.stringify(report, null, 2) + "\n"
      : renderAuthStatus(report, { terminal: context.stdoutIsTerminal }),
  );
  switch (report.leger.state) {
    case "valid":
      return 0;
    case "offline":
    case "unverified":
      return 1;
    default:
      return 4;
  }
}
