/**
 * Differences between two versions of a deployment (the installed copy and
 * the staged one, file by file, as `leger diff` shows them), as unified
 * diffs made with jsdiff.
 *
 * ```ts
 * import { diffDeployments } from "@leger/leger/diff";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const diff = diffDeployments(
 *   new Map([["web.container", bytes("[Container]\nImage=a\n")]]),
 *   new Map([["web.container", bytes("[Container]\nImage=a\n")], ["data.volume", bytes("[Volume]\n")]]),
 * );
 * deepStrictEqual(diff.files.map((f) => [f.name, f.status]), [["data.volume", "added"]]);
 * deepStrictEqual(diff.summary, { modified: 0, added: 1, removed: 0, unchanged: 1 });
 * ```
 *
 * @module
 */
export * from "./diff_deployments.ts";
