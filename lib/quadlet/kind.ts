import type { QuadletKind } from "./types.ts";

const KIND_BY_EXTENSION: Readonly<Record<string, QuadletKind>> = {
  ".container": "container",
  ".volume": "volume",
  ".network": "network",
  ".pod": "pod",
  ".kube": "kube",
  ".image": "image",
  ".build": "build",
  ".artifact": "artifact",
};

/**
 * Tells which quadlet unit kind a file name is, by its extension, the way
 * Podman's generator picks the files it converts.
 *
 * Only the last extension counts (`web.network.container` is a container).
 * Drop-ins (`.conf`), environment files (`.env`) and everything else are not
 * quadlet units.
 *
 * @param fileName A file name or path, such as `web.container`.
 * @returns The kind, or `null` when the file is not a quadlet unit.
 *
 * @example Usage
 * ```ts
 * import { quadletKindOf } from "./kind.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(quadletKindOf("web.container"), "container");
 * strictEqual(quadletKindOf("data.volume"), "volume");
 * strictEqual(quadletKindOf("web.container.d/10-env.conf"), null);
 * ```
 */
export function quadletKindOf(fileName: string): QuadletKind | null {
  const slash = fileName.lastIndexOf("/");
  const dot = fileName.lastIndexOf(".");
  // A leading dot names a hidden file, not an extension (".container" has none).
  if (dot <= slash + 1) return null;
  return KIND_BY_EXTENSION[fileName.slice(dot)] ?? null;
}
