import { readLegerRunUrls } from "../lib/api/read_leger_run_urls.ts";
import { LegerError } from "../lib/errors/leger_error.ts";
import { redactUrl } from "../lib/errors/redact_url.ts";
import type { CliContext } from "./context.ts";

/**
 * The web UI's URL (`LEGER_WEB_URL`, `web_url` of config.yaml, else
 * `https://app.leger.run`), to say where a secret is added. A config that
 * cannot be read gives leger.run's own URL: this only words a hint, and the
 * next command that needs the config reports it.
 *
 * Requires `--allow-env` and `--allow-read` for the config file.
 *
 * @param context The home folder and the environment.
 * @returns The URL, without credentials.
 *
 * @example Usage
 * ```ts
 * import { webUiUrl } from "./web_ui_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const env = (name: string) => name === "LEGER_WEB_URL" ? "http://127.0.0.1:8787/app" : undefined;
 * strictEqual(await webUiUrl({ home: "/nonexistent", env }), "http://127.0.0.1:8787/app");
 * ```
 */
export async function webUiUrl(
  context: Pick<CliContext, "home" | "env">,
): Promise<string> {
  try {
    return redactUrl((await readLegerRunUrls(context)).web);
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return "https://app.leger.run";
  }
}
