import { LegerError } from "../../../lib/errors/mod.ts";
import type { SourceInfo } from "../../../lib/source/types.ts";

/**
 * Refuses `--version` for a deployment whose recorded source is no leger.run
 * space (unless `--source` names the new one), for `deploy update` and
 * `staged stage`: it would switch the deployment's source to the user's
 * leger.run space without a word.
 *
 * @param name The deployment.
 * @param recorded The source it was installed (or staged) from.
 * @param options `--version` and `--source` as given, and the command's
 * verb for the message (`update`, `stage`; default `update`).
 * @throws {LegerError} `ERR_USAGE` naming the recorded source.
 *
 * @example Usage
 * ```ts
 * import { checkVersionApplies } from "./check_version_applies.ts";
 * import { throws } from "node:assert/strict";
 *
 * const local = { type: "local" as const, location: "/srv/tu" };
 * checkVersionApplies("tu", local, {});
 * throws(() => checkVersionApplies("tu", local, { version: "v2" }), {
 *   code: "ERR_USAGE",
 * });
 * ```
 */
export function checkVersionApplies(
  name: string,
  recorded: SourceInfo,
  options: { version?: string; source?: string; action?: string },
): void {
  const { action = "update" } = options;
  if (options.version === undefined || options.source !== undefined) return;
  if (recorded.type === "leger.run") return;
  const from = recorded.type === "local"
    ? `the local folder ${recorded.location}`
    : `the Git repository folder ${recorded.location}`;
  throw new LegerError(
    "ERR_USAGE",
    `Cannot ${action} "${name}" with --version ${options.version}: its source is ${from}, and --version applies to leger.run sources`,
    {
      remedy:
        `Drop --version to ${action} "${name}" from ${recorded.location}, or pass its new source with --source (a leger.run version URL moves it to leger.run)`,
    },
  );
}
