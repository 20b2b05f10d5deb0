/**
 * The targets leger's binaries are built for, and the ELF machine of each.
 *
 * @module
 */

/** The targets leger is built for. */
export const SUPPORTED_TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
] as const;

/** A target leger is built for. */
export type Target = typeof SUPPORTED_TARGETS[number];

/** The ELF `e_machine` of each target: 62 is x86-64, 183 is AArch64. */
export const ELF_MACHINES: Readonly<Record<Target, number>> = {
  "x86_64-unknown-linux-gnu": 62,
  "aarch64-unknown-linux-gnu": 183,
};

/**
 * Whether a string names a target leger is built for.
 *
 * @param value A target triple, such as `Deno.build.target`.
 * @returns `true` for one of {@linkcode SUPPORTED_TARGETS}.
 *
 * @example Usage
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { isTarget } from "./targets.ts";
 *
 * strictEqual(isTarget("aarch64-unknown-linux-gnu"), true);
 * strictEqual(isTarget("x86_64-apple-darwin"), false);
 * ```
 */
export function isTarget(value: string): value is Target {
  return (SUPPORTED_TARGETS as readonly string[]).includes(value);
}
