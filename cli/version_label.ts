import type { SourceInfo } from "../lib/source/types.ts";

/**
 * How a deployment's version is shown: the leger.run version, the Git commit
 * (12 digits), or `-` for a local folder.
 *
 * @example Usage
 * ```ts
 * import { versionLabel } from "./version_label.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(versionLabel({ type: "leger.run", location: "x", version: "v3" }), "v3");
 * ```
 */
export function versionLabel(source: SourceInfo): string {
  return source.version ?? source.commit?.slice(0, 12) ?? "-";
}
