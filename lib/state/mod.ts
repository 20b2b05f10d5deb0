/**
 * leger's own files, for each scope: where they live (honouring the XDG base
 * directory variables), `deployments.yaml`, the staged and active copies of
 * each deployment, the volumes kept from removed deployments, atomic writes
 * and the lock that keeps two leger processes apart.
 *
 * ```ts
 * import { legerPaths } from "@leger/leger/state";
 * import { strictEqual } from "node:assert/strict";
 *
 * const paths = legerPaths("user", { home: "/home/a", env: () => undefined });
 * strictEqual(paths.stateDir, "/home/a/.local/share/leger");
 * ```
 *
 * @module
 */
export * from "./paths.ts";
export * from "./deployments_file.ts";
export * from "./manifests_file.ts";
export * from "./deployment_folder.ts";
export * from "./read_deployment_state.ts";
export * from "./choose_deployment.ts";
export * from "./deployment_not_found.ts";
export * from "./kept_volumes.ts";
export * from "./last_auto_updates.ts";
export * from "./write_file_atomic.ts";
export * from "./lock.ts";
export * from "./check_writable.ts";
export * from "./intent_journal.ts";
export * from "./move_aside_command.ts";
export * from "./path_exists.ts";
