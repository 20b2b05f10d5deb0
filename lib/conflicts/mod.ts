/**
 * Conflict checks: what a deployment would collide with on the host before it
 * is installed. Host ports already published by another deployment or
 * listened on by some program; service, container, volume, network and
 * pod names already taken; files already in the quadlet folder and folders
 * two deployments would share; drop-ins that reach other deployments' units.
 * Everything here is pure: the host's state comes in
 * as a {@linkcode HostSnapshot} that the adapters gather, including the
 * listening sockets parsed from `/proc/net` by {@linkcode parseProcNet}
 * (proc(5)).
 *
 * ```ts
 * import { addressesOverlap, findConflicts } from "@leger/leger/conflicts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * strictEqual(addressesOverlap("0.0.0.0", "127.0.0.1"), true);
 * deepStrictEqual(findConflicts([], { installed: [], listening: [], volumes: [] }), []);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./parse_proc_net.ts";
export * from "./addresses_overlap.ts";
export * from "./find_port_conflicts.ts";
export * from "./find_privileged_ports.ts";
export * from "./find_name_conflicts.ts";
export * from "./find_file_conflicts.ts";
export * from "./find_drop_in_conflicts.ts";
export * from "./find_conflicts.ts";
