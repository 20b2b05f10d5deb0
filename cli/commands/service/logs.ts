/**
 * `leger service logs <service> [-f] [-n N] [--since T] [--json]`: the
 * service's journal, in the scope it runs in; with `--json`, one JSON object
 * per entry and line (journalctl's `--output json`: `MESSAGE`,
 * `__REALTIME_TIMESTAMP`, `PRIORITY`, … as journald stores them).
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption, text } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { findService } from "./_find_service.ts";

/** The options of `leger service logs`. */
export interface LogsOptions {
  /** `web`, `web.service` or `web.container`. */
  service: string;
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
    service: line.args[0],
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
  const service = await findService(options.service, { scope, context });
  const code = await deps.streamJournal(scope, service, {
    lines: options.lines,
    since: options.since,
    follow: options.follow,
    json: options.json,
  });
  if (code !== 0 && options.json) {
    // journalctl said why on stderr; a script reading stdout gets an error
    // line instead of nothing.
    throw new LegerError(
      "ERR_COMMAND_FAILED",
      `Cannot read the journal of "${service}": journalctl failed (its message is above)`,
      {
        remedy: `Run \`journalctl ${
          scope === "user" ? "--user " : ""
        }--unit ${service}\` to see the journal as journalctl reads it`,
      },
    );
  }
  return code;
}
