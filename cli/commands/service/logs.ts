/**
 * `leger service logs <service> [-f] [-n N] [--since T]`: the service's
 * journal, in the scope it runs in.
 *
 * @module
 */
import { streamJournal } from "../../../lib/adapters/journal.ts";
import { LegerError } from "../../../lib/errors/mod.ts";
import type { CliContext } from "../../context.ts";
import { resolveScope } from "../shared/scope.ts";
import { findService } from "./_find_service.ts";

/** Runs `leger service logs`. */
export async function run(
  args: string[],
  options: Record<string, unknown>,
  context: CliContext,
): Promise<number> {
  const scope = resolveScope(options.scope, context);
  const service = await findService(args[0], { scope, context });
  const lines = options.lines === undefined ? "100" : String(options.lines);
  if (!/^[0-9]+$/.test(lines)) {
    throw new LegerError(
      "ERR_USAGE",
      `Cannot use --lines "${lines}": expected a whole number`,
      {
        remedy: "Pass a count, such as `-n 50`",
      },
    );
  }
  return await streamJournal(scope, service, {
    lines: Number(lines),
    since: options.since === undefined ? undefined : String(options.since),
    follow: options.follow === true,
  });
}
