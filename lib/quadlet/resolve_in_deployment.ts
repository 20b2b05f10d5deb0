/**
 * Resolves a path a unit names relative to its own folder into a path inside
 * the deployment (`/`-separated, `.` and `..` resolved), or `null` when it
 * climbs above the deployment's root.
 *
 * @param unitPath The unit's path in the deployment, such as `web.container` or `sub/web.container`.
 * @param path The relative path the unit names, such as `./conf/Caddyfile`.
 * @returns The path inside the deployment, or `null`.
 *
 * @example Usage
 * ```ts
 * import { resolveInDeployment } from "./resolve_in_deployment.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(resolveInDeployment("sub/web.container", "./conf/../Caddyfile"), "sub/Caddyfile");
 * strictEqual(resolveInDeployment("web.container", "../etc/passwd"), null);
 * ```
 */
export function resolveInDeployment(
  unitPath: string,
  path: string,
): string | null {
  const slash = unitPath.lastIndexOf("/");
  const dir = slash === -1 ? "" : unitPath.slice(0, slash);
  const parts: string[] = [];
  for (const part of `${dir}/${path}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join("/");
}
