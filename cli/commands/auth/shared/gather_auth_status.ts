import { redactUrl } from "../../../../lib/errors/redact_url.ts";
import { LegerRunApiError } from "../../../../lib/api/leger_run_api_error.ts";
import { LegerRunClient } from "../../../../lib/api/leger_run_client.ts";
import type { LegerRunUrls } from "../../../../lib/api/resolve_leger_run_urls.ts";
import { staticSpaceUrl } from "../../../../lib/api/static_space_url.ts";
import type { Release } from "../../../../lib/api/types.ts";
import { authFilePath } from "../../../../lib/auth/auth_file_path.ts";
import { isAuthExpired } from "../../../../lib/auth/is_auth_expired.ts";
import { legerdSocketPath } from "../../../../lib/auth/legerd_socket_path.ts";
import { loadAuthState } from "../../../../lib/auth/load_auth_state.ts";
import type { AuthState } from "../../../../lib/auth/parse_auth_state.ts";
import { LegerError } from "../../../../lib/errors/leger_error.ts";
import type { LegerdHealthAnswer } from "../../../../lib/secrets/legerd_client.ts";
import { type AuthDeps, pathEnvOf } from "./auth_deps.ts";
import { gatherTailscale, type TailscaleReport } from "./gather_tailscale.ts";

/** An error as `--json` shows it. */
export type ErrorJson = ReturnType<LegerError["toJSON"]>;

/**
 * The state of the leger.run login: `valid` (leger.run accepted the token),
 * `expired` (auth.json's date has passed, and `error` is `null`; or
 * leger.run says the token expired, and `error` holds what it said),
 * `rejected` (leger.run refused the token), `missing`, `unreadable`
 * (a damaged `auth.json`), `offline` (leger.run cannot be reached) or
 * `unverified` (leger.run answered with another error).
 */
export type LegerAuthState =
  | "valid"
  | "expired"
  | "rejected"
  | "missing"
  | "unreadable"
  | "offline"
  | "unverified";

/** What `leger auth status --json` prints (snake_case keys). */
export interface AuthStatusReport {
  tailscale: TailscaleReport;
  leger: {
    state: LegerAuthState;
    api_url: string;
    auth_file: string;
    user_uuid: string | null;
    login_name: string | null;
    tailnet: string | null;
    device_hostname: string | null;
    expires_at: string | null;
    /** Whether the login is Tailscale's current user; `null` when either is unknown. */
    matches_tailscale: boolean | null;
    error: ErrorJson | null;
  };
  legerd: {
    /**
     * Whether legerd answers on its socket (`true` too when it answers with
     * an error, or too slowly: it runs).
     */
    running: boolean;
    /** The scope whose legerd this is: the system's for root, else the user's. */
    scope: "user" | "system";
    /** Its control socket. */
    socket: string;
    /** What `GET /v1/health` answered; `null` when it did not. */
    health: LegerdHealthAnswer | null;
    /**
     * Why there is no health: `ERR_LEGERD_NOT_RUNNING` (with the command
     * that starts legerd), `ERR_LEGERD_ACCESS_DENIED`, …; `null` when none.
     */
    error: ErrorJson | null;
  };
  space: {
    user_uuid: string | null;
    static_url: string | null;
    releases: Release[] | null;
    error: ErrorJson | null;
  };
}

/**
 * Gathers everything `leger auth status` reports. Every failure along the way
 * becomes part of the report; nothing here throws a leger error.
 *
 * @example Usage
 * ```ts ignore
 * import { gatherAuthStatus } from "./gather_auth_status.ts";
 * const report = await gatherAuthStatus(urls, deps);
 * ```
 */
export async function gatherAuthStatus(
  urls: LegerRunUrls,
  deps: AuthDeps,
): Promise<AuthStatusReport> {
  const tailscale = await gatherTailscale(deps);
  const { leger, state } = await gatherLeger(urls, deps, tailscale.user_uuid);
  const [space, legerd] = await Promise.all([
    gatherSpace(urls, deps, leger, state, tailscale.user_uuid),
    gatherLegerd(deps),
  ]);
  return { tailscale, leger, legerd, space };
}

async function gatherLegerd(
  deps: AuthDeps,
): Promise<AuthStatusReport["legerd"]> {
  const scope = deps.context.uid === 0 ? "system" : "user";
  const socket = legerdSocketPath(scope, {
    env: deps.context.env,
    uid: deps.context.uid,
  });
  try {
    const health = await deps.legerd(scope).health();
    return { running: true, scope, socket, health, error: null };
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return {
      running: error.code !== "ERR_LEGERD_NOT_RUNNING" &&
        error.code !== "ERR_NETWORK_NOT_ALLOWED",
      scope,
      socket,
      health: null,
      error: error.toJSON(),
    };
  }
}

async function gatherLeger(
  urls: LegerRunUrls,
  deps: AuthDeps,
  tailscaleUuid: string | null,
): Promise<{ leger: AuthStatusReport["leger"]; state: AuthState | null }> {
  const path = authFilePath(pathEnvOf(deps.context));
  const leger: AuthStatusReport["leger"] = {
    state: "missing",
    api_url: redactUrl(urls.api),
    auth_file: path,
    user_uuid: null,
    login_name: null,
    tailnet: null,
    device_hostname: null,
    expires_at: null,
    matches_tailscale: null,
    error: null,
  };
  let state: AuthState | null;
  try {
    state = await loadAuthState(path);
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return {
      leger: { ...leger, state: "unreadable", error: error.toJSON() },
      state: null,
    };
  }
  if (state === null) return { leger, state };
  Object.assign(leger, {
    user_uuid: state.user_uuid,
    login_name: state.login_name,
    tailnet: state.tailnet,
    device_hostname: state.device_hostname,
    expires_at: state.expires_at,
    matches_tailscale: tailscaleUuid === null
      ? null
      : tailscaleUuid === state.user_uuid,
  });
  if (isAuthExpired(state, deps.now())) {
    return { leger: { ...leger, state: "expired" }, state };
  }
  const client = new LegerRunClient(urls.api, {
    token: state.token,
    fetch: deps.fetch,
  });
  try {
    const answer = await client.validate();
    if (answer.user.user_uuid !== state.user_uuid) {
      leger.state = "rejected";
      leger.error = new LegerError(
        "ERR_LEGER_NOT_AUTHENTICATED",
        `Cannot check the leger.run login: leger.run says the token is user "${answer.user.user_uuid}", not "${state.user_uuid}"`,
        { remedy: "Run `leger auth login`" },
      ).toJSON();
    } else {
      leger.state = "valid";
    }
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    leger.error = error.toJSON();
    if (error.code === "ERR_LEGER_NOT_AUTHENTICATED") {
      const expired = error instanceof LegerRunApiError &&
        /expired/i.test(error.apiMessage);
      leger.state = expired ? "expired" : "rejected";
    } else {
      leger.state = error.code === "ERR_API_UNREACHABLE"
        ? "offline"
        : "unverified";
    }
  }
  return { leger, state };
}

async function gatherSpace(
  urls: LegerRunUrls,
  deps: AuthDeps,
  leger: AuthStatusReport["leger"],
  state: AuthState | null,
  tailscaleUuid: string | null,
): Promise<AuthStatusReport["space"]> {
  const userUuid = leger.user_uuid ?? tailscaleUuid;
  const space: AuthStatusReport["space"] = {
    user_uuid: userUuid,
    static_url: userUuid === null
      ? null
      : redactUrl(staticSpaceUrl(urls.static, userUuid)),
    releases: null,
    error: null,
  };
  if (leger.state !== "valid" || state === null) return space;
  const client = new LegerRunClient(urls.api, {
    token: state.token,
    fetch: deps.fetch,
  });
  try {
    space.releases = await client.listReleases();
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    space.error = error.toJSON();
  }
  return space;
}
