import { fromSystemError } from "../errors/from_system_error.ts";
import { parseLegerConfig } from "./parse_leger_config.ts";
import {
  type LegerRunUrls,
  resolveLegerRunUrls,
} from "./resolve_leger_run_urls.ts";

/**
 * leger.run's base URLs for this user: `LEGER_API_URL`, `LEGER_STATIC_URL`,
 * `LEGER_WEB_URL`, else `$XDG_CONFIG_HOME/leger/config.yaml` (`api_url`,
 * `static_url`, `web_url`), else leger.run's own.
 *
 * Requires `--allow-env` and `--allow-read` for the config file.
 *
 * @param pathEnv The home folder and a reader of environment variables.
 * @returns The API, static-file and web URLs.
 * @throws {LegerError} `ERR_CONFIG_INVALID` for a config file that cannot be
 * read as YAML, `ERR_NETWORK_NOT_ALLOWED` for a host leger may not reach.
 *
 * @example Usage
 * ```ts
 * import { readLegerRunUrls } from "./read_leger_run_urls.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const urls = await readLegerRunUrls({ home: "/nonexistent", env: () => undefined });
 * strictEqual(urls.api, "https://api.leger.run");
 * ```
 */
export async function readLegerRunUrls(
  pathEnv: { home: string; env(name: string): string | undefined },
): Promise<LegerRunUrls> {
  const configHome = pathEnv.env("XDG_CONFIG_HOME");
  const dir = configHome?.startsWith("/")
    ? configHome
    : `${pathEnv.home}/.config`;
  const file = `${dir}/leger/config.yaml`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw fromSystemError(error, { action: "read", path: file }) ?? error;
    }
    return resolveLegerRunUrls(pathEnv.env);
  }
  return resolveLegerRunUrls(pathEnv.env, {
    config: parseLegerConfig(text, { file }),
    configFile: file,
  });
}
