import type { Scope } from "../../../lib/adapters/scope.ts";

/**
 * Whether `podman ps` shows a scope's containers: Podman lists the invoking
 * user's, so root sees the system scope's and any other user their own.
 *
 * @param scope The scope.
 * @param identity The user running leger.
 * @returns Whether to run Podman for that scope.
 *
 * @example Usage
 * ```ts
 * import { podmanShows } from "./podman_shows.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(podmanShows("system", { uid: 0 }), true);
 * strictEqual(podmanShows("user", { uid: 0 }), false);
 * ```
 */
export function podmanShows(scope: Scope, identity: { uid: number }): boolean {
  return scope === (identity.uid === 0 ? "system" : "user");
}
