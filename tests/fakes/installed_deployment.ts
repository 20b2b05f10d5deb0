/**
 * A deployment as `deployments.yaml` records it, for the tests that write
 * leger's state files themselves.
 *
 * @module
 */
import type { InstalledDeployment } from "../../lib/state/deployments_file.ts";

/**
 * A deployment of the user scope installed from `/srv/<name>`, one
 * `.container` unit for each of its `services`, and no files or volumes.
 *
 * @example Usage
 * ```ts
 * import { installedDeployment } from "./installed_deployment.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const blog = installedDeployment("blog", ["web.service"]);
 * deepStrictEqual(blog.units, ["web.container"]);
 * ```
 */
export function installedDeployment(
  name: string,
  services: string[],
): InstalledDeployment {
  return {
    name,
    scope: "user",
    source: { type: "local", location: `/srv/${name}` },
    installed_at: "2026-11-30T12:00:00.000Z",
    files: [],
    units: services.map((s) => s.replace(/\.service$/, ".container")),
    services,
    volumes: [],
  };
}
