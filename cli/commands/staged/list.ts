/**
 * `leger staged list [--json]`: the staged deployments, each with its staged
 * version against the active one; when there are none, nothing on stdout
 * (`[]` with `--json`) and, on a terminal, "Nothing is staged." on stderr.
 *
 * @module
 */
import { listDeploymentRecords } from "../../../lib/state/deployment_folder.ts";
import { resolveScope } from "../../../lib/deploy/scope.ts";
import type { Scope } from "../../../lib/adapters/scope.ts";
import { legerPaths } from "../../../lib/state/paths.ts";
import type { CommandDeps } from "../../deps.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { formatTable } from "../../table.ts";
import { versionOf } from "../../version_label.ts";

/** The options of `leger staged list`. */
export interface StagedListOptions {
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger staged list`. */
export function parse(line: CommandLine): StagedListOptions {
  return { scope: scopeOption(line), json: flag(line, "json") };
}

/** Runs `leger staged list`. */
export async function run(
  options: StagedListOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  const { workDir } = legerPaths(resolveScope(options.scope, context), context);
  const staged = await listDeploymentRecords(`${workDir}/staged`);
  const active = new Map(
    (await listDeploymentRecords(`${workDir}/active`)).map((
      r,
    ) => [r.deployment, r]),
  );
  const rows = staged.map((record) => {
    const installed = active.get(record.deployment);
    return {
      deployment: record.deployment,
      // `null` where the source gives no version (a local folder).
      staged_version: versionOf(record.source),
      active_version: installed === undefined
        ? null
        : versionOf(installed.source),
      installed: installed !== undefined,
      source: record.source,
      fetched_at: record.fetched_at,
      files: record.files.length,
    };
  });
  if (options.json) {
    context.out(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  if (rows.length === 0) {
    // Nothing on stdout, for scripts; a word for a person.
    if (context.stdoutIsTerminal || context.stderrIsTerminal) {
      context.err(
        "Nothing is staged. `leger staged stage NAME` stages an update.\n",
      );
    }
    return 0;
  }
  context.out(formatTable(
    rows.map((row) => [
      row.deployment,
      row.staged_version ?? "-",
      row.installed ? row.active_version ?? "-" : "(not installed)",
      row.source.location,
      row.fetched_at,
    ]),
    {
      header: ["DEPLOYMENT", "STAGED", "ACTIVE", "SOURCE", "FETCHED"],
      terminal: context.stdoutIsTerminal,
    },
  ));
  return 0;
}
