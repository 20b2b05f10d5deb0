/**
 * Whether a path starts with a systemd specifier (`%h/…`, but not `%%`),
 * which Podman leaves for systemd to expand instead of resolving it against
 * the unit's folder.
 *
 * @param path The path as written.
 * @returns `true` when it starts with a specifier.
 *
 * @example Usage
 * ```ts
 * import { startsWithSpecifier } from "./_starts_with_specifier.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(startsWithSpecifier("%h/env"), true);
 * strictEqual(startsWithSpecifier("%%literal"), false);
 * ```
 */
export function startsWithSpecifier(path: string): boolean {
  return path.length > 0 && path[0] === "%" && path[1] !== "%";
}
