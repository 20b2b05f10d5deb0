import { isSpace } from "./_is_space.ts";

/**
 * Removes what Podman's `UnitFile.Lookup` removes from a value: trailing white
 * space, then one pair of double quotes when the value both starts and ends
 * with one. Nothing else changes: quotes inside stay, single quotes stay, an
 * unmatched quote stays, no escape is interpreted and `%` specifiers are left
 * for systemd.
 *
 * This is what the quadlet generator uses for single-valued keys it reads with
 * `Lookup` (`ContainerName=`, `Image=`, `HealthCmd=`, `ServiceName=`, …);
 * `LookupLast` gives the entry's value as it is, and `LookupLastArgs` gives
 * `splitWords` of it. This follows Podman after containers/podman#28414 (only
 * a matched pair is removed); older Podman trimmed every leading and trailing
 * `"`.
 *
 * @param value An entry's value, as {@linkcode parseUnit} gives it.
 * @returns The value as `Lookup` returns it.
 *
 * @example Usage
 * ```ts
 * import { unquote } from "./unquote.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(unquote('"RemoveQuotes"Name"'), 'RemoveQuotes"Name');
 * strictEqual(unquote(`/bin/sh -c "echo 'hi'"`), `/bin/sh -c "echo 'hi'"`);
 * strictEqual(unquote('"a'), '"a');
 * ```
 */
export function unquote(value: string): string {
  let end = value.length;
  while (end > 0 && isSpace(value.charCodeAt(end - 1))) end--;
  if (
    end >= 2 && value.charCodeAt(0) === 0x22 &&
    value.charCodeAt(end - 1) === 0x22
  ) {
    return value.slice(1, end - 1);
  }
  return end === value.length ? value : value.slice(0, end);
}
