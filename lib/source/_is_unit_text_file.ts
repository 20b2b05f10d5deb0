import { quadletKindOf } from "../quadlet/kind.ts";

/**
 * Whether a deployment file is read by Podman as unit text, and so must be
 * valid UTF-8: a file with a quadlet extension anywhere, or a `.conf` drop-in
 * inside a folder whose name ends in `.d` (`web.container.d/`, `container.d/`).
 *
 * @param path The `/`-separated path inside the deployment.
 * @returns `true` for unit and drop-in files.
 *
 * @example Usage
 * ```ts
 * import { isUnitTextFile } from "./_is_unit_text_file.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(isUnitTextFile("web.container.d/10-limits.conf"), true);
 * strictEqual(isUnitTextFile("config/nginx.conf"), false);
 * ```
 */
export function isUnitTextFile(path: string): boolean {
  if (quadletKindOf(path) !== null) return true;
  const slash = path.lastIndexOf("/");
  const parent = path.slice(
    path.lastIndexOf("/", slash - 1) + 1,
    Math.max(slash, 0),
  );
  return slash > 0 && path.endsWith(".conf") && parent.endsWith(".d");
}
