/**
 * `leger secrets delete NAME [--yes] [--scope …] [--json]`: deletes a
 * secret from leger.run (`DELETE /secrets/NAME`), then, when legerd runs,
 * has it sync so that `leger secrets list` shows the deletion at once.
 * Podman keeps the copy legerd wrote while an installed unit uses it
 * (legerd reports it missing) and legerd removes it once none does.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { LegerRunApiError } from "../../../lib/api/leger_run_api_error.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import { checkSecretName } from "../../../lib/secrets/check_secret_name.ts";
import type {
  SecretStatus,
  SyncResult,
} from "../../../lib/secrets/control_api.ts";
import { confirm } from "../../confirm.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdOf, legerdScope, legerdStartCommand } from "../../legerd.ts";
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
 * question; without a terminal it is required), then asks legerd, when it
 * runs, to sync that secret (all of them for one no unit uses, so that its
 * copy goes), and says what Podman keeps: legerd's copy while an installed
 * unit uses the secret, only when there is one. A legerd that does not run
 * or fails changes nothing to the exit code: leger.run no longer has it.
 *
 * @param options The name, `--yes`, `--scope` (whose legerd to ask), `--json`.
 * @param deps The context, `fetch`, the clock and legerd.
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
  if (!options.json) {
    context.out(
      `${context.stdoutIsTerminal ? "✓ " : ""}Deleted ${name} from leger.run\n`,
    );
  }
  const scope = legerdScope(options.scope, context.uid);
  const outcome = await tellLegerd(deps, scope, name);
  if (options.json) {
    const document: DeleteDocument = { name, deleted: true };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  const note = afterDelete(name, scope, outcome);
  if (note !== "") context.err(note);
  return 0;
}

/** What legerd knew of the secret and did after the delete. */
type Outcome =
  | { state: "unknown" | "unmanaged" }
  | { state: "synced"; known: SecretStatus; sync: SyncResult }
  | { state: "not_running" | "failed"; error: LegerError };

/**
 * Has legerd sync the deleted secret: it then reports it missing (and
 * keeps Podman's copy while a unit uses it), or removes the copy no unit
 * uses. Nothing is asked for a secret legerd does not know or leaves alone.
 */
async function tellLegerd(
  deps: CommandDeps,
  scope: Scope,
  name: string,
): Promise<Outcome> {
  const legerd = legerdOf(deps, scope);
  try {
    const known = (await legerd.secrets()).find((s) => s.name === name);
    if (known === undefined) return { state: "unknown" };
    if (known.state === "unmanaged") return { state: "unmanaged" };
    // A sync of named secrets never removes one: an orphan goes in a full sync.
    const sync = await legerd.sync(
      known.state === "orphan" ? {} : { secrets: [name] },
    );
    return { state: "synced", known, sync };
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return {
      state: error.code === "ERR_LEGERD_NOT_RUNNING" ? "not_running" : "failed",
      error,
    };
  }
}

/** What the person is told of Podman's copy after the delete; `""` for nothing. */
function afterDelete(name: string, scope: Scope, outcome: Outcome): string {
  switch (outcome.state) {
    case "unknown":
      // No unit uses it and Podman has no copy of legerd's: nothing to say.
      return "";
    case "unmanaged":
      return `Podman's own secret ${name}, which leger did not create, stays: legerd leaves it alone.\n`;
    case "not_running":
      return `legerd is not running, so Podman keeps any copy of ${name} legerd wrote; start legerd with \`${
        legerdStartCommand(scope)
      }\` to bring Podman in step.\n`;
    case "failed":
      return `Warning: ${outcome.error.message}\n${
        outcome.error.remedy ?? ""
      }\nlegerd brings Podman in step at its next poll [${outcome.error.code}]\n`;
  }
  const { known, sync } = outcome;
  if (known.state === "orphan") {
    return sync.applied.removed.includes(name)
      ? `legerd removed its copy of ${name} from Podman: no installed unit uses it.\n`
      : `legerd removes its copy of ${name} from Podman at a later poll: no installed unit uses it.\n`;
  }
  const missing = sync.plan.missing.find((m) => m.name === name);
  const inPodman = missing?.in_podman ??
    [...sync.plan.unchanged, ...sync.applied.created, ...sync.applied.replaced]
      .includes(name);
  const units = known.used_by.join(", ");
  const podman = inPodman
    ? `Podman keeps legerd's copy while an installed unit uses ${name}${
      missing === undefined ? "" : " (`leger secrets list` shows it missing)"
    }; legerd removes it once none does.\n`
    : `Podman has no copy of ${name}, which ${units} ${
      known.used_by.length === 1 ? "uses" : "use"
    }: ${
      known.used_by.length === 1 ? "it does" : "they do"
    } not start until the secret exists again.\n`;
  // leger.run's store is eventually consistent: its list may still have it.
  return missing === undefined
    ? `leger.run still lists ${name} (it takes up to a minute to show a deletion); legerd sees it gone at a later poll.\n${podman}`
    : podman;
}
