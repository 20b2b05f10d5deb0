/**
 * leger's error catalogue and the error class every command reports through.
 *
 * ```ts
 * import { LegerError } from "@leger/leger/errors";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(new LegerError("ERR_USAGE", "Cannot parse flag").exitCode, 2);
 * ```
 *
 * @module
 */
export * from "./codes.ts";
export * from "./finding.ts";
export * from "./leger_error.ts";
export * from "./redact_url.ts";
export * from "./from_system_error.ts";
export * from "./system_scope_denied.ts";
