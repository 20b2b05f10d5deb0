/**
 * Differences between two versions of a deployment, as unified diffs.
 *
 * ```ts
 * import { diffDeployments } from "./mod.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(diffDeployments(new Map(), new Map()).files.length, 0);
 * ```
 *
 * @module
 */
export * from "./diff_deployments.ts";
