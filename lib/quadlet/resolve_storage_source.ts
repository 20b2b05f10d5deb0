import type { UnitFile } from "../unit/types.ts";
import { joinPath } from "./_join_path.ts";
import { referenceNameOf } from "./_reference_name.ts";
import { startsWithSpecifier } from "./_starts_with_specifier.ts";

/** What the source of a `Volume=` or `Mount=` resolves to. */
export interface ResolvedStorageSource {
  /** `"quadlet"`, `"host"` or `"named"` (as in `VolumeRef.sourceKind`). */
  sourceKind: "quadlet" | "host" | "named";
  /**
   * The volume name, image or artifact of a quadlet unit (`null` when the
   * unit is missing and Podman has no default), the absolute path of a host
   * path, or the name of a named volume.
   */
  resolved: string | null;
  /** The quadlet unit referenced, or `null`. */
  unit: string | null;
  /** Whether the source is a path relative to the unit's folder (`./data`). */
  relative: boolean;
}

/** Options for {@linkcode resolveStorageSource}. */
export interface ResolveStorageSourceOptions {
  /**
   * The absolute folder of the unit, against which `.`-relative host paths
   * resolve. Without it they stay as written.
   *
   * @default {undefined}
   */
  unitDir?: string;
  /**
   * The other units of the deployment by file name (drop-ins merged).
   *
   * @default {new Map()}
   */
  siblings?: ReadonlyMap<string, UnitFile>;
  /**
   * Whether a `.image` source names a quadlet unit, as for `Mount=` (for
   * `Volume=` Podman takes `x.image` as a volume name).
   *
   * @default {false}
   */
  checkImage?: boolean;
}

const NO_SIBLINGS: ReadonlyMap<string, UnitFile> = new Map();

/**
 * Resolves the source of a `Volume=` or `Mount=` as Podman's
 * `handleStorageSource` does: a source starting with `.` is a path relative
 * to the unit's folder, one starting with `/` an absolute host path; a
 * source ending in `.volume` or `.artifact` (or `.image` with `checkImage`)
 * names a quadlet unit and resolves to the name that unit creates
 * (`systemd-data` or its `VolumeName=`); anything else is taken as is. A
 * source starting with a systemd specifier and holding a `/` (`%h/data`) is
 * reported as a host path, though Podman leaves it to systemd.
 *
 * @param source The source, not empty.
 * @param options The unit's folder, its siblings, and whether images count.
 * @returns The resolved source.
 *
 * @example Usage
 * ```ts
 * import { resolveStorageSource } from "./resolve_storage_source.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(resolveStorageSource("./conf", { unitDir: "/srv/app" }), {
 *   sourceKind: "host", resolved: "/srv/app/conf", unit: null, relative: true,
 * });
 * deepStrictEqual(resolveStorageSource("data.volume"), {
 *   sourceKind: "quadlet", resolved: "systemd-data", unit: "data.volume", relative: false,
 * });
 * ```
 */
export function resolveStorageSource(
  source: string,
  options: ResolveStorageSourceOptions = {},
): ResolvedStorageSource {
  const { unitDir, siblings = NO_SIBLINGS, checkImage = false } = options;
  if (source.startsWith(".")) {
    const resolved = unitDir === undefined ? source : joinPath(unitDir, source);
    return { sourceKind: "host", resolved, unit: null, relative: true };
  }
  if (source.startsWith("/")) {
    return {
      sourceKind: "host",
      resolved: source,
      unit: null,
      relative: false,
    };
  }
  if (
    source.endsWith(".volume") || source.endsWith(".artifact") ||
    (checkImage && source.endsWith(".image"))
  ) {
    const resolved = referenceNameOf(source, siblings.get(source));
    return { sourceKind: "quadlet", resolved, unit: source, relative: false };
  }
  if (startsWithSpecifier(source) && source.includes("/")) {
    return {
      sourceKind: "host",
      resolved: source,
      unit: null,
      relative: false,
    };
  }
  return { sourceKind: "named", resolved: source, unit: null, relative: false };
}
