import { deriveUserUuid } from "../../../../lib/auth/derive_user_uuid.ts";
import { LegerError } from "../../../../lib/errors/leger_error.ts";
import { tailscaleIdentity } from "../../../../lib/tailscale/tailscale_identity.ts";
import type { AuthDeps } from "./auth_deps.ts";

/** An error as `--json` shows it. */
type ErrorJson = ReturnType<LegerError["toJSON"]>;

/** The Tailscale section of `leger auth status --json` and `leger status --json`. */
export interface TailscaleReport {
  installed: boolean;
  source: "cli" | "localapi" | null;
  backend_state: string | null;
  version: string | null;
  identity: {
    user_id: string;
    login_name: string;
    device_id: string;
    device_hostname: string;
    tailnet: string;
  } | null;
  user_uuid: string | null;
  error: ErrorJson | null;
}

/**
 * The Tailscale part of the report: its state and identity, and the
 * leger.run user it derives, or why there is none. Shared by `leger auth
 * status` and `leger status`.
 *
 * @param deps How to read the Tailscale status.
 * @returns The Tailscale section; a failure is part of it.
 *
 * @example Usage
 * ```ts ignore
 * import { gatherTailscale } from "./gather_tailscale.ts";
 * const tailscale = await gatherTailscale(deps);
 * ```
 */
export async function gatherTailscale(
  deps: Pick<AuthDeps, "readTailscale">,
): Promise<TailscaleReport> {
  const report: TailscaleReport = {
    installed: true,
    source: null,
    backend_state: null,
    version: null,
    identity: null,
    user_uuid: null,
    error: null,
  };
  const action = "read the Tailscale status";
  try {
    const { status, source } = await deps.readTailscale(action);
    report.source = source;
    report.backend_state = status.backendState;
    report.version = status.version || null;
    const identity = tailscaleIdentity(status, { action });
    report.identity = {
      user_id: identity.userId,
      login_name: identity.loginName,
      device_id: identity.deviceId,
      device_hostname: identity.deviceHostname,
      tailnet: identity.tailnet,
    };
    report.user_uuid = await deriveUserUuid(identity.userId);
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    report.installed = error.code !== "ERR_TAILSCALE_NOT_INSTALLED";
    report.error = error.toJSON();
  }
  return report;
}
