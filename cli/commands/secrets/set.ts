/**
 * `leger secrets set NAME [--scope …] [--json]`: stores a secret in
 * leger.run (`POST /secrets/NAME`), its value typed at a hidden prompt on a
 * terminal or piped on stdin — never an argument, which every process of
 * the host could read — then, when legerd runs and an installed unit uses
 * the secret, has legerd bring Podman's copy up to date now.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import type { SyncResult } from "../../../lib/secrets/control_api.ts";
import { checkSecretName } from "../../../lib/secrets/check_secret_name.ts";
import { LegerError } from "../../../lib/errors/leger_error.ts";
import type { CommandDeps } from "../../deps.ts";
import {
  legerdOf,
  legerdScope,
  legerdStartCommand,
  legerdStatusCommand,
} from "../../legerd.ts";
import { flag, scopeOption } from "../../options.ts";
import { readSecretValue } from "../../read_secret_value.ts";
import type { CommandLine } from "../../spec.ts";
import { legerRunForSecrets } from "./shared/leger_run_for_secrets.ts";

/** The options of `leger secrets set`. */
export interface SetOptions {
  /** The secret's name. */
  name: string;
  /** `--scope`: whose legerd to tell; the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/**
 * What legerd did with the new value:
 *
 * - `written`: it wrote leger.run's new value to Podman (and restarted
 *   what uses it, as its restart policy says);
 * - `pending`: leger.run does not show the new value yet (its store takes
 *   up to a minute); legerd writes it at a later poll;
 * - `not_used`: no installed unit uses the secret, so Podman needs no copy;
 * - `unmanaged`: a Podman secret leger did not create holds the name;
 * - `not_running`: legerd is not running;
 * - `failed`: legerd could not be asked (see `error`).
 */
export type SetLegerdState =
  | "written"
  | "pending"
  | "not_used"
  | "unmanaged"
  | "not_running"
  | "failed";

/** What `leger secrets set --json` prints; never the value. */
export interface SetDocument {
  /** The secret's name. */
  name: string;
  /** leger.run's version of it now. */
  version: number;
  /** What legerd did. */
  legerd: {
    state: SetLegerdState;
    /** legerd's sync, when it was asked. */
    sync: SyncResult | null;
    /** Why legerd could not do it (`not_running`, `failed`). */
    error: ReturnType<LegerError["toJSON"]> | null;
  };
}

/** Reads the command line of `leger secrets set`. */
export function parse(line: CommandLine): SetOptions {
  return {
    name: line.args[0],
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * Stores the secret, then tells legerd. Exits 0 once leger.run has the
 * value, whatever legerd does: what it did, or why not, is said (a warning
 * on stderr when it is not running or failing, with the fix).
 *
 * @param options The name, `--scope`, `--json`.
 * @param deps The context, stdin, `fetch`, the clock and legerd.
 * @returns The exit code: 0.
 * @throws {LegerError} `ERR_SECRET_NAME_INVALID` for a name leger.run
 * refuses or reserves; `ERR_LEGER_NOT_AUTHENTICATED` without a login;
 * `ERR_SECRET_VALUE_INVALID` for an empty, too large or non-UTF-8 value;
 * `ERR_INTERRUPTED` on Ctrl-C at the prompt; the errors of the leger.run
 * API.
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./set.ts";
 * const code = await run({ name: "api_token", json: false }, deps);
 * ```
 */
export async function run(
  options: SetOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const { name } = options;
  checkSecretName(name);
  const { client } = await legerRunForSecrets(deps, `store secret "${name}"`);
  const value = await readSecretValue(name, {
    input: deps.stdin ?? Deno.stdin,
    terminal: context.stdinIsTerminal,
    err: context.err,
    promptsDisabled: Boolean(context.env("LEGER_PROMPT_DISABLED")),
  });
  const stored = await client.setSecret(name, value);
  if (!options.json) {
    context.out(
      `${
        context.stdoutIsTerminal ? "✓ " : ""
      }Stored ${name} in leger.run (version ${stored.version})\n`,
    );
  }
  const scope = legerdScope(options.scope, context.uid);
  const legerd = await tellLegerd(deps, scope, name, stored.version);
  if (options.json) {
    const document: SetDocument = {
      name,
      version: stored.version,
      legerd: {
        state: legerd.state,
        sync: legerd.sync,
        error: legerd.error?.toJSON() ?? null,
      },
    };
    context.out(JSON.stringify(document, null, 2) + "\n");
    return 0;
  }
  sayWhatLegerdDid(deps, { name, scope, ...legerd });
  return 0;
}

interface LegerdOutcome {
  state: SetLegerdState;
  sync: SyncResult | null;
  error: LegerError | null;
}

/** Asks legerd to write the new value when an installed unit uses the secret. */
async function tellLegerd(
  deps: CommandDeps,
  scope: Scope,
  name: string,
  version: number,
): Promise<LegerdOutcome> {
  const legerd = legerdOf(deps, scope);
  try {
    const known = (await legerd.secrets()).find((s) => s.name === name);
    // Synced to Podman for no unit, it would be removed at the next poll.
    if (known === undefined || known.state === "orphan") {
      return { state: "not_used", sync: null, error: null };
    }
    if (known.state === "unmanaged") {
      return { state: "unmanaged", sync: null, error: null };
    }
    const sync = await legerd.sync({ secrets: [name] });
    const written = [...sync.plan.create, ...sync.plan.replace].find((w) =>
      w.name === name
    );
    const state = written !== undefined && written.version >= version &&
        [...sync.applied.created, ...sync.applied.replaced].includes(name)
      ? "written"
      : "pending";
    return { state, sync, error: null };
  } catch (error) {
    if (!(error instanceof LegerError)) throw error;
    return {
      state: error.code === "ERR_LEGERD_NOT_RUNNING" ? "not_running" : "failed",
      sync: null,
      error,
    };
  }
}

function sayWhatLegerdDid(
  deps: CommandDeps,
  outcome: LegerdOutcome & { name: string; scope: Scope },
): void {
  const { context } = deps;
  const { name, scope, sync, error } = outcome;
  switch (outcome.state) {
    case "written": {
      const restarted = sync!.applied.restarted;
      context.out(
        `legerd wrote it to Podman${
          restarted.length > 0 ? `; restarted ${restarted.join(", ")}` : ""
        }\n`,
      );
      break;
    }
    case "pending":
      context.out(
        `legerd does not see the new value yet: leger.run takes up to a minute to show a change. legerd writes it at its next poll, or run \`leger secrets sync\` in a minute\n`,
      );
      break;
    case "not_used":
      context.out(
        `No installed unit uses ${name}: legerd creates it in Podman when one does\n`,
      );
      break;
    case "unmanaged":
      context.err(
        `Warning: a Podman secret leger did not create holds the name ${name}, so legerd leaves it alone and the units keep its value.\nRemove it with \`podman secret rm ${name}\` to have legerd write leger.run's value, then run \`leger secrets sync\`\n`,
      );
      break;
    case "not_running":
      context.err(
        `Warning: legerd is not running, so Podman keeps the old value of ${name}.\nStart it with \`${
          legerdStartCommand(scope)
        }\`: it writes the new value and restarts what uses it (if it does not stay up, \`${
          legerdStatusCommand(scope)
        }\` says why)\n`,
      );
      break;
    case "failed":
      context.err(
        `Warning: ${error!.message}\n${
          error!.remedy
        }\nlegerd writes the new value at its next poll [${error!.code}]\n`,
      );
      break;
  }
}
