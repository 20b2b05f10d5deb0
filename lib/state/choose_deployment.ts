import { deploymentNotFound } from "./deployment_not_found.ts";
import type { Scope } from "./paths.ts";

/** Options for {@linkcode chooseDeployment}. */
export interface ChooseDeploymentOptions {
  /**
   * The scope the deployments are in, named in the error.
   *
   * @default {undefined}
   */
  scope?: Scope;
}

/**
 * The deployment a command acts on: the one named, or the only one there is.
 *
 * @param named The name given on the command line, if any.
 * @param known The deployments there are (staged or installed).
 * @param what What `known` holds, for messages: `"staged"` or `"installed"`.
 * @param options The scope, for the error.
 * @returns The deployment's name.
 * @throws {LegerError} `ERR_DEPLOYMENT_NOT_FOUND` listing the known ones and
 * suggesting the closest name ({@linkcode deploymentNotFound}).
 *
 * @example Usage
 * ```ts
 * import { chooseDeployment } from "./choose_deployment.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 *
 * strictEqual(chooseDeployment(undefined, ["web"], "staged"), "web");
 * throws(() => chooseDeployment(undefined, [], "staged"), {
 *   message: "Cannot choose a deployment: nothing is staged",
 * });
 * throws(() => chooseDeployment("wbe", ["db", "web"], "installed"), {
 *   code: "ERR_DEPLOYMENT_NOT_FOUND",
 *   remedy: "Did you mean `web`?",
 * });
 * ```
 */
export function chooseDeployment(
  named: string | undefined,
  known: readonly string[],
  what: "staged" | "installed",
  options: ChooseDeploymentOptions = {},
): string {
  if (named !== undefined && known.includes(named)) return named;
  if (named === undefined && known.length === 1) return known[0];
  throw deploymentNotFound(named, { known, what, scope: options.scope });
}
