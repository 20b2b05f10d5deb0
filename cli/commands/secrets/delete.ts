/**
 * `leger secrets delete NAME [--yes] [--scope …] [--json]`: deletes a
 * secret from leger.run (`DELETE /secrets/NAME`). Podman keeps the copy
 * legerd wrote while an installed unit uses it (legerd reports it missing)
 * and removes it once none does.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { LegerRunApiError } from "../../../lib/api/leger_run_api_error.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import { checkSecretName } from "../../../lib/secrets/check_secret_name.ts";
import { confirm } from "../../confirm.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { legerRunForSecrets } from "./shared/leger_run_for_secrets.ts";

/** The options of `leger secrets delete`. */
export interface DeleteOptions {
  /** The secret's name. */
  name: string;
  /** Do not ask. */
  yes: boolean;
  /** `--scope` (accepted as by every secrets command; the API has none). */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** What `leger secrets delete --json` prints. */
export interface DeleteDocument {
  /** The secret's name. */
  name: string;
  /** Always `true`: a secret that was not there is an error. */
  deleted: true;
}

/** Reads the command line of `leger secrets delete`. */
export function parse(line: CommandLine): DeleteOptions {
  return {
    name: line.args[0],
    yes: flag(line, "yes"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * Deletes the secret after asking on a terminal (`--yes` skips the
 * question; without a terminal it is required).
 *
 * @param options The name, `--yes`, `--json`.
 * @param deps The context, `fetch` and the clock.
 * @returns 0, or 1 when the question was answered no.
 * @throws {LegerError} `ERR_SECRET_NAME_INVALID`; `ERR_CONFIRMATION_REQUIRED`
 * without a terminal or `--yes`; `ERR_LEGER_NOT_AUTHENTICATED`;
 * `ERR_SECRET_NOT_FOUND` when leger.run has no such secret; the errors of
 * the leger.run API.
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./delete.ts";
 * const code = await run({ name: "api_token", yes: true, json: false }, deps);
 * ```
 */
export async function run(
  options: DeleteOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const { name } = options;
  checkSecretName(name);
  const action = `delete secret "${name}"`;
  const { client, webUrl } = await legerRunForSecrets(deps, action);
  if (!options.yes) {
    const question = `Delete secret "${name}" from leger.run?`;
    if (!await confirm(question, { context, yesFlag: "--yes" })) {
      context.err("Nothing was deleted.\n");
      return 1;
    }
  }
  try {
    await client.deleteSecret(name);
  } catch (error) {
    if (error instanceof LegerRunApiError && error.apiCode === "not_found") {
      // No cause: leger.run's own words ("Secret not found: NAME") would
      // only say it again.
      throw new LegerError(
        "ERR_SECRET_NOT_FOUND",
        `Cannot ${action}: leger.run has no secret of that name`,
        {
          remedy:
            `Check the name in the web UI at ${webUrl} (a secret created in the last minute may not show yet)`,
        },
      );
    }
    throw error;
  }
  if (options.json) {
    const document: DeleteDocument = { name, deleted: true };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  context.out(
    `${context.stdoutIsTerminal ? "✓ " : ""}Deleted ${name} from leger.run\n`,
  );
  context.err(
    `Podman keeps legerd's copy while an installed unit uses ${name} (\`leger secrets list\` shows it missing); legerd removes it once none does.\n`,
  );
  return 0;
}
