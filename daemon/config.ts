/**
 * legerd's config file, `legerd.yaml`: how often to poll leger.run, whether a
 * rotation restarts the services that use the secret, and the scope legerd
 * serves.
 *
 * ```yaml
 * # ~/.config/leger/legerd.yaml (user) or /etc/leger/legerd.yaml (system)
 * poll_interval: 5m     # 10s … 24h, ±10 % jitter
 * restart: on-rotation  # or never
 * scope: user           # user or system; must match the user legerd runs as
 * ```
 *
 * @module
 */
import { load, YAMLException } from "js-yaml";
import type { Scope } from "../lib/adapters/scope.ts";
import { fromSystemError, LegerError } from "../lib/errors/mod.ts";
import type { RestartPolicy } from "../lib/secrets/plan_reconcile.ts";
import type { PathEnv } from "../lib/state/paths.ts";
import { closestName } from "../lib/validate/closest_name.ts";
import { formatDuration, parseDuration } from "./duration.ts";

/** What legerd.yaml sets, with the defaults filled in. */
export interface LegerdConfig {
  /** `poll_interval`, in milliseconds, before jitter. */
  pollIntervalMs: number;
  /** `restart`: whether a changed secret restarts the running services that use it. */
  restart: RestartPolicy;
  /** `scope`, when the file names one. */
  scope?: Scope;
}

/** The config of a missing or empty legerd.yaml: poll every 5 minutes, restart on rotation. */
export const DEFAULT_LEGERD_CONFIG: Readonly<LegerdConfig> = Object.freeze({
  pollIntervalMs: 300_000,
  restart: "on-rotation",
});

/** The shortest `poll_interval`: leger.run answers one list per poll, 10 s keeps that light. */
export const MIN_POLL_INTERVAL_MS = 10_000;
/** The longest `poll_interval`: a day, beyond which rotations would wait too long. */
export const MAX_POLL_INTERVAL_MS = 86_400_000;

const FIELDS = ["poll_interval", "restart", "scope"] as const;
const RESTART_POLICIES: readonly RestartPolicy[] = ["on-rotation", "never"];
const SCOPES: readonly Scope[] = ["user", "system"];

/** Options for {@linkcode parseLegerdConfig}. */
export interface ParseLegerdConfigOptions {
  /** The file's path, for messages. */
  file: string;
  /**
   * The user legerd runs as: a `scope` that does not fit it (`system` for
   * anyone but root, `user` for root) is refused.
   */
  uid: number;
}

/**
 * Parses legerd.yaml. An empty file (or only comments) is the defaults
 * ({@linkcode DEFAULT_LEGERD_CONFIG}); every field is optional.
 *
 * `scope` must match the user legerd runs as. The system scope is root's:
 * its units are in `/etc/containers/systemd` and its secrets in root's
 * Podman store. Root has no user scope of its own: Podman reads root's
 * quadlets only from the system folders, and a second legerd of root would
 * manage the same Podman secrets as the system one, each removing the
 * other's as orphans.
 *
 * @param text The file's text.
 * @param options The file's path and the uid legerd runs as.
 * @returns The config, defaults filled in.
 * @throws {LegerError} `ERR_CONFIG_INVALID` naming the file, the field, its
 * line when it can be found, and the fix: YAML that does not parse, a
 * document that is not a mapping, an unknown field (with the known ones and
 * the closest), a value of the wrong kind or out of range, a scope that does
 * not fit the user.
 *
 * @example Usage
 * ```ts
 * import { parseLegerdConfig } from "./config.ts";
 * import { deepStrictEqual, throws } from "node:assert/strict";
 *
 * deepStrictEqual(
 *   parseLegerdConfig("poll_interval: 30s\nrestart: never\n", { file: "legerd.yaml", uid: 1000 }),
 *   { pollIntervalMs: 30_000, restart: "never" },
 * );
 * throws(
 *   () => parseLegerdConfig("pol_interval: 30s\n", { file: "legerd.yaml", uid: 1000 }),
 *   /unknown field "pol_interval" at line 1 \(did you mean "poll_interval"\?\)/,
 * );
 * ```
 */
export function parseLegerdConfig(
  text: string,
  options: ParseLegerdConfigOptions,
): LegerdConfig {
  const { file, uid } = options;
  const document = loadDocument(text, file);
  if (document === null || document === undefined) {
    return { ...DEFAULT_LEGERD_CONFIG };
  }
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new LegerError(
      "ERR_CONFIG_INVALID",
      `Cannot read ${file}: expected fields such as "poll_interval: 5m", found ${
        Array.isArray(document)
          ? "a list"
          : `the ${typeof document} ${JSON.stringify(document)}`
      }`,
      {
        file,
        remedy: `Write one field per line (${
          FIELDS.join(", ")
        }), as in "poll_interval: 5m"`,
      },
    );
  }
  const config: LegerdConfig = { ...DEFAULT_LEGERD_CONFIG };
  for (const [field, value] of Object.entries(document)) {
    const at = { file, line: lineOf(text, field) };
    switch (field) {
      case "poll_interval":
        config.pollIntervalMs = readInterval(value, at);
        break;
      case "restart":
        config.restart = readChoice(value, RESTART_POLICIES, field, at);
        break;
      case "scope":
        config.scope = checkScope(
          readChoice(value, SCOPES, field, at),
          uid,
          at,
        );
        break;
      default:
        throw unknownField(field, at);
    }
  }
  return config;
}

/**
 * Where legerd reads its config: `$XDG_CONFIG_HOME/leger/legerd.yaml`
 * (`~/.config/leger/legerd.yaml` when the variable is unset or relative) for
 * a user's legerd, `/etc/leger/legerd.yaml` for the system's.
 *
 * @param scope The scope legerd serves.
 * @param pathEnv The home folder and a reader of environment variables.
 * @returns The file's path.
 *
 * @example Usage
 * ```ts
 * import { legerdConfigPath } from "./config.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const pathEnv = { home: "/home/ada", env: () => undefined };
 * strictEqual(legerdConfigPath("user", pathEnv), "/home/ada/.config/leger/legerd.yaml");
 * strictEqual(legerdConfigPath("system", pathEnv), "/etc/leger/legerd.yaml");
 * ```
 */
export function legerdConfigPath(scope: Scope, pathEnv: PathEnv): string {
  if (scope === "system") return "/etc/leger/legerd.yaml";
  const configHome = pathEnv.env("XDG_CONFIG_HOME");
  const dir = configHome !== undefined && configHome.startsWith("/")
    ? configHome
    : `${pathEnv.home}/.config`;
  return `${dir}/leger/legerd.yaml`;
}

/** Options for {@linkcode loadLegerdConfig}. */
export interface LoadLegerdConfigOptions {
  /** The uid legerd runs as (see {@linkcode parseLegerdConfig}). */
  uid: number;
  /**
   * Whether the file must exist: a path given with `--config` must, the
   * default path need not (a missing file is the defaults).
   *
   * @default {false}
   */
  required?: boolean;
  /**
   * Reads the file.
   *
   * @default {Deno.readTextFile}
   */
  readTextFile?: (path: string) => Promise<string>;
}

/**
 * Reads and parses legerd.yaml. Requires `--allow-read` for the file.
 *
 * @param path The file.
 * @param options The uid, whether the file must exist, and the reader.
 * @returns The config; the defaults when the file is missing and not required.
 * @throws {LegerError} What {@linkcode parseLegerdConfig} throws;
 * `ERR_CONFIG_INVALID` for a required file that is missing; what
 * `fromSystemError` makes of a file that cannot be read.
 *
 * @example Usage
 * ```ts ignore
 * import { legerdConfigPath, loadLegerdConfig } from "./config.ts";
 * const config = await loadLegerdConfig(legerdConfigPath("user", pathEnv), { uid: 1000 });
 * ```
 */
export async function loadLegerdConfig(
  path: string,
  options: LoadLegerdConfigOptions,
): Promise<LegerdConfig> {
  const { uid, required = false, readTextFile = Deno.readTextFile } = options;
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw fromSystemError(error, { action: "read", path }) ?? error;
    }
    if (!required) return { ...DEFAULT_LEGERD_CONFIG };
    throw new LegerError(
      "ERR_CONFIG_INVALID",
      `Cannot read legerd's config ${path}: there is no such file`,
      {
        file: path,
        cause: error,
        remedy:
          "Check the path given to --config, or drop --config to use legerd.yaml in its usual place",
      },
    );
  }
  return parseLegerdConfig(text, { file: path, uid });
}

interface At {
  file: string;
  line: number | undefined;
}

function loadDocument(text: string, file: string): unknown {
  // js-yaml 5 refuses an empty document; a config with nothing set is fine.
  const meaningful = text.split("\n").some((line) => {
    const trimmed = line.trim();
    return trimmed !== "" && !trimmed.startsWith("#");
  });
  if (!meaningful) return null;
  try {
    return load(text, { filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = error.mark === undefined ? undefined : error.mark.line + 1;
    throw new LegerError(
      "ERR_CONFIG_INVALID",
      `Cannot parse ${file} as YAML${
        line === undefined ? "" : ` at line ${line}`
      }: ${error.reason}`,
      {
        file,
        line,
        cause: error,
        remedy: `Correct the YAML${
          line === undefined ? "" : ` at line ${line}`
        } (indentation, a missing ":" or an unclosed quote), or move the file aside to use the defaults`,
      },
    );
  }
}

function readInterval(value: unknown, at: At): number {
  const range = `between ${formatDuration(MIN_POLL_INTERVAL_MS)} and ${
    formatDuration(MAX_POLL_INTERVAL_MS)
  }`;
  const remedy =
    `Write poll_interval as a duration ${range}, such as "poll_interval: 5m" (units: s, m, h)`;
  if (typeof value !== "string") {
    const hint = typeof value === "number"
      ? ` (a unit is needed: ${value}s?)`
      : "";
    throw invalidValue(
      "poll_interval",
      value,
      `expected a duration such as 30s, 5m or 1h${hint}`,
      {
        ...at,
        remedy,
      },
    );
  }
  let ms: number;
  try {
    ms = parseDuration(value.trim());
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw invalidValue(
      "poll_interval",
      value,
      "expected a duration such as 30s, 5m, 1h or 1h30m",
      {
        ...at,
        remedy,
      },
    );
  }
  if (ms < MIN_POLL_INTERVAL_MS || ms > MAX_POLL_INTERVAL_MS) {
    throw invalidValue("poll_interval", value, `it must be ${range}`, {
      ...at,
      remedy,
    });
  }
  return ms;
}

function readChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
  field: string,
  at: At,
): T {
  if (
    typeof value === "string" && (choices as readonly string[]).includes(value)
  ) {
    return value as T;
  }
  const closest = typeof value === "string"
    ? closestName(value, choices)
    : undefined;
  return failChoice(field, value, choices, closest, at);
}

function failChoice(
  field: string,
  value: unknown,
  choices: readonly string[],
  closest: string | undefined,
  at: At,
): never {
  throw invalidValue(
    field,
    value,
    `expected ${choices.map((choice) => `"${choice}"`).join(" or ")}${
      closest === undefined ? "" : ` (did you mean "${closest}"?)`
    }`,
    {
      ...at,
      remedy: `Write "${field}: ${
        closest ?? choices[0]
      }", or remove the line for the default`,
    },
  );
}

function checkScope(scope: Scope, uid: number, at: At): Scope {
  if (scope === "system" && uid !== 0) {
    throw new LegerError(
      "ERR_CONFIG_INVALID",
      `Cannot use ${at.file}: scope${
        lineText(at)
      } is "system" but legerd runs as uid ${uid}; the system scope is root's (units in /etc/containers/systemd, secrets in root's Podman)`,
      {
        file: at.file,
        line: at.line,
        remedy:
          'Run the system legerd as root (`sudo systemctl enable --now legerd`), or write "scope: user" (or remove the line) for your own legerd',
      },
    );
  }
  if (scope === "user" && uid === 0) {
    throw new LegerError(
      "ERR_CONFIG_INVALID",
      `Cannot use ${at.file}: scope${
        lineText(at)
      } is "user" but legerd runs as root; root's quadlets and Podman secrets are the system scope's, which a user-scope legerd would fight over`,
      {
        file: at.file,
        line: at.line,
        remedy:
          'Write "scope: system" (or remove the line); to serve a user\'s units, run legerd as that user (`systemctl --user enable --now legerd`)',
      },
    );
  }
  return scope;
}

function unknownField(field: string, at: At): LegerError {
  const closest = closestName(field, FIELDS);
  return new LegerError(
    "ERR_CONFIG_INVALID",
    `Cannot read ${at.file}: unknown field "${field}"${lineText(at)}${
      closest === undefined ? "" : ` (did you mean "${closest}"?)`
    }; legerd.yaml knows ${FIELDS.join(", ")}`,
    {
      file: at.file,
      line: at.line,
      remedy: closest === undefined
        ? `Remove the line, or use one of ${FIELDS.join(", ")}`
        : `Rename "${field}" to "${closest}"`,
    },
  );
}

function invalidValue(
  field: string,
  value: unknown,
  problem: string,
  details: At & { remedy: string },
): LegerError {
  return new LegerError(
    "ERR_CONFIG_INVALID",
    `Cannot read ${details.file}: ${field}${lineText(details)} is ${
      describe(value)
    }: ${problem}`,
    { file: details.file, line: details.line, remedy: details.remedy },
  );
}

function describe(value: unknown): string {
  if (value === null) return "empty";
  if (typeof value === "string") return `"${value}"`;
  if (typeof value === "object") {
    return Array.isArray(value) ? "a list" : "a mapping";
  }
  return String(value);
}

function lineText(at: At): string {
  return at.line === undefined ? "" : ` at line ${at.line}`;
}

/** The 1-based line of a top-level field, found in the text (js-yaml gives no positions for values). */
function lineOf(text: string, field: string): number | undefined {
  const lines = text.split("\n");
  const pattern = new RegExp(
    `^(["']?)${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1\\s*:`,
  );
  const index = lines.findIndex((line) => pattern.test(line));
  return index === -1 ? undefined : index + 1;
}
