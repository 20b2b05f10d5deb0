/**
 * Deployment sources: what a local folder, a Git checkout or leger.run hands
 * to planning, as a `LoadedDeployment` of checked, hashed files plus its
 * manifest. This folder holds the shared types, the local folder reader and
 * the hash every source uses.
 *
 * ```ts
 * import { sha256Hex } from "@leger/leger/source";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual((await sha256Hex(new Uint8Array())).slice(0, 8), "e3b0c442");
 * ```
 *
 * @module
 */
export * from "./read_local_source.ts";
export * from "./sha256_hex.ts";
export * from "./types.ts";
export * from "./fetch_leger_run_source.ts";
export * from "./normalise_leger_run.ts";
export * from "./fetch_git_source.ts";
export * from "./classify_source.ts";
export * from "./expand_path.ts";
