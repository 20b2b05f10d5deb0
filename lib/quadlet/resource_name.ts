import type { UnitFile } from "../unit/types.ts";
import { lookupValue } from "./_lookup_value.ts";
import { kindSection } from "./kind_section.ts";
import { quadletKindOf } from "./kind.ts";
import { serviceNameOf } from "./service_name.ts";

/** Options for {@linkcode resourceNameOf}. */
export interface ResourceNameOfOptions {
  /**
   * The parsed unit (drop-ins merged), whose `ContainerName=`,
   * `VolumeName=`, `NetworkName=` or `PodName=` (and `ServiceName=`)
   * override the default. Without it the default name is returned.
   *
   * @default {undefined}
   */
  unit?: UnitFile;
}

const NAME_KEY = {
  container: "ContainerName",
  volume: "VolumeName",
  network: "NetworkName",
  pod: "PodName",
} as const;

/**
 * Names the Podman resource a quadlet unit creates: the container, volume,
 * network or pod, as Podman's generator names it.
 *
 * - A container is named by `ContainerName=`, else `systemd-%N`, or
 *   `systemd-%p_%i` when the file name has an `@`. Podman itself resolves
 *   only `%N` (to the service name without `.service`, `ServiceName=`
 *   included), and so does this: `web.container` gives `systemd-web`. A name
 *   with any other specifier is returned as Podman passes it to `--name`.
 * - A volume or network is named by `VolumeName=`/`NetworkName=`, else
 *   `systemd-<name>`; for a file name with `@` Podman replaces the last
 *   character of that with `-%i` (`x@.volume` gives `systemd-x-%i`).
 * - A pod is named by `PodName=`, else `systemd-<name>`.
 * - `.kube`, `.image`, `.build` and `.artifact` units create no named
 *   resource: `null`.
 *
 * @param fileName The unit's file name.
 * @param options The parsed unit, when there is one.
 * @returns The resource name, or `null`.
 * @throws {TypeError} When `fileName` is not a quadlet unit.
 *
 * @example Usage
 * ```ts
 * import { resourceNameOf } from "./resource_name.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(resourceNameOf("web.container"), "systemd-web");
 * strictEqual(resourceNameOf("app@.container"), "systemd-%p_%i");
 * strictEqual(resourceNameOf("data.volume"), "systemd-data");
 * strictEqual(resourceNameOf("base.image"), null);
 * ```
 */
export function resourceNameOf(
  fileName: string,
  options: ResourceNameOfOptions = {},
): string | null {
  const { unit } = options;
  const kind = quadletKindOf(fileName);
  if (kind === null) {
    throw new TypeError(
      `Cannot name the resource of "${fileName}": it is not a quadlet unit`,
    );
  }
  if (
    kind !== "container" && kind !== "volume" && kind !== "network" &&
    kind !== "pod"
  ) {
    return null;
  }
  const set = unit === undefined
    ? undefined
    : lookupValue(unit, kindSection(kind), NAME_KEY[kind]);
  if (set !== undefined && set.value !== "") {
    return kind === "container"
      ? resolveServiceSpecifier(set.value, fileName, unit)
      : set.value;
  }
  const name = fileName.slice(fileName.lastIndexOf("/") + 1);
  const templated = name.includes("@");
  if (kind === "container") {
    return templated
      ? "systemd-%p_%i"
      : resolveServiceSpecifier("systemd-%N", fileName, unit);
  }
  const base = `systemd-${name.slice(0, name.lastIndexOf("."))}`;
  if (kind === "pod" || !templated) return base;
  // Podman's getResourceName: drop the last character, whatever it is.
  return `${base.slice(0, -1)}-%i`;
}

/** Podman's GetContainerResourceName: only `%N` is resolved. */
function resolveServiceSpecifier(
  name: string,
  fileName: string,
  unit?: UnitFile,
): string {
  if (!name.includes("%N")) return name;
  const service = serviceNameOf(fileName, { unit }).slice(
    0,
    -".service".length,
  );
  const resolved = name.replaceAll("%N", service);
  return resolved.includes("%") ? name : resolved;
}
