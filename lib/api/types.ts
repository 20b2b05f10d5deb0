/**
 * The payloads of the leger.run API, field by field as the contract names
 * them (snake_case, as served). Source: the leger.run contract
 * (`contracts/leger-run-api.md`).
 *
 * @module
 */

/**
 * `GET /health` (not wrapped in the envelope). Only `status` is checked;
 * the other fields are passed on as the API serves them.
 */
export interface HealthInfo {
  /** The API's health, `"healthy"` when it is up. */
  status: string;
  /** The name of the service that answered. */
  service?: string;
  /** The API's version. */
  version?: string;
  /** The time of the answer, as the API writes it. */
  timestamp?: string;
  /** The API's deployment environment (such as `production`). */
  environment?: string;
}

/**
 * The body of `POST /auth/cli`. Each Tailscale field is taken from
 * `tailscale status --json` (see `tailscaleIdentity` in `lib/tailscale`);
 * leger.run answers 400 `tailscale_verification_failed` when `user_id`,
 * `login_name` or `tailnet` is missing.
 */
export interface AuthCliRequest {
  /** The Tailscale identity of the user and the machine logging in. */
  tailscale: {
    /** The Tailscale user id in decimal (`Self.UserID`). */
    user_id: string;
    /** The Tailscale login name (`User[Self.UserID].LoginName`, such as `alice@github`). */
    login_name: string;
    /** The machine's id: the first of its Tailscale IPs (`Self.TailscaleIPs[0]`). */
    device_id: string;
    /** The machine's name (`Self.HostName`). */
    device_hostname: string;
    /** The tailnet's name (`CurrentTailnet.Name`, such as `alice@github`). */
    tailnet: string;
  };
  /** leger's version. */
  cli_version: string;
}

/** The success payload of `POST /auth/cli`. */
export interface AuthCliAnswer {
  /** The token (a JWT) that later calls send as `Authorization: Bearer <token>`. */
  token: string;
  /** The token's type: `"Bearer"` (also when the answer leaves it out). */
  token_type: string;
  /** How long the token is valid, in seconds from the answer (`31536000` is a year). */
  expires_in: number;
  /**
   * The user's leger.run UUID: UUIDv5 of the Tailscale user id, which leger
   * also derives itself and compares (`authStateFromLogin`).
   */
  user_uuid: string;
  /** The user's profile at leger.run. */
  user: {
    /** The e-mail address of the user's Tailscale login, `null` when leger.run has none. */
    tailscale_email: string | null;
    /** The user's display name, `null` when leger.run has none. */
    display_name: string | null;
  };
}

/** The success payload of `POST /auth/validate`. */
export interface ValidateAnswer {
  /** The token that was checked; `""` when the answer leaves it out. */
  token: string;
  /** The user the token belongs to. */
  user: {
    /** The user's leger.run UUID. */
    user_uuid: string;
    /** The user's e-mail address, or `null`. */
    email: string | null;
    /** The user's display name, or `null`. */
    display_name: string | null;
    /** The user's tailnet, or `null`. */
    tailnet: string | null;
    /** When the account was created, as the API writes it, or `null`. */
    created_at: string | null;
  };
}

/** A release (`GET /releases`, `GET /releases/{id}`). */
export interface Release {
  /** The release's id, used in `/releases/{id}` routes. */
  id: string;
  /** The owner's leger.run UUID. */
  user_uuid: string;
  /** The release's name, which `leger deploy install NAME` looks up. */
  name: string;
  /**
   * The release's number `N`: its rendered files are under
   * `https://static.leger.run/{user_uuid}/v{N}/`.
   */
  version: number;
  /** When the release was created, as the API writes it; `""` when absent. */
  created_at: string;
  /** When the release last changed, as the API writes it; `""` when absent. */
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
  /** The deployment's id; `""` when absent. */
  id: string;
  /** The release it renders; `""` when absent. */
  release_id: string;
  /** The owner's leger.run UUID. */
  user_uuid: string;
  /** One of {@linkcode DeploymentStatus}, or whatever a newer API writes. */
  status: DeploymentStatus | string;
  /** Where leger.run stored the rendered files in its bucket, or `null`. */
  r2_path: string | null;
  /** The static URL of the deployment's `manifest.json`, or `null`. */
  manifest_url: string | null;
  /** Why rendering failed, or `null`. */
  error_message: string | null;
  /** When rendering started, as the API writes it, or `null`. */
  started_at: string | null;
  /** When rendering finished, as the API writes it, or `null`. */
  completed_at: string | null;
}

/** The payload of `GET /releases/{id}/deployment`. */
export interface DeploymentAnswer {
  /** The release's rendered deployment, or `null` when it has none. */
  deployment: Deployment | null;
  /** Whether the release has a configuration to render (as served; camelCase in the contract). */
  hasConfiguration: boolean;
}

/**
 * A secret's metadata (`GET /secrets`): never its value. Names match
 * `^[a-zA-Z0-9:_-]{1,64}$`.
 */
export interface SecretMetadata {
  /** The secret's name. */
  name: string;
  /** A label the user gave it, when any. */
  label?: string;
  /**
   * A number that grows by one on every change: legerd compares it to tell
   * that a secret was rotated.
   */
  version: number;
  /** When the secret was created, as the API writes it; `""` when absent. */
  created_at: string;
  /** When the secret last changed, as the API writes it, when given. */
  updated_at?: string;
}

/** A secret with its value (`GET /secrets/{name}`, `GET /secrets?include_values=true`). */
export interface SecretValue extends SecretMetadata {
  /**
   * The plaintext value (1 byte to 10 KiB of UTF-8). Never log it, print it,
   * write it to disk or pass it on a command line.
   */
  value: string;
}
