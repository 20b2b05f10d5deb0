import { load } from "js-yaml";
import { LegerError } from "../errors/mod.ts";
import type { LegerRunUrls } from "./resolve_leger_run_urls.ts";

const KEYS: Record<string, keyof LegerRunUrls> = {
  api_url: "api",
  static_url: "static",
  web_url: "web",
};

/** Keys of the same file that other parts of leger read (`backups`: lib/backup). */
const OTHER_KEYS: ReadonlySet<string> = new Set(["backups"]);

/**
 * Parses leger's config file (`~/.config/leger/config.yaml`): the base URLs
 * of a self-hosted or local leger.run, as `api_url`, `static_url` and
 * `web_url`. An empty file is an empty config. `backups` is read by
 * `readBackupConfig` (lib/backup) and left alone here.
 *
 * @param text The file's text.
 * @param options `file`: its path, for messages.
 * @returns The URLs it sets.
 * @throws {LegerError} `ERR_CONFIG_INVALID` naming the file and the key.
 *
 * @example Usage
 * ```ts
 * import { parseLegerConfig } from "./parse_leger_config.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(parseLegerConfig("api_url: http://127.0.0.1:8787\n", { file: "config.yaml" }), {
 *   api: "http://127.0.0.1:8787",
 * });
 * ```
 */
export function parseLegerConfig(
  text: string,
  options: { file: string },
): Partial<LegerRunUrls> {
  const { file } = options;
  // js-yaml 5 refuses an empty document; a config with nothing set is fine.
  const meaningful = text.split("\n").some((line) => {
    const trimmed = line.trim();
    return trimmed !== "" && !trimmed.startsWith("#");
  });
  if (!meaningful) return {};
  let document: unknown;
  try {
    document = load(text);
  } catch (error) {
    throw invalid(file, (error as Error).message.split("\n")[0], error);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw invalid(file, "expected keys such as api_url: https://…");
  }
  const urls: Partial<LegerRunUrls> = {};
  for (const [key, value] of Object.entries(document)) {
    if (OTHER_KEYS.has(key)) continue;
    const target = KEYS[key];
    if (target === undefined) {
      throw invalid(
        file,
        `unknown key "${key}" (known: ${Object.keys(KEYS).join(", ")})`,
      );
    }
    if (typeof value !== "string") {
      throw invalid(
        file,
        `${key} must be a URL in quotes or plain text: current value is ${
          JSON.stringify(value)
        }`,
      );
    }
    urls[target] = value;
  }
  return urls;
}

function invalid(file: string, why: string, cause?: unknown): LegerError {
  return new LegerError("ERR_CONFIG_INVALID", `Cannot read ${file}: ${why}`, {
    file,
    cause,
    remedy: `Correct ${file}, or remove it to use leger.run's own addresses`,
  });
}
