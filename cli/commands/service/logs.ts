/**
 * `leger service logs <service|deployment> [-f] [-n N] [--since T] [--json]`:
 * the journal of a service, in the scope it runs in, as journalctl prints
 * it; or of all a deployment's services at once, interleaved in the order of
 * time, each line prefixed with its service as `docker compose logs` does
 * (`web    | message`, coloured per service on a terminal). `-n N` is the
 * last N entries of all of them together; `-f` keeps printing until Ctrl-C
 * (SIGINT, SIGTERM or SIGHUP end it with exit 0). With `--json`, one JSON
 * object per entry and line, as journalctl's `--output json` prints it
 * (`MESSAGE`, `__REALTIME_TIMESTAMP`, `PRIORITY`, … as journald stores them;
 * the unit in `_SYSTEMD_UNIT` or `UNIT` in the system scope,
 * `_SYSTEMD_USER_UNIT` or `USER_UNIT` in the user scope).
 *
 * @module
 */
import {
  type JournalEntry,
  readsSystemJournal,
  streamJournalEntries,
} from "../../../lib/adapters/journal.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { LegerError, systemScopeDenied } from "../../../lib/errors/mod.ts";
import { UNDO_SIGNALS } from "../../abort_on_signals.ts";
import type { CliContext } from "../../context.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption, text } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import {
  findTarget,
  noteAmbiguity,
  type ServiceTarget,
} from "./_find_service.ts";

/** The options of `leger service logs`. */
export interface LogsOptions {
  /**
   * A service (`web`, `web.service`, `web.container`, `worker@one`) or an
   * installed deployment (all its services).
   */
  name: string;
  /** How many lines of the past to show. */
  lines: number;
  /** Lines since then, in journalctl's forms (`1h ago`). */
  since?: string;
  /** Keep printing new lines. */
  follow: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print the entries as JSON lines. */
  json: boolean;
}

/**
 * Reads the command line of `leger service logs`.
 *
 * @throws {LegerError} `ERR_USAGE` when `--lines` is not a whole number.
 */
export function parse(line: CommandLine): LogsOptions {
  const lines = text(line, "lines") ?? "100";
  if (!/^[0-9]+$/.test(lines)) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use --lines "${lines}": expected a whole number`,
      { remedy: "Pass a count, such as `-n 50`" },
    );
  }
  return {
    name: line.args[0],
    lines: Number(lines),
    since: text(line, "since"),
    follow: flag(line, "follow"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/** Runs `leger service logs`. */
export async function run(
  options: LogsOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const scope = resolveScope(options.scope, context);
  const target = await findTarget(options.name, { scope, context });
  noteAmbiguity(target, context);
  const { services } = target;
  if (
    scope === "system" && context.uid !== 0 &&
    !await (deps.readsSystemJournal ?? readsSystemJournal)()
  ) {
    // journalctl would show nothing and exit 0: say why, as status does.
    throw systemScopeDenied(
      `read the journal of ${describeTarget(target)}`,
      "only root and the groups systemd-journal and adm read the system journal",
    );
  }
  const controller = new AbortController();
  // Following ends with a signal: stop journalctl, end with 0 as it does.
  const removers = options.follow
    ? UNDO_SIGNALS.map((name) =>
      deps.onSignal(name, () => controller.abort(new Error(name)))
    )
    : [];
  let code: number;
  try {
    const journal = {
      lines: options.lines,
      since: options.since,
      follow: options.follow,
      signal: controller.signal,
    };
    code = target.deployment === null
      ? await deps.streamJournal(scope, services[0], {
        ...journal,
        json: options.json,
      })
      : await (deps.streamJournalEntries ?? streamJournalEntries)(
        scope,
        services,
        {
          ...journal,
          onEntry: options.json
            ? (entry) => context.out(`${entry.line}\n`)
            : composeWriter(services, context),
        },
      );
  } catch (error) {
    // `leger service logs x | head`: the reader has gone; so has the need.
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    throw error;
  } finally {
    removers.forEach((remove) => remove());
  }
  if (code !== 0 && options.json) {
    // journalctl said why on stderr; a script reading stdout gets an error
    // line instead of nothing.
    const what = describeTarget(target);
    const flag = scope === "user" ? "--user-unit" : "--unit";
    throw new LegerError(
      "ERR_COMMAND_FAILED",
      `Cannot read the journal of ${what}: journalctl failed (its message is above)`,
      {
        remedy: `Run \`journalctl ${scope === "user" ? "--user " : ""}${
          services.map((s) => `${flag} ${s}`).join(" ")
        }\` to see the journal as journalctl reads it`,
      },
    );
  }
  return code;
}

/** `"web.service"`, or `the deployment "app" (app-web.service, app-db.service)`. */
function describeTarget(target: ServiceTarget): string {
  return target.deployment === null
    ? `"${target.services[0]}"`
    : `the deployment "${target.deployment}" (${target.services.join(", ")})`;
}

/** The colours of the prefixes, one per service in turn (as docker compose does). */
const COLOURS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/**
 * Writes each entry as lines prefixed by its service (`web    | message`),
 * the name without `.service`, padded to the longest of the services; a
 * message of several lines is prefixed on each.
 */
function composeWriter(
  services: readonly string[],
  context: Pick<CliContext, "out" | "color">,
): (entry: JournalEntry) => void {
  const short = (service: string) => service.replace(/\.service$/, "");
  const width = Math.max(...services.map((s) => short(s).length));
  const prefixes = new Map(services.map((service, index) => {
    const label = short(service).padEnd(width);
    return [
      service,
      context.color
        ? `\x1b[${COLOURS[index % COLOURS.length]}m${label} |\x1b[0m `
        : `${label} | `,
    ];
  }));
  const unknown = `${"-".padEnd(width)} | `;
  return (entry) => {
    const prefix = prefixes.get(entry.service ?? "") ?? unknown;
    context.out(
      entry.message.split("\n").map((line) => `${prefix}${line}\n`).join(""),
    );
  };
}
