/**
 * legerd's command line: `legerd [--scope user|system] [--config PATH]
 * [--version] [--help]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Scope } from "../lib/adapters/scope.ts";
import { LegerError } from "../lib/errors/mod.ts";
import { closestName } from "../lib/validate/closest_name.ts";

/** legerd's one-line usage. */
export const LEGERD_USAGE =
  "legerd [--scope user|system] [--config PATH] [--version] [--help]";

/** A parsed command line. */
export interface LegerdArgs {
  /** `--scope`, when given. */
  scope?: Scope;
  /** `--config`, when given. */
  config?: string;
  /** `-V`, `--version`. */
  version: boolean;
  /** `-h`, `--help`. */
  help: boolean;
}

const OPTIONS = {
  scope: { type: "string" },
  config: { type: "string" },
  version: { type: "boolean", short: "V" },
  help: { type: "boolean", short: "h" },
} as const;
const SCOPES: readonly Scope[] = ["user", "system"];

/**
 * Parses legerd's arguments with `node:util`'s `parseArgs` (tokens mode,
 * as `leger`'s parser does). `-h`/`--help` before `--` wins over any
 * mistake, as in `leger`, and so does `--version`; otherwise an unknown flag
 * (with the closest known one), a flag without its value (an option word
 * is not a value: `--config --scope` lacks one), a flag given twice, a
 * scope other than `user` or `system`, or an argument is refused.
 *
 * @param argv The words after `legerd`.
 * @returns The flags.
 * @throws {LegerError} `ERR_USAGE` ("Cannot run legerd: …"), whose remedy
 * points at `legerd --help`.
 *
 * @example Usage
 * ```ts
 * import { parseLegerdArgs } from "./parse_legerd_args.ts";
 * import { deepStrictEqual, throws } from "node:assert/strict";
 *
 * deepStrictEqual(parseLegerdArgs(["--scope", "user", "--config=/tmp/l.yaml"]), {
 *   scope: "user", config: "/tmp/l.yaml", version: false, help: false,
 * });
 * throws(() => parseLegerdArgs(["--scop", "user"]), /unknown option '--scop' \(did you mean '--scope'\?\)/);
 * ```
 */
export function parseLegerdArgs(argv: readonly string[]): LegerdArgs {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const args: LegerdArgs = { version: false, help: false };
  const problems: string[] = [];
  const seen = new Set<string>();
  let afterDashes = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") {
      afterDashes = true;
      continue;
    }
    if (token.kind === "positional") {
      problems.push(
        `unexpected argument '${token.value}' (legerd takes no arguments)`,
      );
      continue;
    }
    const { name, rawName } = token;
    if (!Object.hasOwn(OPTIONS, name)) {
      const near = closestName(name, Object.keys(OPTIONS));
      problems.push(
        `unknown option '${rawName}'${
          near === undefined ? "" : ` (did you mean '--${near}'?)`
        }`,
      );
      continue;
    }
    if (name === "help" || name === "version") {
      // `--version=x` still asks for the version: nothing else would run.
      if (!afterDashes) args[name] = true;
      continue;
    }
    if (seen.has(name)) problems.push(`option '--${name}' is given twice`);
    seen.add(name);
    const value = token.value;
    if (
      value === undefined || value === "" ||
      (token.inlineValue === false && value.startsWith("-"))
    ) {
      problems.push(`option '--${name}' needs a value`);
      continue;
    }
    if (name === "config") {
      args.config = value;
    } else if ((SCOPES as readonly string[]).includes(value)) {
      args.scope = value as Scope;
    } else {
      const near = closestName(value, SCOPES);
      problems.push(
        `option '--scope' must be user or system, not '${value}'${
          near === undefined ? "" : ` (did you mean '${near}'?)`
        }`,
      );
    }
  }
  if (args.help || args.version || problems.length === 0) return args;
  throw new LegerError("ERR_USAGE", `Cannot run legerd: ${problems[0]}`, {
    remedy: "Run `legerd --help` for its flags",
  });
}
