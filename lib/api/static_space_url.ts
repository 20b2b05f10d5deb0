/**
 * The URL of a user's leger.run space, where the web UI uploads their rendered
 * deployments: `<static base>/<user_uuid>/`.
 *
 * @param staticUrl The static files' base URL (`LEGER_STATIC_URL`).
 * @param userUuid The user's UUID.
 * @returns The space's URL, ending in a slash.
 *
 * @example Usage
 * ```ts
 * import { staticSpaceUrl } from "./static_space_url.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(
 *   staticSpaceUrl("https://static.leger.run", "f44a09fc-90d1-5f2b-bf2c-7380100ec435"),
 *   "https://static.leger.run/f44a09fc-90d1-5f2b-bf2c-7380100ec435/",
 * );
 * ```
 */
export function staticSpaceUrl(staticUrl: string, userUuid: string): string {
  return `${staticUrl.replace(/\/+$/, "")}/${encodeURIComponent(userUuid)}/`;
}
