import { LegerError } from "../errors/leger_error.ts";
import { apiRequest, type ApiRequestOptions } from "./api_request.ts";
import { list, number, optionalText, record, text } from "./_shape.ts";
import type {
  AuthCliAnswer,
  AuthCliRequest,
  Deployment,
  DeploymentAnswer,
  HealthInfo,
  Release,
  SecretMetadata,
  SecretValue,
  ValidateAnswer,
} from "./types.ts";

/** Options for {@linkcode LegerRunClient}. */
export interface LegerRunClientOptions {
  /**
   * The bearer token of `auth.json`; routes other than `/health` and
   * `/auth/cli` need it.
   *
   * @default {undefined}
   */
  token?: string;
  /**
   * The web UI's base URL, named when an account is not linked.
   *
   * @default {"https://app.leger.run"}
   */
  webUrl?: string;
  /**
   * Gives up on a request after this many milliseconds.
   *
   * @default {15000}
   */
  timeoutMs?: number;
  /**
   * The `fetch` to use.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
}

/**
 * A client of the leger.run API, one method per route of the contract
 * (`../shared/contracts/leger-run-api.md`). Each method checks the shape of
 * the answer it returns; every failure is a leger error (see `apiRequest`),
 * and an answer of the wrong shape is `ERR_API_ERROR`.
 *
 * Requires `--allow-net` for the API's host (see `resolveLegerRunUrls`).
 *
 * @example Usage
 * ```ts ignore
 * import { LegerRunClient } from "./leger_run_client.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const client = new LegerRunClient("https://api.leger.run", { token });
 * const releases = await client.listReleases();
 * strictEqual(Array.isArray(releases), true);
 * ```
 */
export class LegerRunClient {
  /** The API's base URL, without a trailing slash. */
  readonly apiUrl: string;
  #options: LegerRunClientOptions;

  /**
   * Creates a client.
   *
   * @param apiUrl The API's base URL (checked with `checkAllowedUrl` by the caller).
   * @param options The token, web UI URL, timeout and `fetch`.
   */
  constructor(apiUrl: string, options: LegerRunClientOptions = {}) {
    this.apiUrl = apiUrl.replace(/\/+$/, "");
    this.#options = options;
  }

  /** `GET /health`: whether the API answers, and its version. */
  async health(): Promise<HealthInfo> {
    const data = await this.#request("/health", {
      action: "check leger.run's health",
      envelope: false,
    });
    return this.#shape("check leger.run's health", () => {
      const info = record(data, "health");
      return { ...info, status: text(info, "status", "health") } as HealthInfo;
    });
  }

  /**
   * `POST /auth/cli`: exchanges a Tailscale identity for a token.
   *
   * @param request The body, exactly the contract's.
   */
  async authCli(request: AuthCliRequest): Promise<AuthCliAnswer> {
    const action = "log in to leger.run";
    const data = await this.#request("/auth/cli", {
      action,
      method: "POST",
      body: request,
    });
    return this.#shape(action, () => {
      const answer = record(data, "data");
      const user = answer.user === undefined || answer.user === null
        ? {}
        : record(answer.user, "data.user");
      return {
        token: text(answer, "token", "data"),
        token_type: optionalText(answer, "token_type", "data") ?? "Bearer",
        expires_in: number(answer, "expires_in", "data"),
        user_uuid: text(answer, "user_uuid", "data"),
        user: {
          tailscale_email: optionalText(user, "tailscale_email", "data.user"),
          display_name: optionalText(user, "display_name", "data.user"),
        },
      };
    });
  }

  /** `POST /auth/validate`: checks the token. */
  async validate(): Promise<ValidateAnswer> {
    const action = "check the leger.run login";
    const data = await this.#request("/auth/validate", {
      action,
      method: "POST",
    });
    return this.#shape(action, () => {
      const answer = record(data, "data");
      const user = record(answer.user, "data.user");
      return {
        token: optionalText(answer, "token", "data") ?? "",
        user: {
          user_uuid: text(user, "user_uuid", "data.user"),
          email: optionalText(user, "email", "data.user"),
          display_name: optionalText(user, "display_name", "data.user"),
          tailnet: optionalText(user, "tailnet", "data.user"),
          created_at: optionalText(user, "created_at", "data.user"),
        },
      };
    });
  }

  /**
   * `GET /releases[?name=NAME]`: the user's releases, newest first.
   *
   * @param options `name` keeps at most the release of that name.
   */
  async listReleases(options: { name?: string } = {}): Promise<Release[]> {
    const action = "list the leger.run releases";
    const query = options.name === undefined
      ? ""
      : `?name=${encodeURIComponent(options.name)}`;
    const data = await this.#request(`/releases${query}`, { action });
    return this.#shape(
      action,
      () =>
        list(record(data, "data").releases, "data.releases").map((item, i) =>
          readRelease(item, `data.releases[${i}]`)
        ),
    );
  }

  /**
   * `GET /releases/{id}`: one release.
   *
   * @param id The release's id.
   */
  async getRelease(id: string): Promise<Release> {
    const action = `read release "${id}"`;
    const data = await this.#request(`/releases/${encodeURIComponent(id)}`, {
      action,
    });
    return this.#shape(action, () => {
      const answer = record(data, "data");
      return readRelease(
        "release" in answer ? answer.release : answer,
        "data.release",
      );
    });
  }

  /**
   * `GET /releases/{id}/deployment`: the release's rendered deployment.
   *
   * @param id The release's id.
   */
  async getDeployment(id: string): Promise<DeploymentAnswer> {
    const action = `read the deployment of release "${id}"`;
    const data = await this.#request(
      `/releases/${encodeURIComponent(id)}/deployment`,
      { action },
    );
    return this.#shape(action, () => {
      const answer = record(data, "data");
      const deployment =
        answer.deployment === null || answer.deployment === undefined
          ? null
          : readDeployment(record(answer.deployment, "data.deployment"));
      return { deployment, hasConfiguration: answer.hasConfiguration === true };
    });
  }

  /** `GET /secrets`: the secrets' metadata, never their values. */
  async listSecrets(): Promise<SecretMetadata[]> {
    const action = "list the leger.run secrets";
    const data = await this.#request("/secrets", { action });
    return this.#shape(
      action,
      () =>
        list(record(data, "data").secrets, "data.secrets").map((item, i) =>
          readSecret(item, `data.secrets[${i}]`, false)
        ),
    );
  }

  /** `GET /secrets?include_values=true`: every secret with its value (for legerd). */
  async listSecretValues(): Promise<SecretValue[]> {
    const action = "fetch the leger.run secrets";
    const data = await this.#request("/secrets?include_values=true", {
      action,
    });
    return this.#shape(
      action,
      () =>
        list(record(data, "data").secrets, "data.secrets").map((item, i) =>
          readSecret(item, `data.secrets[${i}]`, true) as SecretValue
        ),
    );
  }

  /**
   * `GET /secrets/{name}`: one secret with its value.
   *
   * @param name The secret's name.
   */
  async getSecret(name: string): Promise<SecretValue> {
    const action = `fetch secret "${name}"`;
    const data = await this.#request(`/secrets/${encodeURIComponent(name)}`, {
      action,
    });
    return this.#shape(action, () => {
      const answer = record(data, "data");
      return readSecret(
        "secret" in answer ? answer.secret : answer,
        "data",
        true,
      ) as SecretValue;
    });
  }

  /**
   * `POST /secrets/{name}`: creates or updates a secret (its version grows by one).
   *
   * @param name The secret's name.
   * @param value The value: it travels in the body only, never in a URL or an error.
   * @param options An optional label.
   */
  async setSecret(
    name: string,
    value: string,
    options: { label?: string } = {},
  ): Promise<SecretMetadata> {
    const action = `store secret "${name}"`;
    const body = options.label === undefined
      ? { value }
      : { value, label: options.label };
    const data = await this.#request(`/secrets/${encodeURIComponent(name)}`, {
      action,
      method: "POST",
      body,
    });
    return this.#shape(action, () => {
      const answer = record(data, "data");
      return readSecret(
        "secret" in answer ? answer.secret : answer,
        "data",
        false,
      );
    });
  }

  /**
   * `DELETE /secrets/{name}`.
   *
   * @param name The secret's name.
   */
  async deleteSecret(name: string): Promise<void> {
    await this.#request(`/secrets/${encodeURIComponent(name)}`, {
      action: `delete secret "${name}"`,
      method: "DELETE",
    });
  }

  #request(
    route: string,
    options: Omit<
      ApiRequestOptions,
      "token" | "webUrl" | "timeoutMs" | "fetch"
    >,
  ): Promise<unknown> {
    const { token, webUrl, timeoutMs, fetch } = this.#options;
    return apiRequest(this.apiUrl, route, {
      ...options,
      token,
      webUrl,
      timeoutMs,
      fetch,
    });
  }

  #shape<T>(action: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new LegerError(
        "ERR_API_ERROR",
        `Cannot ${action}: ${this.apiUrl} answered a document leger does not understand: ${error.message}`,
        {
          cause: error,
          remedy:
            "Check that LEGER_API_URL points at the leger.run API, or update leger (`leger --version`)",
        },
      );
    }
  }
}

function readRelease(value: unknown, what: string): Release {
  const release = record(value, what);
  return {
    id: String(release.id ?? ""),
    user_uuid: text(release, "user_uuid", what),
    name: text(release, "name", what),
    version: number(release, "version", what),
    created_at: optionalText(release, "created_at", what) ?? "",
    updated_at: optionalText(release, "updated_at", what) ?? "",
  };
}

function readDeployment(deployment: Record<string, unknown>): Deployment {
  const what = "data.deployment";
  return {
    id: String(deployment.id ?? ""),
    release_id: String(deployment.release_id ?? ""),
    user_uuid: text(deployment, "user_uuid", what),
    status: text(deployment, "status", what),
    r2_path: optionalText(deployment, "r2_path", what),
    manifest_url: optionalText(deployment, "manifest_url", what),
    error_message: optionalText(deployment, "error_message", what),
    started_at: optionalText(deployment, "started_at", what),
    completed_at: optionalText(deployment, "completed_at", what),
  };
}

function readSecret(
  value: unknown,
  what: string,
  withValue: boolean,
): SecretMetadata | SecretValue {
  const secret = record(value, what);
  const label = optionalText(secret, "label", what);
  const updatedAt = optionalText(secret, "updated_at", what);
  const metadata: SecretMetadata = {
    name: text(secret, "name", what),
    ...(label === null ? {} : { label }),
    version: number(secret, "version", what),
    created_at: optionalText(secret, "created_at", what) ?? "",
    ...(updatedAt === null ? {} : { updated_at: updatedAt }),
  };
  if (!withValue) return metadata;
  const secretValue = secret.value;
  if (typeof secretValue !== "string") {
    throw new TypeError(`${what}.value is not a string`);
  }
  return { ...metadata, value: secretValue };
}
