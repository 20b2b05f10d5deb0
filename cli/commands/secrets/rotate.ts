/**
 * `leger secrets rotate NAME [--no-restart] [--yes] [--scope …] [--json]`:
 * has legerd fetch one secret from leger.run now, write it to Podman and
 * restart the running services that use it (`POST /v1/rotate`).
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { checkSecretName } from "../../../lib/secrets/check_secret_name.ts";
import { confirm } from "../../confirm.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdOf, legerdScope } from "../../legerd.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";

/** The options of `leger secrets rotate`. */
export interface RotateOptions {
  /** The secret. */
  name: string;
  /** Restart the running services that use it (`--no-restart` clears it). */
  restart: boolean;
  /** Do not ask. */
  yes: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print legerd's answer as one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger secrets rotate`. */
export function parse(line: CommandLine): RotateOptions {
  return {
    name: line.args[0],
    restart: line.options.restart !== false,
    yes: flag(line, "yes"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * Rotates the secret after asking on a terminal (`--yes` skips the
 * question; without a terminal it is required), then says which services
 * were restarted. `--json` prints legerd's answer (`RotateResult`).
 *
 * @param options The name, `--no-restart`, `--yes`, `--scope`, `--json`.
 * @param deps The context and legerd.
 * @returns 0, or 1 when the question was answered no.
 * @throws {LegerError} `ERR_SECRET_NAME_INVALID` for a name leger.run
 * cannot hold; `ERR_CONFIRMATION_REQUIRED` without a terminal or `--yes`;
 * `ERR_LEGERD_NOT_RUNNING` and legerd's own errors (leger.run lacks the
 * secret, a Podman secret leger did not create holds the name).
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./rotate.ts";
 * const code = await run({ name: "api_token", restart: true, yes: true, json: false }, deps);
 * ```
 */
export async function run(
  options: RotateOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const { name, restart } = options;
  checkSecretName(name);
  const scope = legerdScope(options.scope, context.uid);
  if (!options.yes) {
    const question = restart
      ? `Fetch "${name}" from leger.run now, replace it in Podman (${scope} scope) and restart the services that use it?`
      : `Fetch "${name}" from leger.run now and replace it in Podman (${scope} scope), leaving the services running?`;
    if (!await confirm(question, { context, yesFlag: "--yes" })) {
      context.err("Nothing was rotated.\n");
      return 1;
    }
  }
  const result = await legerdOf(deps, scope).rotate({ name, restart });
  if (options.json) {
    context.out(JSON.stringify(result, null, 2) + "\n");
    return 0;
  }
  const mark = context.stdoutIsTerminal ? "✓ " : "";
  const lines = [
    `${mark}Rotated ${result.name}: version ${result.version} of leger.run is in Podman${
      result.changed ? "" : " (the value had not changed)"
    }`,
    result.restarted.length > 0
      ? `Restarted: ${result.restarted.join(", ")}`
      : restart
      ? "Restarted: none (no running service uses it)"
      : "Not restarted (--no-restart): the running services keep the old value until they restart",
  ];
  context.out(lines.map((line) => `${line}\n`).join(""));
  return 0;
}
