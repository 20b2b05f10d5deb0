import type { CompletionKind } from "../spec.ts";

/** The shells `leger completion` writes a script for. */
export type Shell = "bash" | "zsh" | "fish";

/**
 * The shells `leger completion` writes a script for, in the order its
 * messages name them.
 *
 * @example Usage
 * ```ts
 * import { SHELLS } from "./static_values.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(SHELLS.includes("fish"));
 * ```
 */
export const SHELLS: readonly Shell[] = ["bash", "zsh", "fish"];

/**
 * The kinds of value known when the script is generated, with their values:
 * the scripts hold them, so completing them starts no process.
 *
 * @example Usage
 * ```ts
 * import { STATIC_VALUES } from "./static_values.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(STATIC_VALUES.scopes, ["user", "system"]);
 * strictEqual(STATIC_VALUES.deployments, undefined);
 * ```
 */
export const STATIC_VALUES: Readonly<
  Partial<Record<CompletionKind, readonly string[]>>
> = {
  shells: SHELLS,
  scopes: ["user", "system"],
};
