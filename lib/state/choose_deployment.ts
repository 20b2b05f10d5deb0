import { LegerError } from "../errors/mod.ts";

/**
 * The deployment a command acts on: the one named, or the only one there is.
 *
 * @param named The name given on the command line, if any.
 * @param known The deployments there are (staged or installed).
 * @param what What `known` holds, for messages: `"staged"` or `"installed"`.
 * @throws {LegerError} `ERR_DEPLOYMENT_NOT_FOUND` naming the known ones.
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
 * ```
 */
export function chooseDeployment(
  named: string | undefined,
  known: readonly string[],
  what: "staged" | "installed",
): string {
  if (named !== undefined && known.includes(named)) return named;
  if (named === undefined && known.length === 1) return known[0];
  const list = known.join(", ");
  // "Nothing is staged", not "0 are staged (none)".
  const message = known.length === 0
    ? `Cannot ${
      named === undefined
        ? "choose a deployment"
        : `find the ${what} deployment "${named}"`
    }: nothing is ${what}`
    : named === undefined
    ? `Cannot choose a deployment: ${known.length} are ${what} (${list})`
    : `Cannot find the ${what} deployment "${named}": ${what} are ${list}`;
  throw new LegerError("ERR_DEPLOYMENT_NOT_FOUND", message, {
    remedy: known.length > 0
      ? `Name one of them, such as \`${known[0]}\``
      : what === "staged"
      ? "Stage an update of an installed deployment with `leger staged stage NAME` (or `leger deploy update NAME --dry-run`)"
      : "Install one with `leger deploy install --source <folder>`; `leger deploy list` shows what is installed",
  });
}
