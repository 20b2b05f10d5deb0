import { load } from "js-yaml";
import { fromSystemError } from "../errors/from_system_error.ts";
import { LegerError } from "../errors/mod.ts";
import type { BackupContext } from "./types.ts";

/** What leger's config file says about backups. */
export interface BackupConfig {
  /**
   * How many automatic backups to keep of each deployment (`backups.keep`);
   * 0 when automatic backups are off (an update takes none).
   */
  keep: number;
  /** The file read, or `null` when there is none. */
  file: string | null;
}

/** Automatic backups kept of each deployment when the config says nothing. */
export const DEFAULT_KEEP = 5;

/**
 * Reads the `backups` settings of leger's config file of the scope —
 * `$XDG_CONFIG_HOME/leger/config.yaml` (`~/.config/leger/config.yaml`) for
 * the user scope, `/etc/leger/config.yaml` for the system scope:
 *
 * ```yaml
 * backups:
 *   keep: 5   # automatic backups kept per deployment (0-1000); manual ones are never removed
 * ```
 *
 * `keep: 0` turns automatic backups off: `leger deploy update` (and the
 * update timer) then takes none, and says so.
 *
 * The file's other keys (leger.run's addresses) are not this function's. A
 * missing file, or one without `backups`, gives the defaults.
 *
 * Requires `--allow-read` for the file.
 *
 * @param context The scope and its environment.
 * @returns The settings, with the file they came from.
 * @throws {LegerError} `ERR_CONFIG_INVALID` naming the file and the key.
 *
 * @example Usage
 * ```ts
 * import { readBackupConfig } from "./read_backup_config.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   await readBackupConfig({ scope: "user", home: "/nonexistent", env: () => undefined }),
 *   { keep: 5, file: null },
 * );
 * ```
 */
export async function readBackupConfig(
  context: Pick<BackupContext, "scope" | "home" | "env">,
): Promise<BackupConfig> {
  const file = configFile(context);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { keep: DEFAULT_KEEP, file: null };
    }
    throw fromSystemError(error, { action: "read", path: file }) ?? error;
  }
  return { keep: parseKeep(text, file), file };
}

function configFile(context: Pick<BackupContext, "scope" | "home" | "env">) {
  if (context.scope === "system") return "/etc/leger/config.yaml";
  const home = context.env("XDG_CONFIG_HOME");
  return `${
    home?.startsWith("/") ? home : `${context.home}/.config`
  }/leger/config.yaml`;
}

function parseKeep(text: string, file: string): number {
  const meaningful = text.split("\n").some((line) =>
    line.trim() !== "" && !line.trim().startsWith("#")
  );
  if (!meaningful) return DEFAULT_KEEP;
  let document: unknown;
  try {
    document = load(text);
  } catch (error) {
    throw invalid(file, (error as Error).message.split("\n")[0], error);
  }
  if (typeof document !== "object" || document === null) return DEFAULT_KEEP;
  const backups = (document as Record<string, unknown>).backups;
  if (backups === undefined || backups === null) return DEFAULT_KEEP;
  if (typeof backups !== "object" || Array.isArray(backups)) {
    throw invalid(
      file,
      "backups must be a mapping such as `backups: {keep: 5}`",
    );
  }
  for (const key of Object.keys(backups)) {
    if (key !== "keep") {
      throw invalid(file, `unknown key "backups.${key}" (known: backups.keep)`);
    }
  }
  const keep = (backups as Record<string, unknown>).keep;
  if (keep === undefined) return DEFAULT_KEEP;
  if (
    typeof keep !== "number" || !Number.isInteger(keep) || keep < 0 ||
    keep > 1000
  ) {
    throw invalid(
      file,
      `backups.keep must be a whole number from 0 to 1000: current value is ${
        JSON.stringify(keep)
      }`,
    );
  }
  return keep;
}

function invalid(file: string, why: string, cause?: unknown): LegerError {
  return new LegerError("ERR_CONFIG_INVALID", `Cannot read ${file}: ${why}`, {
    file,
    cause,
    remedy:
      `Correct ${file} (\`backups: {keep: 5}\` keeps the last five automatic backups of each deployment, \`keep: 0\` takes none), or remove the key to use the default; \`leger deploy update --no-backup\` updates without reading it`,
  });
}
