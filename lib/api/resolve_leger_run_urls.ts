import { checkAllowedUrl } from "./check_allowed_url.ts";

/** The base URLs of leger.run, without trailing slashes. */
export interface LegerRunUrls {
  /** The API (`LEGER_API_URL`). */
  api: string;
  /** The rendered deployments (`LEGER_STATIC_URL`). */
  static: string;
  /** The web UI, for "visit the web UI" hints (`LEGER_WEB_URL`). */
  web: string;
}

/** The contract's default base URLs. */
export const DEFAULT_LEGER_RUN_URLS: LegerRunUrls = {
  api: "https://api.leger.run",
  static: "https://static.leger.run",
  web: "https://app.leger.run",
};

/** Options for {@linkcode resolveLegerRunUrls}. */
export interface ResolveLegerRunUrlsOptions {
  /**
   * Base URLs from leger's config file (`api_url`, `static_url`, `web_url`),
   * used where the environment names none.
   *
   * @default {{}}
   */
  config?: Partial<LegerRunUrls>;
  /**
   * The config file's path, for messages.
   *
   * @default {"config.yaml"}
   */
  configFile?: string;
}

/**
 * Resolves leger.run's base URLs from `LEGER_API_URL`, `LEGER_STATIC_URL` and
 * `LEGER_WEB_URL` (an empty value counts as unset), else from leger's config
 * file, else the defaults, and refuses up front any that leger's network
 * permission would not allow.
 *
 * @param env Reads an environment variable.
 * @param options The config file's values.
 * @returns The three base URLs.
 * @throws {LegerError} `ERR_NETWORK_NOT_ALLOWED` or `ERR_USAGE` (see `checkAllowedUrl`).
 *
 * @example Usage
 * ```ts
 * import { resolveLegerRunUrls } from "./resolve_leger_run_urls.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const env = { LEGER_API_URL: "http://127.0.0.1:8787/" } as Record<string, string>;
 * deepStrictEqual(resolveLegerRunUrls((name) => env[name]), {
 *   api: "http://127.0.0.1:8787",
 *   static: "https://static.leger.run",
 *   web: "https://app.leger.run",
 * });
 * ```
 */
export function resolveLegerRunUrls(
  env: (name: string) => string | undefined,
  options: ResolveLegerRunUrlsOptions = {},
): LegerRunUrls {
  const { config = {}, configFile = "config.yaml" } = options;
  const pick = (
    variable: string,
    key: keyof LegerRunUrls,
    fallback: string,
  ) => {
    const value = env(variable);
    if (value !== undefined && value !== "") {
      return checkAllowedUrl(value, { variable });
    }
    const configured = config[key];
    return configured === undefined
      ? checkAllowedUrl(fallback, { variable })
      : checkAllowedUrl(configured, {
        variable: `${key}_url in ${configFile}`,
      });
  };
  return {
    api: pick("LEGER_API_URL", "api", DEFAULT_LEGER_RUN_URLS.api),
    static: pick("LEGER_STATIC_URL", "static", DEFAULT_LEGER_RUN_URLS.static),
    web: pick("LEGER_WEB_URL", "web", DEFAULT_LEGER_RUN_URLS.web),
  };
}
