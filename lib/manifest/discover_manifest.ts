import type { QuadletKind } from "../quadlet/types.ts";
import type { Manifest } from "./types.ts";
import { quadletKindOf } from "../quadlet/kind.ts";

/** The unit kinds that run something: each becomes a service. */
const SERVICE_KINDS: ReadonlySet<QuadletKind> = new Set([
  "container",
  "kube",
  "pod",
]);

/** Options for {@linkcode discoverManifest}. */
export interface DiscoverManifestOptions {
  /**
   * The deployment name to record (a local source passes the folder's name).
   *
   * @default {undefined}
   */
  name?: string;
}

/**
 * Builds the ephemeral manifest of a deployment that has no `manifest.json`
 * or `.leger.yaml` (specification §6, "Auto-Discovery"), from its file paths.
 *
 * Only files at the top of the folder are units: a file with a quadlet
 * extension inside a subfolder (a drop-in folder such as `web.container.d/`,
 * or a config folder) is a support file. Units are listed by kind in `units`
 * and in `files` (with their kind as `type` and no checksum). Every
 * `.container`, `.kube` and `.pod` unit becomes a service named by its stem
 * (`web.container` is `web`), every `.volume` unit a volume named by its stem.
 * Secrets are left empty: the `Secret=` lines of the units are read later.
 *
 * @param paths The `/`-separated paths of the deployment's files.
 * @param options Options for discovery.
 * @returns The manifest, with `form: "discovered"`.
 *
 * @example Usage
 * ```ts
 * import { discoverManifest } from "./discover_manifest.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const manifest = discoverManifest([
 *   "web.container",
 *   "web.container.d/10-limits.conf",
 *   "data.volume",
 *   "Caddyfile",
 * ]);
 * deepStrictEqual(manifest.units, { container: ["web.container"], volume: ["data.volume"] });
 * deepStrictEqual(manifest.services, [{ name: "web", quadletFile: "web.container" }]);
 * deepStrictEqual(manifest.volumes, [{ name: "data" }]);
 * ```
 */
export function discoverManifest(
  paths: readonly string[],
  options: DiscoverManifestOptions = {},
): Manifest {
  const { name } = options;
  const units: Partial<Record<QuadletKind, string[]>> = {};
  const manifest: Manifest = {
    form: "discovered",
    services: [],
    volumes: [],
    files: [],
    secretsRequired: [],
    requires: [],
    units,
  };
  if (name !== undefined) manifest.name = name;
  for (const path of [...paths].sort()) {
    if (path.includes("/")) continue;
    const kind = quadletKindOf(path);
    if (kind === null) continue;
    (units[kind] ??= []).push(path);
    manifest.files.push({ name: path, type: kind });
    const stem = path.slice(0, path.lastIndexOf("."));
    if (SERVICE_KINDS.has(kind)) {
      manifest.services.push({ name: stem, quadletFile: path });
    }
    if (kind === "volume") manifest.volumes.push({ name: stem });
  }
  return manifest;
}
