import { QUADLET_KINDS, type QuadletKind } from "../quadlet/types.ts";

/**
 * The quadlet kind a file name's extension gives (`web.container` is a
 * `container`, `data.volume.volume` a `volume`), or `null` for any other file.
 *
 * @param fileName A bare file name or a `/`-separated path.
 * @returns The quadlet kind, or `null`.
 *
 * @example Usage
 * ```ts
 * import { quadletKindOf } from "./_quadlet_kind_of.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(quadletKindOf("openwebui.volume.volume"), "volume");
 * strictEqual(quadletKindOf("Caddyfile"), null);
 * ```
 */
export function quadletKindOf(fileName: string): QuadletKind | null {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return null;
  const extension = base.slice(dot + 1);
  return (QUADLET_KINDS as readonly string[]).includes(extension)
    ? extension as QuadletKind
    : null;
}
