/**
 * The payloads of the leger.run API, field by field as the contract names
 * them (snake_case, as served).
 *
 * @module
 */

/** `GET /health` (not wrapped in the envelope). */
export interface HealthInfo {
  status: string;
  service?: string;
  version?: string;
  timestamp?: string;
  environment?: string;
}

/** The body of `POST /auth/cli`. */
export interface AuthCliRequest {
  tailscale: {
    user_id: string;
    login_name: string;
    device_id: string;
    device_hostname: string;
    tailnet: string;
  };
  cli_version: string;
}

/** The success payload of `POST /auth/cli`. */
export interface AuthCliAnswer {
  token: string;
  token_type: string;
  expires_in: number;
  user_uuid: string;
  user: { tailscale_email: string | null; display_name: string | null };
}

/** The success payload of `POST /auth/validate`. */
export interface ValidateAnswer {
  token: string;
  user: {
    user_uuid: string;
    email: string | null;
    display_name: string | null;
    tailnet: string | null;
    created_at: string | null;
  };
}

/** A release (`GET /releases`). */
export interface Release {
  id: string;
  user_uuid: string;
  name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The state of a release's rendered deployment. */
export type DeploymentStatus =
  | "rendering"
  | "uploading"
  | "ready"
  | "deployed"
  | "failed";

/** A release's rendered deployment (`GET /releases/{id}/deployment`). */
export interface Deployment {
  id: string;
  release_id: string;
  user_uuid: string;
  status: DeploymentStatus | string;
  r2_path: string | null;
  manifest_url: string | null;
  error_message: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** The payload of `GET /releases/{id}/deployment`. */
export interface DeploymentAnswer {
  deployment: Deployment | null;
  hasConfiguration: boolean;
}

/** A secret's metadata (`GET /secrets`): never its value. */
export interface SecretMetadata {
  name: string;
  label?: string;
  version: number;
  created_at: string;
  updated_at?: string;
}

/** A secret with its value (`GET /secrets/{name}`, `GET /secrets?include_values=true`). */
export interface SecretValue extends SecretMetadata {
  value: string;
}
