import type { UnitFile } from "../unit/types.ts";
import { lookupValue } from "./_lookup_value.ts";
import { kindSection } from "./kind_section.ts";
import { quadletKindOf } from "./kind.ts";
import type { QuadletKind } from "./types.ts";

const SUFFIX_BY_KIND: Readonly<Record<QuadletKind, string>> = {
  container: "",
  kube: "",
  volume: "-volume",
  network: "-network",
  pod: "-pod",
  image: "-image",
  build: "-build",
  artifact: "-artifact",
};

/** Options for {@linkcode serviceNameOf}. */
export interface ServiceNameOfOptions {
  /**
   * The parsed unit (drop-ins merged), whose `ServiceName=` in the kind's
   * section overrides the default. Without it the default name is returned.
   *
   * @default {undefined}
   */
  unit?: UnitFile;
}

/**
 * Names the systemd service Podman's generator makes from a quadlet unit,
 * as Podman's `GetUnitServiceName` does.
 *
 * `x.container` and `x.kube` give `x.service`; the other kinds add their
 * kind (`x.volume` gives `x-volume.service`, `x.network` gives
 * `x-network.service`, and so on for `.pod`, `.image`, `.build` and
 * `.artifact`). `ServiceName=` in the kind's section replaces the name. A
 * template keeps the `@` last: `x@.volume` gives `x-volume@.service`, while an
 * instance only gets the suffix appended (`x@a.container` gives
 * `x@a.service`, `x@a.volume` gives `x@a-volume.service`), exactly as Podman
 * does.
 *
 * @param fileName The unit's file name, such as `data.volume`.
 * @param options The parsed unit, when there is one.
 * @returns The service file name, such as `data-volume.service`.
 * @throws {TypeError} When `fileName` is not a quadlet unit.
 *
 * @example Usage
 * ```ts
 * import { serviceNameOf } from "./service_name.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(serviceNameOf("web.container"), "web.service");
 * strictEqual(serviceNameOf("data.volume"), "data-volume.service");
 * strictEqual(serviceNameOf("app@.network"), "app-network@.service");
 * ```
 */
export function serviceNameOf(
  fileName: string,
  options: ServiceNameOfOptions = {},
): string {
  const { unit } = options;
  const kind = quadletKindOf(fileName);
  if (kind === null) {
    throw new TypeError(
      `Cannot name the service of "${fileName}": it is not a quadlet unit (.container, .volume, .network, .pod, .kube, .image, .build or .artifact)`,
    );
  }
  if (unit !== undefined) {
    // Podman takes ServiceName= as soon as the key exists, even when empty.
    const override = lookupValue(unit, kindSection(kind), "ServiceName");
    if (override !== undefined) return `${override.value}.service`;
  }
  const name = fileName.slice(fileName.lastIndexOf("/") + 1);
  const base = name.slice(0, name.lastIndexOf("."));
  const suffix = SUFFIX_BY_KIND[kind];
  if (base.endsWith("@")) return `${base.slice(0, -1)}${suffix}@.service`;
  return `${base}${suffix}.service`;
}
