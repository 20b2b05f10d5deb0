/**
 * Reading a parsed command line into typed options, for the commands'
 * `parse` functions.
 *
 * @module
 */
import type { Scope } from "../lib/adapters/scope.ts";
import { LegerError } from "../lib/errors/mod.ts";
import type { CommandLine } from "./spec.ts";

const SECONDS_REGEXP = /^[0-9]+(\.[0-9]+)?$/;

/**
 * Whether a boolean flag was given (`--json` → `flag(line, "json")`).
 *
 * @example Usage
 * ```ts
 * import { flag } from "./options.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(flag({ args: [], options: { json: true } }, "json"), true);
 * ```
 */
export function flag(line: CommandLine, name: string): boolean {
  return line.options[name] === true;
}

/**
 * The value of an option that takes one, or `undefined` when it was not given.
 *
 * @example Usage
 * ```ts
 * import { text } from "./options.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(text({ args: [], options: { source: "./app" } }, "source"), "./app");
 * ```
 */
export function text(line: CommandLine, name: string): string | undefined {
  const value = line.options[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * `--scope` (the parser has checked it is `user` or `system`), or
 * `undefined` for the default of the user running leger.
 *
 * @example Usage
 * ```ts
 * import { scopeOption } from "./options.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(scopeOption({ args: [], options: { scope: "system" } }), "system");
 * ```
 */
export function scopeOption(line: CommandLine): Scope | undefined {
  const value = line.options.scope;
  return value === "user" || value === "system" ? value : undefined;
}

/** Timers hold at most 2^31 − 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * `--timeout <seconds>` in milliseconds, or `undefined` when it was not
 * given (the fetch's own default then applies).
 *
 * @param line The command line.
 * @returns The time limit in milliseconds, or `undefined`.
 * @throws {LegerError} `ERR_USAGE` when the value is not a number of seconds
 * above 0.
 *
 * @example Usage
 * ```ts
 * import { timeoutOption } from "./options.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(timeoutOption({ args: [], options: { timeout: "90" } }), 90_000);
 * strictEqual(timeoutOption({ args: [], options: { timeout: "0.5" } }), 500);
 * strictEqual(timeoutOption({ args: [], options: {} }), undefined);
 * ```
 */
export function timeoutOption(line: CommandLine): number | undefined {
  const value = text(line, "timeout");
  if (value === undefined) return undefined;
  const ms = Math.round(Number(value) * 1000);
  // Timers hold at most 2^31 − 1 ms (about 24.8 days); a millisecond is the
  // least a fetch can be given.
  if (!SECONDS_REGEXP.test(value) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use --timeout "${value}": expected seconds from 0.001 to ${
        MAX_TIMEOUT_MS / 1000
      }`,
      { remedy: "Pass the seconds a fetch may take, such as `--timeout 120`" },
    );
  }
  return ms;
}

/** The options of commands that read one deployment: `[deployment] [--scope …] [--json]`. */
export interface DeploymentOptions {
  /** The deployment named, or `undefined` for the only one there is. */
  deployment?: string;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/**
 * Reads `[deployment] [--scope …] [--json]`.
 *
 * @example Usage
 * ```ts
 * import { deploymentOptions } from "./options.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(deploymentOptions({ args: ["web"], options: { json: true } }), {
 *   deployment: "web", scope: undefined, json: true,
 * });
 * ```
 */
export function deploymentOptions(line: CommandLine): DeploymentOptions {
  return {
    deployment: line.args[0],
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}
