import { LegerRunClient } from "../../../../lib/api/leger_run_client.ts";
import { readLegerRunUrls } from "../../../../lib/api/read_leger_run_urls.ts";
import { requireAuthState } from "../../../../lib/auth/require_auth_state.ts";
import { redactUrl } from "../../../../lib/errors/redact_url.ts";
import type { CommandDeps } from "../../../deps.ts";

/**
 * The leger.run API client of `leger secrets set|delete`, with the token of
 * auth.json (checked locally first, so that nobody types a value only to be
 * told to log in), and the web UI's URL.
 *
 * Requires `--allow-read` for auth.json and leger's config, `--allow-env`
 * and `--allow-net` for the API's host.
 *
 * @param deps The context, the clock and `fetch`.
 * @param action What the command does, for a missing or expired login's error.
 * @returns The client and the web UI's URL (without credentials).
 * @throws {LegerError} `ERR_LEGER_NOT_AUTHENTICATED` without a valid login;
 * what `readLegerRunUrls` throws.
 *
 * @example Usage
 * ```ts ignore
 * import { legerRunForSecrets } from "./leger_run_for_secrets.ts";
 * const { client } = await legerRunForSecrets(deps, `store secret "x"`);
 * ```
 */
export async function legerRunForSecrets(
  deps: Pick<CommandDeps, "context" | "now" | "fetch">,
  action: string,
): Promise<{ client: LegerRunClient; webUrl: string }> {
  const { context } = deps;
  const urls = await readLegerRunUrls(context);
  const state = await requireAuthState(context, { now: deps.now(), action });
  return {
    client: new LegerRunClient(urls.api, {
      token: state.token,
      webUrl: urls.web,
      fetch: deps.fetch,
    }),
    webUrl: redactUrl(urls.web),
  };
}
