/**
 * `leger secrets sync [SERVICE] [--force] [--dry-run] [--scope …] [--json]`:
 * has legerd reconcile Podman's secrets with leger.run now (`POST
 * /v1/sync`) instead of at its next poll, and says what it did.
 *
 * @module
 */
import type { Scope } from "../../../lib/adapters/scope.ts";
import type { CommandDeps } from "../../deps.ts";
import { legerdOf, legerdScope } from "../../legerd.ts";
import { flag, scopeOption } from "../../options.ts";
import type { CommandLine } from "../../spec.ts";
import { webUiUrl } from "../../web_ui_url.ts";
import { renderSyncResult } from "./shared/render_sync_result.ts";

/** The options of `leger secrets sync`. */
export interface SyncOptions {
  /** Only the secrets this service's unit uses (`web` or `web.service`). */
  service?: string;
  /** Write every secret again, changed or not. */
  force: boolean;
  /** Show the plan; change nothing. */
  dryRun: boolean;
  /** `--scope`, or the default of the user running leger. */
  scope?: Scope;
  /** Print legerd's answer as one JSON document. */
  json: boolean;
}

/** Reads the command line of `leger secrets sync`. */
export function parse(line: CommandLine): SyncOptions {
  return {
    service: line.args[0],
    force: flag(line, "force"),
    dryRun: flag(line, "dryRun"),
    scope: scopeOption(line),
    json: flag(line, "json"),
  };
}

/**
 * Asks legerd to sync, prints what it did (or would do): on stdout the
 * secrets created, replaced, removed, the services restarted and started,
 * the secrets leger.run lacks unit by unit with where to add them, and
 * those leger leaves alone; legerd's other errors on stderr (a secret
 * leger.run lacks is said once, in the report). `--json` prints legerd's
 * answer (`SyncResult`).
 *
 * @param options The service, `--force`, `--dry-run`, `--scope`, `--json`.
 * @param deps The context and legerd.
 * @returns 0, or 1 when a step failed (the others were still done) or a
 * secret leger.run lacks keeps a unit from starting (legerd counts it as
 * an error).
 * @throws {LegerError} `ERR_LEGERD_NOT_RUNNING` (with the command that
 * starts legerd), legerd's own errors (an unknown service), and the other
 * errors of `LegerdClient`.
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./sync.ts";
 * const code = await run({ force: false, dryRun: true, json: false }, deps);
 * ```
 */
export async function run(
  options: SyncOptions,
  deps: CommandDeps,
): Promise<number> {
  const { context } = deps;
  // Ctrl-C ends leger as usual: legerd finishes the sync on its own.
  const legerd = legerdOf(deps, legerdScope(options.scope, context.uid));
  if (!options.json) {
    context.err(
      options.dryRun
        ? "Asking legerd what a sync would do…\n"
        : "Asking legerd to sync the secrets with leger.run…\n",
    );
  }
  const result = await legerd.sync({
    ...(options.service === undefined ? {} : { service: options.service }),
    ...(options.force ? { force: true } : {}),
    ...(options.dryRun ? { dry_run: true } : {}),
  });
  if (options.json) {
    context.out(JSON.stringify(result, null, 2) + "\n");
  } else {
    context.out(
      renderSyncResult(result, { webUrl: await webUiUrl(context) }),
    );
    // A secret leger.run lacks is in the report above, with where to add
    // it: its error would only say it again.
    const reported = new Set(result.plan.missing.map((m) => m.name));
    for (const error of result.errors) {
      if (
        error.code === "ERR_SECRET_NOT_FOUND" && error.name !== undefined &&
        reported.has(error.name)
      ) continue;
      context.err(
        `Error: ${
          error.name === undefined ? "" : `${error.name}: `
        }${error.message}\n` +
          (error.fix === undefined ? "" : `${error.fix}\n`) +
          `[${error.code}]\n`,
      );
    }
    if (options.dryRun) context.err("Dry run: nothing was changed.\n");
  }
  return result.errors.length > 0 ? 1 : 0;
}
