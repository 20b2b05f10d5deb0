/**
 * `leger auth login [--json]`: logs in to leger.run with this machine's
 * Tailscale identity and stores the token in `auth.json`.
 *
 * @module
 */
import { readLegerRunUrls as legerRunUrls } from "../../../lib/api/read_leger_run_urls.ts";
import { authFilePath } from "../../../lib/auth/auth_file_path.ts";
import { loginWithTailscale } from "../../../lib/auth/login_with_tailscale.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { VERSION } from "../../version.ts";
import { type AuthDeps, authDeps, pathEnvOf } from "./shared/auth_deps.ts";

const ACTION = "log in to leger.run";

/** The options of `leger auth login`. */
export interface LoginOptions {
  /**
   * Print one JSON document: who is logged in (never the token).
   *
   * @default {false}
   */
  json?: boolean;
}

/** What `leger auth login --json` prints: the login, without its token. */
export interface LoginDocument {
  /** The Tailscale login name (`alice@github`). */
  login_name: string;
  /** The user's leger.run UUID. */
  user_uuid: string;
  /** The tailnet's name. */
  tailnet: string;
  /** This machine's name. */
  device_hostname: string;
  /** This machine's Tailscale id. */
  device_id: string;
  /** The API the login belongs to. */
  api_url: string;
  /** When the login expires, RFC 3339 in UTC. */
  expires_at: string;
  /** Where the login is kept (mode 0600). */
  auth_file: string;
}

/** Reads the command line of `leger auth login`. */
export function parse(line: CommandLine): LoginOptions {
  return { json: flag(line, "json") };
}

/** Runs `leger auth login`. */
export function run(
  options: LoginOptions,
  deps: CommandDeps,
): Promise<number> {
  return runLogin(authDeps(deps), options);
}

/**
 * Logs in: Tailscale status → identity → `POST /auth/cli` → the answer's
 * `user_uuid` checked against the local derivation → `auth.json` (0600,
 * atomic) → who is logged in, on stdout.
 *
 * @param deps The context, Tailscale reader, `fetch` and clock.
 * @param options `--json`.
 * @returns The exit code (errors are thrown as leger errors).
 *
 * @example Usage
 * ```ts ignore
 * import { runLogin } from "./login.ts";
 * import { authDeps } from "./shared/auth_deps.ts";
 * const code = await runLogin(authDeps(context));
 * ```
 */
export async function runLogin(
  deps: AuthDeps,
  options: LoginOptions = {},
): Promise<number> {
  const { json = false } = options;
  const { context } = deps;
  const urls = await legerRunUrls(context);
  const authFile = authFilePath(pathEnvOf(context));
  const { state, identity } = await loginWithTailscale({
    apiUrl: urls.api,
    webUrl: urls.web,
    readStatus: async (action) => (await deps.readTailscale(action)).status,
    version: VERSION,
    now: () => deps.now(),
    authFile,
    fetch: deps.fetch,
    action: ACTION,
  });
  if (json) {
    const document: LoginDocument = {
      login_name: state.login_name,
      user_uuid: state.user_uuid,
      tailnet: state.tailnet,
      device_hostname: state.device_hostname,
      device_id: identity.deviceId,
      api_url: state.api_url,
      expires_at: state.expires_at,
      auth_file: authFile,
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  const mark = context.stdoutIsTerminal ? "✓ " : "";
  context.out(
    [
      `${mark}Logged in to leger.run as ${state.login_name}`,
      `  user:    ${state.user_uuid}`,
      `  tailnet: ${state.tailnet}`,
      `  device:  ${state.device_hostname} (${identity.deviceId})`,
      `  expires: ${state.expires_at}`,
      "",
    ].join("\n"),
  );
  return 0;
}
