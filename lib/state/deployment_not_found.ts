import { LegerError } from "../errors/mod.ts";
import { closestName } from "../validate/closest_name.ts";
import type { Scope } from "./paths.ts";

/** Options for {@linkcode deploymentNotFound}. */
export interface DeploymentNotFoundOptions {
  /** The deployments there are (installed, or staged), in the order to list them. */
  known: readonly string[];
  /**
   * What `known` holds, for the message.
   *
   * @default {"installed"}
   */
  what?: "installed" | "staged";
  /**
   * The scope that was looked in, named in the message; not named when
   * absent.
   *
   * @default {undefined}
   */
  scope?: Scope;
  /**
   * The remedy when no known name is close to the one asked for (a close
   * one is always suggested instead); by default, to name one of the known
   * ones, or how to get one when there are none.
   *
   * @default {undefined}
   */
  remedy?: string;
}

/**
 * The error for a deployment a command cannot find (or, with no name, cannot
 * choose): it lists the deployments there are, and suggests the closest name
 * when one is near (`Did you mean \`web\`?`). Every command that reports an
 * unknown deployment uses it, so that they all say it the same way.
 *
 * @param named The name given on the command line; `undefined` when none was
 * given and there is not exactly one deployment to choose.
 * @param options The known deployments, what they are, the scope and the
 * remedy.
 * @returns An `ERR_DEPLOYMENT_NOT_FOUND` error, to throw.
 *
 * @example Usage
 * ```ts
 * import { deploymentNotFound } from "./deployment_not_found.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * const error = deploymentNotFound("wbe", { known: ["db", "web"], scope: "user" });
 * strictEqual(error.code, "ERR_DEPLOYMENT_NOT_FOUND");
 * strictEqual(
 *   error.message,
 *   'Cannot find the installed deployment "wbe" in the user scope: installed are db, web',
 * );
 * strictEqual(error.remedy, "Did you mean `web`?");
 * ```
 */
export function deploymentNotFound(
  named: string | undefined,
  options: DeploymentNotFoundOptions,
): LegerError {
  const { known, what = "installed", scope } = options;
  const where = scope === undefined ? "" : ` in the ${scope} scope`;
  const subject = named === undefined
    ? `Cannot choose a deployment${where}`
    : `Cannot find the ${what} deployment "${named}"${where}`;
  // "Nothing is staged", not "0 are staged (none)".
  const message = known.length === 0
    ? `${subject}: nothing is ${what}`
    : named === undefined
    ? `${subject}: ${known.length} are ${what} (${known.join(", ")})`
    : `${subject}: ${what} are ${known.join(", ")}`;
  const near = named === undefined ? undefined : closestName(named, known);
  return new LegerError("ERR_DEPLOYMENT_NOT_FOUND", message, {
    remedy: near !== undefined
      ? `Did you mean \`${near}\`?`
      : options.remedy ?? defaultRemedy(known, what),
  });
}

function defaultRemedy(
  known: readonly string[],
  what: "installed" | "staged",
): string {
  if (known.length > 0) return `Name one of them, such as \`${known[0]}\``;
  return what === "staged"
    ? "Stage an update of an installed deployment with `leger staged stage NAME` (or `leger deploy update NAME --dry-run`)"
    : "Install one with `leger deploy install --source <folder>`; `leger deploy list` shows what is installed in every scope you can see";
}
