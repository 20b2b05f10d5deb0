import type { SourceInfo } from "../lib/source/types.ts";

/**
 * A deployment's version as `--json` documents give it: the leger.run
 * version (or a local folder's manifest version), the Git commit (12
 * digits), or `null` when there is none (a local folder without one).
 *
 * @param source Where the deployment came from.
 * @returns The version, or `null`.
 *
 * @example Usage
 * ```ts
 * import { versionOf } from "./version_label.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(versionOf({ type: "leger.run", location: "x", version: "v3" }), "v3");
 * strictEqual(versionOf({ type: "local", location: "/srv/app" }), null);
 * ```
 */
export function versionOf(source: SourceInfo): string | null {
  return source.version ?? source.commit?.slice(0, 12) ?? null;
}

/**
 * How a deployment's version is shown to a person: {@linkcode versionOf}, or
 * `-` when there is none.
 *
 * @param source Where the deployment came from.
 * @returns The version, or `-`.
 *
 * @example Usage
 * ```ts
 * import { versionLabel } from "./version_label.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(versionLabel({ type: "leger.run", location: "x", version: "v3" }), "v3");
 * strictEqual(versionLabel({ type: "local", location: "/srv/app" }), "-");
 * ```
 */
export function versionLabel(source: SourceInfo): string {
  return versionOf(source) ?? "-";
}
