/**
 * `leger auth login`: logs in to leger.run with this machine's Tailscale
 * identity and stores the token in `auth.json`.
 *
 * @module
 */
import { LegerRunClient } from "../../../lib/api/leger_run_client.ts";
import { readLegerRunUrls as legerRunUrls } from "../../../lib/api/read_leger_run_urls.ts";
import { authFilePath } from "../../../lib/auth/auth_file_path.ts";
import { authStateFromLogin } from "../../../lib/auth/auth_state_from_login.ts";
import { deriveUserUuid } from "../../../lib/auth/derive_user_uuid.ts";
import { saveAuthState } from "../../../lib/auth/save_auth_state.ts";
import { tailscaleIdentity } from "../../../lib/tailscale/tailscale_identity.ts";
import type { CommandDeps } from "../../deps.ts";
import type { CommandLine } from "../../spec.ts";
import { VERSION } from "../../version.ts";
import { type AuthDeps, authDeps, pathEnvOf } from "./shared/auth_deps.ts";

const ACTION = "log in to leger.run";

/** `leger auth login` takes no options. */
export function parse(_line: CommandLine): Record<string, never> {
  return {};
}

/** Runs `leger auth login`. */
export function run(
  _options: Record<string, never>,
  deps: CommandDeps,
): Promise<number> {
  return runLogin(authDeps(deps));
}

/**
 * Logs in: Tailscale status → identity → `POST /auth/cli` → the answer's
 * `user_uuid` checked against the local derivation → `auth.json` (0600,
 * atomic) → who is logged in, on stdout.
 *
 * @param deps The context, Tailscale reader, `fetch` and clock.
 * @returns The exit code (errors are thrown as leger errors).
 *
 * @example Usage
 * ```ts ignore
 * import { runLogin } from "./login.ts";
 * import { authDeps } from "./shared/auth_deps.ts";
 * const code = await runLogin(authDeps(context));
 * ```
 */
export async function runLogin(deps: AuthDeps): Promise<number> {
  const { context } = deps;
  const urls = await legerRunUrls(context);
  const { status } = await deps.readTailscale(ACTION);
  const identity = tailscaleIdentity(status, { action: ACTION });
  const userUuid = await deriveUserUuid(identity.userId);
  const client = new LegerRunClient(urls.api, {
    webUrl: urls.web,
    fetch: deps.fetch,
  });
  const answer = await client.authCli({
    tailscale: {
      user_id: identity.userId,
      login_name: identity.loginName,
      device_id: identity.deviceId,
      device_hostname: identity.deviceHostname,
      tailnet: identity.tailnet,
    },
    cli_version: VERSION,
  });
  const state = authStateFromLogin(answer, {
    identity,
    userUuid,
    apiUrl: urls.api,
    now: deps.now(),
  });
  await saveAuthState(authFilePath(pathEnvOf(context)), state);
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
