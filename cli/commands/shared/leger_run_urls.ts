import { parseLegerConfig } from "../../../lib/api/parse_leger_config.ts";
import {
  type LegerRunUrls,
  resolveLegerRunUrls,
} from "../../../lib/api/resolve_leger_run_urls.ts";
import type { CliContext } from "../../context.ts";

/**
 * leger.run's base URLs for this user: `LEGER_API_URL`, `LEGER_STATIC_URL`,
 * `LEGER_WEB_URL`, else `$XDG_CONFIG_HOME/leger/config.yaml` (`api_url`,
 * `static_url`, `web_url`), else leger.run's own.
 *
 * Requires `--allow-env` and `--allow-read` for the config file.
 */
export async function legerRunUrls(
  context: Pick<CliContext, "env" | "home">,
): Promise<LegerRunUrls> {
  const configHome = context.env("XDG_CONFIG_HOME");
  const dir = configHome?.startsWith("/")
    ? configHome
    : `${context.home}/.config`;
  const file = `${dir}/leger/config.yaml`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return resolveLegerRunUrls(context.env);
  }
  return resolveLegerRunUrls(context.env, {
    config: parseLegerConfig(text, { file }),
    configFile: file,
  });
}
