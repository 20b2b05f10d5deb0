import type { UnitFile } from "../unit/types.ts";
import { resolveStorageSource } from "./resolve_storage_source.ts";
import type { VolumeRef } from "./types.ts";

/** Options for {@linkcode parseVolume}. */
export interface ParseVolumeOptions {
  /**
   * The file the value comes from, copied into the result.
   *
   * @default {""}
   */
  file?: string;
  /**
   * The line the value comes from, copied into the result.
   *
   * @default {0}
   */
  line?: number;
  /**
   * The absolute folder of the unit, against which `./…` sources resolve.
   * Without it they stay as written.
   *
   * @default {undefined}
   */
  unitDir?: string;
  /**
   * The other units of the deployment by file name (drop-ins merged), to
   * resolve `x.volume` to its `VolumeName=`.
   *
   * @default {new Map()}
   */
  siblings?: ReadonlyMap<string, UnitFile>;
}

/**
 * Parses a `Volume=` value and gives the `-v` argument Podman's generator
 * makes of it (`addVolumes`).
 *
 * The value is `[SOURCE:]DEST[:OPTIONS]`, split at the first two `:`; Podman
 * does not unquote it. The source is resolved by
 * {@linkcode resolveStorageSource} (`./x` against the unit's folder,
 * `x.volume` to `systemd-x` or its `VolumeName=`); a value with no source is
 * an anonymous volume. When a referenced quadlet unit cannot be resolved,
 * `spec` keeps the source as written.
 *
 * @param value The value, such as `data.volume:/var/lib/data:Z`.
 * @param options Where the value comes from, the unit's folder and siblings.
 * @returns The volume reference.
 *
 * @example Usage
 * ```ts
 * import { parseVolume } from "./parse_volume.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(parseVolume("data.volume:/data:Z").spec, "systemd-data:/data:Z");
 * strictEqual(parseVolume("./conf:/etc/app", { unitDir: "/srv/app" }).spec, "/srv/app/conf:/etc/app");
 * ```
 */
export function parseVolume(
  value: string,
  options: ParseVolumeOptions = {},
): VolumeRef {
  const { file = "", line = 0, unitDir, siblings } = options;
  const first = value.indexOf(":");
  if (first === -1 || first === 0) {
    // Podman drops an empty source: ":/data" is the anonymous volume "/data".
    const dest = first === 0 ? cutDest(value.slice(1)) : value;
    return {
      flag: "-v",
      sourceKind: "none",
      source: null,
      resolvedSource: null,
      unit: null,
      spec: first === 0 ? dest : value,
      line,
      file,
    };
  }
  const source = value.slice(0, first);
  const rest = value.slice(first);
  const resolved = resolveStorageSource(source, { unitDir, siblings });
  return {
    flag: "-v",
    sourceKind: resolved.sourceKind,
    source,
    resolvedSource: resolved.resolved,
    unit: resolved.unit,
    spec: `${resolved.resolved ?? source}${rest}`,
    line,
    file,
  };
}

/** With no source, Podman passes only the destination (options are dropped). */
function cutDest(rest: string): string {
  const colon = rest.indexOf(":");
  return colon === -1 ? rest : rest.slice(0, colon);
}
