import { QUADLET_KINDS } from "../quadlet/types.ts";

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
  const slash = path.lastIndexOf("/");
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return false;
  const extension = base.slice(dot + 1);
  if ((QUADLET_KINDS as readonly string[]).includes(extension)) return true;
  const parent = slash < 0 ? "" : path.slice(path.lastIndexOf("/", slash - 1) + 1, slash);
  return extension === "conf" && parent.endsWith(".d");
}
