import { lookupAll } from "../unit/lookup.ts";
import type { UnitFile } from "../unit/types.ts";
import { lookupValue } from "./_lookup_value.ts";
import { quadletKindOf } from "./kind.ts";
import { resourceNameOf } from "./resource_name.ts";

/**
 * The name another unit gets when it refers to a quadlet unit by file name,
 * as Podman's generator fills its `unitsInfoMap[…].ResourceName`:
 *
 * - `.container`: its container name, `null` when it keeps a specifier other
 *   than `%N` (Podman then fails with "cannot get the resource name").
 * - `.volume`, `.network`, `.pod`: the resource name, defaulted from the file
 *   name when the unit is missing.
 * - `.image`: `ImageTag=`, else `Image=`; `.build`: the first `ImageTag=`;
 *   `.artifact`: `Artifact=`. These have no default: `null` without the unit.
 * - `.kube`: `null`.
 *
 * @param fileName The referenced file name, such as `data.volume`.
 * @param unit The referenced unit, when the deployment has it.
 * @returns The name, or `null` when it cannot be known.
 *
 * @example Usage
 * ```ts
 * import { referenceNameOf } from "./_reference_name.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(referenceNameOf("data.volume", undefined), "systemd-data");
 * strictEqual(referenceNameOf("base.image", undefined), null);
 * ```
 */
export function referenceNameOf(
  fileName: string,
  unit: UnitFile | undefined,
): string | null {
  switch (quadletKindOf(fileName)) {
    case "container": {
      const name = resourceNameOf(fileName, { unit });
      return name === null || name.includes("%") ? null : name;
    }
    case "volume":
    case "network":
    case "pod":
      return resourceNameOf(fileName, { unit });
    case "image": {
      if (unit === undefined) return null;
      const tag = lookupValue(unit, "Image", "ImageTag");
      if (tag !== undefined && tag.value !== "") return tag.value;
      return nonEmpty(lookupValue(unit, "Image", "Image")?.value);
    }
    case "build":
      return unit === undefined
        ? null
        : nonEmpty(lookupAll(unit, "Build", "ImageTag")[0]?.value);
    case "artifact":
      return unit === undefined
        ? null
        : nonEmpty(lookupValue(unit, "Artifact", "Artifact")?.value);
    default:
      return null;
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : value;
}
