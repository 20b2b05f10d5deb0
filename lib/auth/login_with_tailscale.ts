import { LegerRunClient } from "../api/leger_run_client.ts";
import type { TailscaleStatus } from "../tailscale/parse_tailscale_status.ts";
import {
  type TailscaleIdentity,
  tailscaleIdentity,
} from "../tailscale/tailscale_identity.ts";
import { authStateFromLogin } from "./auth_state_from_login.ts";
import { deriveUserUuid } from "./derive_user_uuid.ts";
import type { AuthState } from "./parse_auth_state.ts";
import { saveAuthState } from "./save_auth_state.ts";

/** Options for {@linkcode loginWithTailscale}. */
export interface LoginWithTailscaleOptions {
  /** The API's base URL. */
  apiUrl: string;
  /**
   * The web UI's base URL, named when the account is not linked.
   *
   * @default {"https://app.leger.run"}
   */
  webUrl?: string;
  /** Reads the machine's Tailscale status (`readTailscaleStatus()` of lib/adapters, or a fake). */
  readStatus(action: string): Promise<TailscaleStatus>;
  /** The version sent as `cli_version` (leger's or legerd's). */
  version: string;
  /** The time of the answer, for the login's expiry. */
  now(): Date;
  /**
   * Where to write the login (mode 0600, atomically); nothing is written when absent.
   *
   * @default {undefined}
   */
  authFile?: string;
  /**
   * The `fetch` to use.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * What is being done, for the first line of errors.
   *
   * @default {"log in to leger.run"}
   */
  action?: string;
}

/** What {@linkcode loginWithTailscale} got. */
export interface TailscaleLogin {
  /** The login, as `auth.json` holds it. */
  state: AuthState;
  /** The Tailscale identity it was made with. */
  identity: TailscaleIdentity;
}

/**
 * Logs in to leger.run with the machine's Tailscale identity, as `leger
 * auth login` does and as legerd does again when leger.run refuses its
 * token: Tailscale status → identity → `POST /auth/cli` → the answer's
 * `user_uuid` checked against the one derived locally → `auth.json`
 * written atomically with mode 0600 (when `authFile` is given).
 *
 * Requires `--allow-net` for the API's host, what `readStatus` requires,
 * and `--allow-read`/`--allow-write` for the folder of `authFile`.
 *
 * @param options The API, the Tailscale reader, the version, the clock and
 * the file.
 * @returns The login and the identity.
 * @throws {LegerError} The Tailscale codes of `tailscaleIdentity()`
 * (`ERR_TAILSCALE_NOT_RUNNING`, `ERR_TAILSCALE_NOT_AUTHENTICATED`, …),
 * those of `readStatus`, the API codes of `apiRequest()`
 * (`ERR_ACCOUNT_NOT_LINKED`, `ERR_API_UNREACHABLE`, …),
 * `ERR_USER_UUID_MISMATCH`, and `ERR_STATE_UNWRITABLE` when the file
 * cannot be written.
 *
 * @example Usage
 * ```ts ignore
 * import { loginWithTailscale } from "./login_with_tailscale.ts";
 *
 * const { state } = await loginWithTailscale({
 *   apiUrl: "https://api.leger.run",
 *   readStatus: async (action) => (await readTailscaleStatus({ action })).status,
 *   version: "0.1.0",
 *   now: () => new Date(),
 *   authFile: "/home/a/.local/share/leger/auth.json",
 * });
 * ```
 */
export async function loginWithTailscale(
  options: LoginWithTailscaleOptions,
): Promise<TailscaleLogin> {
  const {
    apiUrl,
    webUrl,
    readStatus,
    version,
    now,
    authFile,
    fetch,
    action = "log in to leger.run",
  } = options;
  const status = await readStatus(action);
  const identity = tailscaleIdentity(status, { action });
  const userUuid = await deriveUserUuid(identity.userId);
  const client = new LegerRunClient(apiUrl, { webUrl, fetch });
  const answer = await client.authCli({
    tailscale: {
      user_id: identity.userId,
      login_name: identity.loginName,
      device_id: identity.deviceId,
      device_hostname: identity.deviceHostname,
      tailnet: identity.tailnet,
    },
    cli_version: version,
  });
  const state = authStateFromLogin(answer, {
    identity,
    userUuid,
    apiUrl,
    now: now(),
  });
  if (authFile !== undefined) await saveAuthState(authFile, state);
  return { state, identity };
}
